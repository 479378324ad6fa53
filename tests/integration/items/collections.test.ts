import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, names, startLibrary, type TestLibrary } from './library.js';
import type { Session } from '../../helpers/server.js';

let lib: TestLibrary;
let bob: Session;
let eve: Session;

beforeAll(async () => {
  lib = await startLibrary();
  bob = await createUser(lib.server.url, lib.admin, 'bob');
  eve = await createUser(lib.server.url, lib.admin, 'eve');
});
afterAll(() => lib.server.close());

const children = (s: Session, id: string, extra = '') => s.json('GET', `/Users/${s.userId}/Items?ParentId=${id}${extra}`);

describe('collections (box sets)', () => {
  it('creates a box set with its items in the given order, visible to everyone', async () => {
    const { zodiac, alien, matrix } = lib.movies;
    const { Id } = await bob.json('POST', `/Collections?Name=Thrillers&Ids=${zodiac},${alien},${matrix}`);
    expect(Id).toMatch(/^[0-9a-f]{32}$/);
    expect(names(await children(bob, Id))).toEqual(['Zodiac', 'Alien', 'The Matrix']);
    expect(names(await children(eve, Id))).toEqual(['Zodiac', 'Alien', 'The Matrix']);
    const box = await eve.json('GET', `/Users/${eve.userId}/Items/${Id}`);
    expect(box).toMatchObject({ Type: 'BoxSet', IsFolder: true, ChildCount: 3, RecursiveItemCount: 3 });
    expect(names(await eve.json('GET', `/Users/${eve.userId}/Items?Recursive=true&IncludeItemTypes=BoxSet`))).toEqual(['Thrillers']);
  });

  it('adds (once) and removes items; only the creator or an admin may change it', async () => {
    const { amelie, brazil, alien } = lib.movies;
    const { Id } = await bob.json('POST', '/Collections', { Name: 'Mine', Ids: [amelie] });
    expect((await bob.req('POST', `/Collections/${Id}/Items?Ids=${brazil},${amelie},${alien}`)).status).toBe(204);
    expect(names(await children(bob, Id))).toEqual(['Amélie', 'Brazil', 'Alien']);
    expect((await eve.req('POST', `/Collections/${Id}/Items?Ids=${lib.movies.zodiac}`)).status).toBe(403);
    expect((await bob.req('DELETE', `/Collections/${Id}/Items?Ids=${brazil}`)).status).toBe(204);
    expect(names(await children(bob, Id))).toEqual(['Amélie', 'Alien']);
    expect((await lib.admin.req('DELETE', `/Collections/${Id}/Items?Ids=${amelie}`)).status).toBe(204);
    expect(names(await children(bob, Id))).toEqual(['Alien']);
  });

  it('a box set holding a series reaches its episodes recursively', async () => {
    const { Id } = await bob.json('POST', `/Collections?Name=Mixed&Ids=${lib.show.series},${lib.movies.alien}`);
    const eps = await children(bob, Id, '&Recursive=true&IncludeItemTypes=Episode,Movie');
    expect(eps.TotalRecordCount).toBe(7);
  });

  it('rejects bad input with 400 and unknown collections with 404, writing nothing', async () => {
    const before = lib.server.built.deps.db.prepare(`SELECT COUNT(*) FROM items WHERE type = 'BoxSet'`).pluck().get();
    expect((await bob.req('POST', `/Collections?Ids=${lib.movies.alien}`)).status).toBe(400);
    expect((await bob.req('POST', `/Collections?Name=X&Ids=0123456789abcdef0123456789abcdef`)).status).toBe(400);
    expect((await bob.req('POST', `/Collections?Name=X&Ids=garbage`)).status).toBe(400);
    expect(lib.server.built.deps.db.prepare(`SELECT COUNT(*) FROM items WHERE type = 'BoxSet'`).pluck().get()).toBe(before);
    expect((await bob.req('POST', `/Collections/0123456789abcdef0123456789abcdef/Items?Ids=${lib.movies.alien}`)).status).toBe(404);
    expect((await bob.req('POST', `/Collections/${lib.movies.alien}/Items?Ids=${lib.movies.alien}`)).status).toBe(404);
  });
});

