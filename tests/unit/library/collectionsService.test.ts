import { describe, expect, it } from 'vitest';
import { CollectionsService, type EntryFolderStore } from '../../../src/server/library/collectionsService.js';
import type { NewEntry, NewEntryFolder } from '../../../src/server/library/entryFoldersRepo.js';
import { FakeCatalog, aUser, anItemRow, errorOf, snapshotTransaction } from './fakeItems.js';

/** Folders as catalog rows and entries as a list, as the SQL repository stores them. */
class FakeFolders implements EntryFolderStore {
  entries: Array<NewEntry & { folderId: string }> = [];
  touched: string[] = [];
  constructor(private readonly catalog: FakeCatalog) {}
  insertFolder(f: NewEntryFolder) {
    this.catalog.add(
      anItemRow({ id: f.id, type: f.type, name: f.name, owner_user_id: f.ownerUserId, is_folder: 1, media_type: f.mediaType, path: null }),
    );
  }
  itemIds = (folderId: string) => this.entries.filter((e) => e.folderId === folderId).map((e) => e.itemId);
  nextPosition = (folderId: string) => Math.max(-1, ...this.entries.filter((e) => e.folderId === folderId).map((e) => e.position)) + 1;
  insertEntries(folderId: string, entries: readonly NewEntry[]) {
    this.entries.push(...entries.map((e) => ({ ...e, folderId })));
  }
  deleteItems(folderId: string, itemIds: readonly string[]) {
    this.entries = this.entries.filter((e) => e.folderId !== folderId || !itemIds.includes(e.itemId));
  }
  deleteEntries(folderId: string, entryIds: readonly string[]) {
    this.entries = this.entries.filter((e) => e.folderId !== folderId || !entryIds.includes(e.entryId));
  }
  entryIds = (folderId: string) =>
    this.entries
      .filter((e) => e.folderId === folderId)
      .sort((a, b) => a.position - b.position)
      .map((e) => e.entryId);
  writeOrder(folderId: string, entryIds: readonly string[]) {
    for (const e of this.entries) if (e.folderId === folderId) e.position = entryIds.indexOf(e.entryId);
  }
  touch(folderId: string) {
    this.touched.push(folderId);
  }
  /** Item ids of a folder in entry order. */
  contents = (folderId: string) => this.entryIds(folderId).map((id) => this.entries.find((e) => e.entryId === id)!.itemId);
}

function setup() {
  const catalog = new FakeCatalog();
  const folders = new FakeFolders(catalog);
  let ids = 0;
  const tx = snapshotTransaction(() => {
    const saved = folders.entries.map((e) => ({ ...e }));
    const savedItems = new Map(catalog.items);
    return () => {
      folders.entries = saved;
      catalog.items.clear();
      for (const [k, v] of savedItems) catalog.items.set(k, v);
    };
  });
  const service = new CollectionsService({
    folders,
    items: catalog,
    users: catalog.userLookup,
    transaction: tx.run,
    newId: () => `e${++ids}`.padStart(32, '0'),
    now: () => new Date('2026-02-02T00:00:00Z'),
  });
  const [ann, bob, root] = [aUser('ann'), aUser('bob'), aUser('root', { IsAdministrator: true })].map((u) => catalog.add(u));
  const movies = ['Alien', 'Brazil', 'Zodiac'].map((name) => catalog.add(anItemRow({ name })));
  const as = (user: typeof ann) => ({ user, deviceId: 'd' });
  return { catalog, folders, service, ann, bob, root, movies, as, tx };
}

