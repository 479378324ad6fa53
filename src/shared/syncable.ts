/**
 * Which library items can be synced (API.md §5.2 "Syncable"). Pure, so the item DTO (`SupportsSync`), the
 * sync dialog and the job expansion all agree. Visibility ("only what the user may see") is the caller's
 * check: this answers for the item itself.
 */

/** What the rule needs to know about an item beyond its type. */
export interface SyncableFacts {
  isFolder: boolean;
  /** Video, Audio, Photo, Book, Game; absent for folders and items-by-name. */
  mediaType?: string | null;
  /** The item is backed by a real file on the server (a path that is a file, not a folder key). */
  hasFile: boolean;
  /** Virtual, missing or placeholder items (e.g. a known-but-absent episode) are never syncable. */
  isVirtual?: boolean;
}

/** Items-by-name: syncing one means "its items" (ours: Person too). */
export const SYNCABLE_BY_NAME_TYPES: ReadonlySet<string> = new Set(['Genre', 'MusicGenre', 'GameGenre', 'Studio', 'MusicArtist', 'Person']);

/** Folders whose non-folder descendants make a job: library views, playlists, series, seasons, albums, box sets. */
export const SYNCABLE_FOLDER_TYPES: ReadonlySet<string> = new Set([
  'CollectionFolder',
  'UserView',
  'Folder',
  'Playlist',
  'Series',
  'Season',
  'MusicAlbum',
  'BoxSet',
]);

const SYNCABLE_MEDIA_TYPES: ReadonlySet<string> = new Set(['Video', 'Audio', 'Photo', 'Book', 'Game']);

export function isSyncable(itemType: string, facts: SyncableFacts): boolean {
  // A Year "folder" would mean every item of that year: Emby never offers it, neither do we.
  if (itemType === 'Year') return false;
  if (SYNCABLE_BY_NAME_TYPES.has(itemType)) return true;
  if (SYNCABLE_FOLDER_TYPES.has(itemType)) return true;
  if (facts.isFolder) return false;
  if (facts.isVirtual) return false;
  return facts.hasFile && !!facts.mediaType && SYNCABLE_MEDIA_TYPES.has(facts.mediaType);
}
