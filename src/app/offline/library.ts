/** Grouping of the offline catalogue for the "On this device" view: by job, by series, by album. Pure. */
import type { LocalItem } from '../../../sw/db';

export type GroupBy = 'job' | 'series' | 'album';

export interface ItemGroup {
  key: string;
  title: string;
  /** An item id whose poster represents the group (series, album or the first item). */
  posterItemId?: string;
  items: LocalItem[];
  bytes: number;
}

function keyOf(item: LocalItem, by: GroupBy): { key: string; title: string; poster?: string } {
  const it = item.Item;
  if (by === 'series' && it.SeriesId)
    return {
      key: `s:${it.SeriesId}`,
      title: it.SeriesName ?? 'Series',
      poster: it.SeriesId,
    };
  if (by === 'album' && it.AlbumId)
    return {
      key: `a:${it.AlbumId}`,
      title: it.Album ?? 'Album',
      poster: it.AlbumId,
    };
  if (by === 'job')
    return {
      key: `j:${item.SyncJobId}`,
      title: item.SyncJobName || 'Sync job',
      poster: it.SeriesId ?? it.AlbumId ?? it.Id,
    };
  return {
    key: 'other',
    title: by === 'series' ? 'Not in a series' : 'Not in an album',
  };
}

function order(a: LocalItem, b: LocalItem): number {
  const ai = a.Item;
  const bi = b.Item;
  return (
    (ai.ParentIndexNumber ?? 0) - (bi.ParentIndexNumber ?? 0) ||
    (ai.IndexNumber ?? 0) - (bi.IndexNumber ?? 0) ||
    (ai.SortName ?? ai.Name).localeCompare(bi.SortName ?? bi.Name)
  );
}

/** `bytesOf`: an item's bytes on the device (the live figure while it downloads). */
export function groupItems(items: readonly LocalItem[], by: GroupBy, bytesOf: (i: LocalItem) => number = (i) => i.bytes): ItemGroup[] {
  const groups = new Map<string, ItemGroup>();
  for (const item of items) {
    const k = keyOf(item, by);
    let g = groups.get(k.key);
    if (!g) {
      g = {
        key: k.key,
        title: k.title,
        posterItemId: k.poster,
        items: [],
        bytes: 0,
      };
      groups.set(k.key, g);
    }
    g.items.push(item);
    g.bytes += bytesOf(item);
  }
  const list = [...groups.values()];
  for (const g of list) g.items.sort(order);
  return list.sort((a, b) => (a.key === 'other' ? 1 : b.key === 'other' ? -1 : a.title.localeCompare(b.title)));
}

/**
 * Who looks at the offline library, per server: the active session's user on its server, the first
 * signed-in user elsewhere. Items are shown to that user only when the server's ItemUserAccess (kept in
 * UserIdsWithAccess by the sync loop) lists them — a child's profile does not see the parent's items.
 */
export function viewersByServer(
  sessions: ReadonlyArray<{ serverId: string; userId: string }>,
  active: { serverId: string; userId: string } | undefined,
): Map<string, string> {
  const viewers = new Map<string, string>();
  if (active) viewers.set(active.serverId, active.userId);
  for (const s of sessions) if (!viewers.has(s.serverId)) viewers.set(s.serverId, s.userId);
  return viewers;
}

export function visibleItems(items: readonly LocalItem[], viewers: ReadonlyMap<string, string>): LocalItem[] {
  return items.filter((i) => {
    const viewer = viewers.get(i.ServerId);
    return viewer !== undefined && i.UserIdsWithAccess.includes(viewer);
  });
}

export interface ServerGroup {
  serverId: string;
  title: string;
  items: LocalItem[];
  /** Bytes this server's downloads use on the device (every user's, as storage is shared). */
  bytes: number;
}

/** One section per server, in the order given by `titles` (the signed-in sessions), unknown servers last. */
export function groupByServer(
  items: readonly LocalItem[],
  allItems: readonly LocalItem[],
  titles: ReadonlyMap<string, string>,
  bytesOf: (i: LocalItem) => number = (i) => i.bytes,
): ServerGroup[] {
  const ids = [...new Set([...titles.keys(), ...allItems.map((i) => i.ServerId)])];
  return ids
    .map((serverId) => ({
      serverId,
      title: titles.get(serverId) ?? 'Signed-out server',
      items: items.filter((i) => i.ServerId === serverId),
      bytes: allItems.filter((i) => i.ServerId === serverId).reduce((n, i) => n + bytesOf(i), 0),
    }))
    .filter((g) => g.items.length > 0 || g.bytes > 0);
}