describe('box sets', () => {
  it('creates a box set in the given order, each item once when added again', () => {
    const w = setup();
    const [a, b, c] = w.movies.map((m) => m.id);
    const id = w.service.createBoxSet(w.as(w.ann), ' Thrillers ', [c, a]);
    expect(w.catalog.items.get(id)).toMatchObject({ type: 'BoxSet', name: 'Thrillers', owner_user_id: w.ann.id });
    w.service.addItems(w.as(w.ann), undefined, id, 'BoxSet', [b, a]);
    expect(w.folders.contents(id)).toEqual([c, a, b]);
    w.service.removeItems(w.as(w.root), id, [a]);
    expect(w.folders.contents(id)).toEqual([c, b]);
    expect(
      w.folders.entries
        .filter((e) => e.folderId === id)
        .map((e) => e.position)
        .sort(),
    ).toEqual([0, 1]);
  });

  it('refuses a missing name, malformed, unknown or hidden ids with 400 and writes nothing', () => {
    const w = setup();
    const hidden = w.catalog.add(anItemRow({ name: 'Private', owner_user_id: w.bob.id }));
    const count = () => w.catalog.items.size;
    const before = count();
    expect(errorOf(() => w.service.createBoxSet(w.as(w.ann), '  ', [w.movies[0]!.id]))).toBe('Invalid:BadRequest');
    expect(errorOf(() => w.service.createBoxSet(w.as(w.ann), 'X', ['garbage']))).toBe('Invalid:BadRequest');
    expect(errorOf(() => w.service.createBoxSet(w.as(w.ann), 'X', ['f'.repeat(32)]))).toBe('Invalid:BadRequest');
    expect(errorOf(() => w.service.createBoxSet(w.as(w.ann), 'X', [hidden.id]))).toBe('Invalid:BadRequest');
    expect(count()).toBe(before);
  });

  it('lets only the creator or an administrator change a box set', () => {
    const w = setup();
    const id = w.service.createBoxSet(w.as(w.ann), 'Mine', [w.movies[0]!.id]);
    expect(errorOf(() => w.service.addItems(w.as(w.bob), undefined, id, 'BoxSet', [w.movies[1]!.id]))).toBe('Forbidden:Forbidden');
    expect(errorOf(() => w.service.addItems(w.as(w.bob), undefined, w.movies[0]!.id, 'BoxSet', []))).toBe('NotFound:NotFound');
    expect(w.folders.contents(id)).toEqual([w.movies[0]!.id]);
  });
});

describe('playlists', () => {
  it('repeats items, each entry with its own id, and takes its media type from the first item', () => {
    const w = setup();
    const [a, b] = w.movies.map((m) => m.id);
    const id = w.service.createPlaylist(w.as(w.ann), undefined, { name: 'Mix', itemIds: [a, b, a] });
    expect(w.catalog.items.get(id)).toMatchObject({ type: 'Playlist', media_type: 'Video', owner_user_id: w.ann.id });
    expect(w.folders.contents(id)).toEqual([a, b, a]);
    expect(new Set(w.folders.entryIds(id)).size).toBe(3);
  });

  it('is created for another user only by an administrator, and is private to its owner', () => {
    const w = setup();
    expect(errorOf(() => w.service.createPlaylist(w.as(w.ann), w.bob.id, { name: 'For Bob', itemIds: [] }))).toBe('Forbidden:Forbidden');
    const id = w.service.createPlaylist(w.as(w.root), w.bob.id, { name: 'For Bob', itemIds: [] });
    expect(w.catalog.items.get(id)!.owner_user_id).toBe(w.bob.id);
    expect(errorOf(() => w.service.addItems(w.as(w.ann), undefined, id, 'Playlist', [w.movies[0]!.id]))).toBe('NotFound:NotFound');
  });

  it('removes and moves single entries, renumbering the rest', () => {
    const w = setup();
    const [a, b, c] = w.movies.map((m) => m.id);
    const id = w.service.createPlaylist(w.as(w.ann), undefined, { name: 'Order', itemIds: [a, b, c, a] });
    const [e1, , , e4] = w.folders.entryIds(id);
    w.service.moveEntry(w.as(w.ann), id, e4!, 0);
    expect(w.folders.contents(id)).toEqual([a, a, b, c]);
    w.service.moveEntry(w.as(w.ann), id, e4!, 99);
    expect(w.folders.contents(id)).toEqual([a, b, c, a]);
    w.service.removeEntries(w.as(w.ann), id, [e1!, 'malformed']);
    expect(w.folders.contents(id)).toEqual([b, c, a]);
  });

  it('moves nothing for an unknown entry (404, the transaction rolls back)', () => {
    const w = setup();
    const id = w.service.createPlaylist(w.as(w.ann), undefined, { name: 'Keep', itemIds: w.movies.map((m) => m.id) });
    const before = w.folders.contents(id);
    expect(errorOf(() => w.service.moveEntry(w.as(w.ann), id, 'f'.repeat(32), 0))).toBe('NotFound:NotFound');
    expect(errorOf(() => w.service.moveEntry(w.as(w.ann), id, 'nope', 0))).toBe('NotFound:NotFound');
    expect(w.folders.contents(id)).toEqual(before);
  });
});
