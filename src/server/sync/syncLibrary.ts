/**
 * What the sync core needs from the library, as a port: expansion and planning are tested against
 * fakes of it, and the SQL implementation (sqlSyncLibrary.ts) runs in the real server.
 */
import type { MediaSourceInfo } from '../../shared/api/items.js';

/**
 * What expansion needs to know about an item: few columns, because a category or a big series expands to
 * tens of thousands of them (reading whole rows costs ~10× more, measured on 20 000 items).
 */
export interface SyncCandidate {
  id: string;
  type: string;
  name: string;
  sortName: string;
  isFolder: boolean;
  mediaType: string | null;
  /** Backed by a real file (a path that is not a folder key). */
  hasFile: boolean;
  indexNumber: number | null;
  parentIndexNumber: number | null;
}

export interface SyncLibraryItem extends SyncCandidate {
  /** The source file on the server (never sent on the wire). */
  path: string | null;
  size: number | null;
  mtimeMs: number | null;
  dateModified: string;
  dateCreated: string;
  runTimeTicks: number | null;
  seriesId: string | null;
  seriesName: string | null;
  albumId: string | null;
  albumArtist: string | null;
  ownerUserId: string | null;
  imageTag: string | null;
  /** Why the source file is incomplete (cut short), from the scan; such an item fails with this reason. */
  incomplete?: string | null;
}

export interface SyncLibrary {
  /** The item if it exists and the user may see it (every column, for planning one item). */
  getItem(userId: string, id: string): SyncLibraryItem | undefined;
  /** Light candidates for the ids the user may see. */
  candidates(userId: string, ids: readonly string[]): Map<string, SyncCandidate>;
  /** Non-folder descendants of a folder, in the folder's own order (series, season, box set, playlist, album) else by SortName. */
  descendants(userId: string, folder: SyncCandidate): SyncCandidate[];
  /** Non-folder items of an item-by-name (genre, studio, person, artist), within `parentId` when given, by SortName. */
  itemsByName(userId: string, nameItem: SyncCandidate, parentId?: string): SyncCandidate[];
  latest(userId: string, parentId?: string): SyncCandidate[];
  resume(userId: string, parentId?: string): SyncCandidate[];
  nextUp(userId: string, parentId?: string): SyncCandidate[];
  playedIds(userId: string, itemIds: readonly string[]): Set<string>;
  /** The source as a MediaSource (streams, container, size) for the conversion decision. */
  mediaSource(item: SyncLibraryItem): MediaSourceInfo | undefined;
  /** Absolute paths of the item's sidecar subtitle files by bare file name. */
  sidecarPaths(item: SyncLibraryItem): Record<string, string>;
}
