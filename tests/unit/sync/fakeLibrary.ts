import type { MediaSourceInfo } from '../../../src/shared/api/items.js';
import type { SyncLibrary, SyncLibraryItem } from '../../../src/server/sync/syncLibrary.js';

let counter = 0;

export function anItem(p: Partial<SyncLibraryItem> & { name: string }): SyncLibraryItem {
  counter++;
  const isFolder = p.isFolder ?? false;
  return {
    id: p.id ?? `id${counter}`,
    type: p.type ?? 'Movie',
    sortName: p.sortName ?? p.name.toLowerCase(),
    isFolder,
    mediaType: p.mediaType !== undefined ? p.mediaType : isFolder ? null : 'Video',
    path: p.path !== undefined ? p.path : isFolder ? null : `/media/${p.name}.mp4`,
    hasFile: p.path !== undefined ? !!p.path && !isFolder : !isFolder,
    size: 1000,
    mtimeMs: 1,
    dateModified: '2026-01-01T00:00:00.000Z',
    dateCreated: '2026-01-01T00:00:00.000Z',
    runTimeTicks: 600_000_000,
    indexNumber: null,
    parentIndexNumber: null,
    seriesId: null,
    seriesName: null,
    albumId: null,
    albumArtist: null,
    ownerUserId: null,
    imageTag: null,
    ...p,
  };
}

/** An in-memory library: folders list their children, items-by-name list their items, per-user played sets. */
export class FakeLibrary implements SyncLibrary {
  items = new Map<string, SyncLibraryItem>();
  children = new Map<string, string[]>();
  byName = new Map<string, string[]>();
  played = new Map<string, Set<string>>();
  categoryIds: { latest: string[]; resume: string[]; nextUp: string[] } = { latest: [], resume: [], nextUp: [] };
  hidden = new Set<string>();
  /** Per-user hidden items (EnabledFolders, private items): user id → item ids that user may not see. */
  hiddenFrom = new Map<string, Set<string>>();
  /** Media sources by item id; an item without one gets a plain MP4 with no streams. */
  sources = new Map<string, MediaSourceInfo>();

  add(...items: SyncLibraryItem[]): this {
    for (const i of items) this.items.set(i.id, i);
    return this;
  }
  folder(folder: SyncLibraryItem, kids: SyncLibraryItem[]): this {
    this.add(folder, ...kids);
    this.children.set(
      folder.id,
      kids.map((k) => k.id),
    );
    return this;
  }
  getItem(userId: string, id: string) {
    return this.hidden.has(id) || this.hiddenFrom.get(userId)?.has(id) ? undefined : this.items.get(id);
  }
  candidates(userId: string, ids: readonly string[]) {
    const m = new Map<string, SyncLibraryItem>();
    for (const id of ids) {
      const i = this.getItem(userId, id);
      if (i) m.set(id, i);
    }
    return m;
  }
  descendants(userId: string, folder: SyncLibraryItem): SyncLibraryItem[] {
    return (this.children.get(folder.id) ?? []).flatMap((id) => {
      const i = this.getItem(userId, id);
      if (!i) return [];
      return i.isFolder ? this.descendants(userId, i) : [i];
    });
  }
  itemsByName(userId: string, nameItem: SyncLibraryItem, parentId?: string) {
    return (this.byName.get(nameItem.id) ?? [])
      .map((id) => this.getItem(userId, id)!)
      .filter((i) => !parentId || i.seriesId === parentId || i.albumId === parentId)
      .sort((a, b) => a.sortName.localeCompare(b.sortName));
  }
  latest(userId: string) {
    return this.categoryIds.latest.map((id) => this.getItem(userId, id)!).filter(Boolean);
  }
  resume(userId: string) {
    return this.categoryIds.resume.map((id) => this.getItem(userId, id)!).filter(Boolean);
  }
  nextUp(userId: string) {
    return this.categoryIds.nextUp.map((id) => this.getItem(userId, id)!).filter(Boolean);
  }
  playedIds(userId: string, ids: readonly string[]) {
    const set = this.played.get(userId) ?? new Set();
    return new Set(ids.filter((id) => set.has(id)));
  }
  mediaSource(item: SyncLibraryItem): MediaSourceInfo | undefined {
    const known = this.sources.get(item.id);
    if (known) return known;
    return {
      Id: item.id,
      Protocol: 'File',
      Type: 'Default',
      Container: 'mp4',
      Size: item.size ?? 0,
      IsRemote: false,
      SupportsTranscoding: true,
      SupportsDirectPlay: true,
      SupportsDirectStream: true,
      RequiresOpening: false,
      MediaStreams: [],
    };
  }
  sidecarPaths() {
    return {};
  }
}
