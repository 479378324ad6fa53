/**
 * The device's record of one job item (LocalItem, sw/db.ts) as the loop first writes it, and which of the
 * files the server lists are worth keeping with it (API.md §7 step 4).
 */
import type { SyncedItem } from '../../src/shared/api/sync';
import type { LocalItem } from '../db';

export function newLocalItem(ready: SyncedItem, serverId: string, chunkSize: number, now: number): LocalItem {
  const id = `${serverId}_${ready.SyncJobItemId}`;
  return {
    Id: id,
    ServerId: serverId,
    ItemId: ready.Item.Id,
    SyncJobItemId: ready.SyncJobItemId,
    SyncJobId: ready.SyncJobId,
    SyncJobName: ready.SyncJobName,
    UserId: ready.UserId,
    Item: ready.Item,
    Parents: [],
    OriginalFileName: ready.OriginalFileName,
    FileId: id,
    LocalPath: `/offline/media/${id}`,
    UserIdsWithAccess: [ready.UserId],
    AdditionalFiles: ready.AdditionalFiles ?? [],
    Subtitles: [],
    Images: [],
    step: 'media',
    attempts: 0,
    size: ready.Size,
    sha256: ready.Sha256,
    chunkSize,
    nextChunk: 0,
    bytes: 0,
    addedAt: now,
    updatedAt: now,
  };
}

/** Subtitle files worth storing: those whose Index matches a Subtitle stream of the item's media source. */
export function wantedSubtitles(item: LocalItem): LocalItem['AdditionalFiles'] {
  const streams = item.Item.MediaSources?.[0]?.MediaStreams ?? [];
  const indexes = new Set(streams.filter((s) => s.Type === 'Subtitle').map((s) => s.Index));
  return item.AdditionalFiles.filter((f) => f.Type === 'Subtitles' && indexes.has(f.Index));
}

/** Primary images to keep: the item's, its series', season's and album's (API.md §7 step 4). */
export function wantedImages(item: LocalItem): Array<{ itemId: string; tag?: string }> {
  const out = new Map<string, string | undefined>();
  const it = item.Item;
  if (it.ImageTags?.Primary) out.set(it.Id, it.ImageTags.Primary);
  if (it.SeriesId && it.SeriesPrimaryImageTag) out.set(it.SeriesId, it.SeriesPrimaryImageTag);
  if (it.AlbumId && it.AlbumPrimaryImageTag) out.set(it.AlbumId, it.AlbumPrimaryImageTag);
  for (const p of item.Parents) if (p.ImageTags?.Primary) out.set(p.Id, p.ImageTags.Primary);
  return [...out].map(([itemId, tag]) => ({ itemId, tag }));
}
