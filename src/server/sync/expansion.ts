/**
 * Job expansion (API.md §5.2): which library items a job wants, in order. Pure over the SyncLibrary port,
 * so every rule is unit-tested with a fake library.
 */
import { isSyncable, SYNCABLE_BY_NAME_TYPES } from '../../shared/syncable.js';
import type { SyncCategory } from '../../shared/api/sync.js';
import type { SyncCandidate, SyncLibrary } from './syncLibrary.js';

export interface ExpandableJob {
  userId: string;
  category: SyncCategory | null;
  parentId: string | null;
  requestedItemIds: readonly string[];
  unwatchedOnly: boolean;
}

export function isItemSyncable(item: SyncCandidate): boolean {
  return isSyncable(item.type, { isFolder: item.isFolder, mediaType: item.mediaType, hasFile: item.hasFile });
}

/** Non-folder items a folder or item-by-name stands for; the item itself otherwise. */
export function itemsFor(lib: SyncLibrary, userId: string, item: SyncCandidate, parentId?: string): SyncCandidate[] {
  if (SYNCABLE_BY_NAME_TYPES.has(item.type)) return lib.itemsByName(userId, item, parentId);
  if (item.isFolder) return lib.descendants(userId, item);
  return [item];
}

export function expandJob(lib: SyncLibrary, job: ExpandableJob): SyncCandidate[] {
  const parentId = job.parentId ?? undefined;
  let candidates: SyncCandidate[];
  if (job.category) {
    candidates =
      job.category === 'Latest'
        ? lib.latest(job.userId, parentId)
        : job.category === 'Resume'
          ? lib.resume(job.userId, parentId)
          : lib.nextUp(job.userId, parentId);
  } else {
    candidates = [];
    const found = lib.candidates(job.userId, job.requestedItemIds);
    for (const id of job.requestedItemIds) {
      const item = found.get(id);
      // An item deleted from the library (or no longer visible) simply contributes nothing.
      if (item) candidates.push(...itemsFor(lib, job.userId, item, parentId));
    }
  }
  candidates = candidates.filter((i) => !i.isFolder && isItemSyncable(i));
  if (job.unwatchedOnly) {
    const played = lib.playedIds(
      job.userId,
      candidates.filter((i) => i.mediaType === 'Video').map((i) => i.id),
    );
    // Only videos: "unwatched" means nothing for a song (Emby keeps played songs too).
    candidates = candidates.filter((i) => i.mediaType !== 'Video' || !played.has(i.id));
  }
  const seen = new Set<string>();
  return candidates.filter((i) => (seen.has(i.id) ? false : (seen.add(i.id), true)));
}

/** `S1, E2 - Pilot` for episodes (API.md §5.3), the plain name otherwise. */
export function jobItemName(item: SyncCandidate): string {
  if (item.type === 'Episode' && item.indexNumber != null) {
    const season = item.parentIndexNumber != null ? `S${item.parentIndexNumber}, ` : '';
    return `${season}E${item.indexNumber} - ${item.name}`;
  }
  return item.name;
}
