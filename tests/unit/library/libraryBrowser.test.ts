import { describe, expect, it } from 'vitest';
import type { BaseItemDto } from '../../../src/shared/api/items.js';
import { LibraryBrowser, type ItemReads } from '../../../src/server/library/libraryBrowser.js';
import type { ItemQuery } from '../../../src/server/library/itemsRepo.js';
import { FakeCatalog, aUser, anItemRow, errorOf } from './fakeItems.js';

function setup() {
  const catalog = new FakeCatalog();
  const queries: ItemQuery[] = [];
  const items: ItemReads = {
    getVisible: catalog.getVisible,
    query: (q) => {
      queries.push(q);
      const rows = [...catalog.items.values()].filter((r) => catalog.getVisible(q.userId, r.id));
      return { rows, total: rows.length };
    },
    queryIds: () => [],
    nextUp: () => ({ rows: [], total: 0 }),
    views: () => [],
    itemsByName: () => ({
      rows: [
        {
          ...anItemRow({ name: 'Comedy', type: 'Genre' }),
          item_count: 2,
          movie_count: 2,
          series_count: 0,
          episode_count: 0,
          song_count: 0,
          album_count: 0,
        },
      ],
      total: 1,
    }),
  };
  const dtos = { toDtos: (rows: readonly { id: string; name: string }[]) => rows.map((r) => ({ Id: r.id, Name: r.name }) as BaseItemDto) };
  const browser = new LibraryBrowser({ items, dtos, users: catalog.userLookup });
  const [ann, bob, root] = [aUser('ann'), aUser('bob'), aUser('root', { IsAdministrator: true })].map((u) => catalog.add(u));
  return { catalog, browser, queries, ann, bob, root, as: (user: typeof ann) => ({ user, deviceId: 'd' }) };
}

describe('LibraryBrowser', () => {
  it('reads the caller’s library, another user’s only for an administrator (403), an unknown user as 404', () => {
    const w = setup();
    expect(w.browser.list(w.as(w.ann), undefined, {}).TotalRecordCount).toBe(0);
    expect(w.queries.at(-1)!.userId).toBe(w.ann.id);
    expect(errorOf(() => w.browser.list(w.as(w.ann), w.bob.id, {}))).toBe('Forbidden:Forbidden');
    w.browser.list(w.as(w.root), w.bob.id, {});
    expect(w.queries.at(-1)!.userId).toBe(w.bob.id);
    expect(errorOf(() => w.browser.list(w.as(w.root), 'f'.repeat(32), {}))).toBe('NotFound:NotFound');
  });

  it('answers 404 for a parent or item the user may not see, before querying', () => {
    const w = setup();
    const hidden = w.catalog.add(anItemRow({ name: 'Bob private', owner_user_id: w.bob.id }));
    const before = w.queries.length;
    expect(errorOf(() => w.browser.list(w.as(w.ann), undefined, { parentId: hidden.id }))).toBe('NotFound:NotFound');
    expect(errorOf(() => w.browser.item(w.as(w.ann), w.ann.id, hidden.id))).toBe('NotFound:NotFound');
    expect(
      errorOf(() => w.browser.itemsByName(w.as(w.ann), undefined, { parentId: hidden.id }, { type: 'Genre', linkKinds: ['genre'] })),
    ).toBe('NotFound:NotFound');
    expect(w.queries.length).toBe(before);
    expect(w.browser.item(w.as(w.bob), w.bob.id, hidden.id).Name).toBe('Bob private');
  });

  it('gives items-by-name Emby’s per-type counts', () => {
    const w = setup();
    const page = w.browser.itemsByName(w.as(w.ann), undefined, {}, { type: 'Genre', linkKinds: ['genre'] });
    expect(page.Items[0]).toMatchObject({ Name: 'Comedy', ChildCount: 2, MovieCount: 2, SongCount: 0 });
  });

  it('lists a playlist only as a playlist', () => {
    const w = setup();
    const movie = w.catalog.add(anItemRow({ name: 'Alien' }));
    expect(errorOf(() => w.browser.playlistItems(w.as(w.ann), undefined, movie.id, {}))).toBe('NotFound:NotFound');
  });
});
