/**
 * What the sync core needs from the library, as a port: expansion and planning are tested against
 * fakes of it, and the SQL implementation (sqlSyncLibrary.ts) runs in the real server.
 */
import type { MediaSourceInfo } from '../../shared/api/items.js';

export interface SyncLibraryItem {
  id: string;
  type: string;
  name: string;
  sortName: string;
  isFolder: boolean;
  mediaType: string | null;
  /** The source file on the server (never sent on the wire). */
  path: string | null;
  size: number | null;
  mtimeMs: number | null;
  dateModified: string;
  dateCreated: string;
  runTimeTicks: number | null;
  indexNumber: number | null;
  parentIndexNumber: number | null;
  seriesId: string | null;
  seriesName: string | null;
  albumId: string | null;
  albumArtist: string | null;
  ownerUserId: string | null;
  imageTag: string | null;
}

export interface SyncLibrary {
  /** The item if it exists and the user may see it. */
  getItem(userId: string, id: string): SyncLibraryItem | undefined;
  getItems(userId: string, ids: readonly string[]): Map<string, SyncLibraryItem>;
  /** Non-folder descendants of a folder, in the folder's own order (series, season, box set, playlist, album) else by SortName. */
  descendants(userId: string, folder: SyncLibraryItem): SyncLibraryItem[];
  /** Non-folder items of an item-by-name (genre, studio, person, artist), within `parentId` when given, by SortName. */
  itemsByName(userId: string, nameItem: SyncLibraryItem, parentId?: string): SyncLibraryItem[];
  latest(userId: string, parentId?: string): SyncLibraryItem[];
  resume(userId: string, parentId?: string): SyncLibraryItem[];
  nextUp(userId: string, parentId?: string): SyncLibraryItem[];
  playedIds(userId: string, itemIds: readonly string[]): Set<string>;
  /** The source as a MediaSource (streams, container, size) for the conversion decision. */
  mediaSource(item: SyncLibraryItem): MediaSourceInfo | undefined;
  /** Absolute paths of the item's sidecar subtitle files by bare file name. */
  sidecarPaths(item: SyncLibraryItem): Record<string, string>;
}