describe('playlists', () => {
  it('creates a playlist in order, with entry ids, and lists it through both routes', async () => {
    const { t3, t1 } = lib.music;
    const { Id } = await bob.json('POST', `/Playlists?Name=Mix&Ids=${t3},${t1},${t3}&UserId=${bob.userId}`);
    const list = await bob.json('GET', `/Playlists/${Id}/Items?UserId=${bob.userId}`);
    expect(names(list)).toEqual(['Third', 'First', 'Third']);
    expect(list.TotalRecordCount).toBe(3);
    const entries = list.Items.map((i: any) => i.PlaylistItemId);
    expect(new Set(entries).size).toBe(3);
    entries.forEach((e: string) => expect(e).toMatch(/^[0-9a-f]{32}$/));
    expect(names(await children(bob, Id))).toEqual(['Third', 'First', 'Third']);
    const pl = await bob.json('GET', `/Users/${bob.userId}/Items/${Id}`);
    expect(pl).toMatchObject({ Type: 'Playlist', MediaType: 'Audio', ChildCount: 3 });
    const page = await bob.json('GET', `/Playlists/${Id}/Items?StartIndex=1&Limit=1`);
    expect(names(page)).toEqual(['First']);
    expect(page.TotalRecordCount).toBe(3);
  });

  it('is visible only to its owner', async () => {
    const { Id } = await bob.json('POST', '/Playlists', { Name: 'Secret', Ids: [lib.music.t1] });
    expect((await eve.req('GET', `/Playlists/${Id}/Items`)).status).toBe(404);
    expect((await eve.req('GET', `/Users/${eve.userId}/Items/${Id}`)).status).toBe(404);
    expect((await eve.req('GET', `/Users/${eve.userId}/Items?ParentId=${Id}`)).status).toBe(404);
    expect((await eve.req('POST', `/Playlists/${Id}/Items?Ids=${lib.music.t2}`)).status).toBe(404);
    const evesPlaylists = await eve.json('GET', `/Users/${eve.userId}/Items?Recursive=true&IncludeItemTypes=Playlist`);
    expect(evesPlaylists.Items.map((i: any) => i.Id)).not.toContain(Id);
    expect(names(await eve.json('GET', `/Users/${eve.userId}/Items?Ids=${Id}`))).toEqual([]);
    const bobs = await bob.json('GET', `/Users/${bob.userId}/Items?Recursive=true&IncludeItemTypes=Playlist`);
    expect(bobs.Items.map((i: any) => i.Id)).toContain(Id);
    // Creating one for someone else is refused.
    expect((await eve.req('POST', `/Playlists?Name=X&UserId=${bob.userId}`)).status).toBe(403);
  });

  it('appends, removes by entry id and moves entries', async () => {
    const { t1, t2, t3 } = lib.music;
    const { Id } = await bob.json('POST', `/Playlists?Name=Edit&Ids=${t1},${t2}`);
    expect((await bob.req('POST', `/Playlists/${Id}/Items?Ids=${t3},${t1}`)).status).toBe(204);
    let list = await bob.json('GET', `/Playlists/${Id}/Items`);
    expect(names(list)).toEqual(['First', 'Second', 'Third', 'First']);
    const entry = (i: number) => list.Items[i].PlaylistItemId;

    // Remove the second "First" only.
    expect((await bob.req('DELETE', `/Playlists/${Id}/Items?EntryIds=${entry(3)}`)).status).toBe(204);
    list = await bob.json('GET', `/Playlists/${Id}/Items`);
    expect(names(list)).toEqual(['First', 'Second', 'Third']);

    expect((await bob.req('POST', `/Playlists/${Id}/Items/${entry(2)}/Move/0`)).status).toBe(204);
    list = await bob.json('GET', `/Playlists/${Id}/Items`);
    expect(names(list)).toEqual(['Third', 'First', 'Second']);
    expect((await bob.req('POST', `/Playlists/${Id}/Items/${entry(0)}/Move/99`)).status).toBe(204);
    list = await bob.json('GET', `/Playlists/${Id}/Items`);
    expect(names(list)).toEqual(['First', 'Second', 'Third']);
    expect((await bob.req('POST', `/Playlists/${Id}/Items/${entry(1)}/Move/1`)).status).toBe(204);
    expect(names(await bob.json('GET', `/Playlists/${Id}/Items`))).toEqual(['First', 'Second', 'Third']);

    expect((await bob.req('POST', `/Playlists/${Id}/Items/0123456789abcdef0123456789abcdef/Move/0`)).status).toBe(404);
    expect((await bob.req('POST', `/Playlists/${Id}/Items/${entry(0)}/Move/-1`)).status).toBe(400);
    expect((await eve.req('POST', `/Playlists/${Id}/Items/${entry(0)}/Move/1`)).status).toBe(404);
  });
});
