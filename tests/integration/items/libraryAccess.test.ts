/**
 * Per-user library access (UserPolicy.EnableAllFolders / EnabledFolders, issue 9): a user limited to some
 * views sees only those views and what lies under them, everywhere the library is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, names, startLibrary, type TestLibrary } from './library.js';
import type { Session } from '../../helpers/server.js';

let lib: TestLibrary;
/** Limited to TV Shows. */
let kid: Session;
/** Every library. */
let parent: Session;

const setPolicy = (userId: string, policy: Record<string, unknown>) => lib.admin.req('POST', `/Users/${userId}/Policy`, policy);

beforeAll(async () => {
  lib = await startLibrary();
  parent = await createUser(lib.server.url, lib.admin, 'parent');
  kid = await createUser(lib.server.url, lib.admin, 'kid');
  expect((await setPolicy(kid.userId, { EnableAllFolders: false, EnabledFolders: [lib.views.tv] })).status).toBe(204);
});
afterAll(() => lib.server.close());

const items = (s: Session, query: string) => s.json('GET', `/Users/${s.userId}/Items?${query}`);

describe('policy', () => {
  it('defaults to every library and stores the enabled views', async () => {
    const p = await lib.admin.json('GET', `/Users/${parent.userId}`);
    expect(p.Policy).toMatchObject({ EnableAllFolders: true, EnabledFolders: [] });
    const k = await lib.admin.json('GET', `/Users/${kid.userId}`);
    expect(k.Policy).toMatchObject({ EnableAllFolders: false, EnabledFolders: [lib.views.tv] });
  });

  it('stores view ids in the server form and validates them', async () => {
    const u = await createUser(lib.server.url, lib.admin, 'dashed');
    const dashed = lib.views.music.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5').toUpperCase();
    expect((await setPolicy(u.userId, { EnableAllFolders: false, EnabledFolders: [dashed, lib.views.music] })).status).toBe(204);
    expect((await lib.admin.json('GET', `/Users/${u.userId}`)).Policy.EnabledFolders).toEqual([lib.views.music]);
    expect(names(await u.json('GET', `/Users/${u.userId}/Views`))).toEqual(['Music']);
    expect((await setPolicy(u.userId, { EnabledFolders: [{ id: 1 }] })).status).toBe(400);
    expect((await setPolicy(u.userId, { EnabledFolders: ['x'.repeat(65)] })).status).toBe(400);
    expect((await setPolicy(u.userId, { EnableAllFolders: 'sometimes' })).status).toBe(400);
    // Only an administrator changes a policy.
    expect((await u.req('POST', `/Users/${u.userId}/Policy`, { EnableAllFolders: true })).status).toBe(403);
  });
});

describe('a user limited to TV Shows', () => {
  it('sees only that view', async () => {
    expect(names(await kid.json('GET', `/Users/${kid.userId}/Views`))).toEqual(['TV Shows']);
    expect(names(await items(kid, ''))).toEqual(['TV Shows']);
    expect(names(await parent.json('GET', `/Users/${parent.userId}/Views`))).toEqual(['Movies', 'Music', 'TV Shows']);
  });

  it('gets 404 for a hidden view, its items and their listings', async () => {
    expect((await kid.req('GET', `/Users/${kid.userId}/Items/${lib.movies.amelie}`)).status).toBe(404);
    expect((await kid.req('GET', `/Items/${lib.movies.amelie}`)).status).toBe(404);
    expect((await kid.req('GET', `/Users/${kid.userId}/Items/${lib.views.movies}`)).status).toBe(404);
    expect((await kid.req('GET', `/Users/${kid.userId}/Items?ParentId=${lib.views.movies}`)).status).toBe(404);
    expect((await kid.req('GET', `/Users/${kid.userId}/Items/${lib.show.s1e1}`)).status).toBe(200);
    expect((await parent.req('GET', `/Users/${parent.userId}/Items/${lib.movies.amelie}`)).status).toBe(200);
    // Nor can the user mark it played or favourite it.
    expect((await kid.req('POST', `/Users/${kid.userId}/FavoriteItems/${lib.movies.amelie}`)).status).toBe(404);
  });

  it('finds no movie recursively, by type, by search or by id', async () => {
    const all = await items(kid, 'Recursive=true&IncludeItemTypes=Movie,Episode,Audio');
    expect(all.Items.every((i: { Type: string }) => i.Type === 'Episode')).toBe(true);
    expect(all.TotalRecordCount).toBe(6);
    expect((await items(kid, 'Recursive=true&IncludeItemTypes=Movie')).Items).toEqual([]);
    expect((await items(kid, 'Recursive=true&SearchTerm=amelie')).Items).toEqual([]);
    expect(names(await items(parent, 'Recursive=true&SearchTerm=amelie'))).toEqual(['Amélie']);
    expect(names(await items(kid, `Ids=${lib.movies.amelie},${lib.show.s1e1}`))).toEqual(['Episode 1x1']);
  });

  it('lists no genre, person or studio that only hidden items carry', async () => {
    expect((await kid.json('GET', '/Genres')).Items).toEqual([]);
    expect(names(await parent.json('GET', '/Genres'))).toContain('Comedy');
    expect((await kid.json('GET', '/Persons')).Items).toEqual([]);
    expect((await kid.json('GET', '/Studios')).Items).toEqual([]);
    // An item-by-name stays reachable, but lists nothing hidden.
    const comedy = (await parent.json('GET', '/Genres')).Items.find((g: { Name: string }) => g.Name === 'Comedy').Id;
    expect((await kid.req('GET', `/Users/${kid.userId}/Items/${comedy}`)).status).toBe(200);
    expect((await items(kid, `ParentId=${comedy}`)).Items).toEqual([]);
    expect(names(await items(parent, `ParentId=${comedy}`))).toEqual(['Amélie', 'Brazil']);
  });

  it('keeps hidden items out of Latest, Resume and Next Up', async () => {
    await kid.req('POST', '/Sessions/Playing/Progress', { ItemId: lib.show.s1e2, PositionTicks: 10 * 60 * 10_000_000, IsPaused: false });
    expect(
      (await kid.req('POST', '/Sessions/Playing/Progress', { ItemId: lib.movies.alien, PositionTicks: 1, IsPaused: false })).status,
    ).not.toBe(204);
    const latest = await kid.json('GET', `/Users/${kid.userId}/Items/Latest?Limit=50&GroupItems=false`);
    expect(latest.length).toBeGreaterThan(0);
    expect(latest.every((i: { Type: string }) => i.Type === 'Episode')).toBe(true);
    // Grouped (the default), the episodes become their series — still nothing from the films.
    const grouped = await kid.json('GET', `/Users/${kid.userId}/Items/Latest?Limit=50`);
    expect(grouped.map((i: { Type: string }) => i.Type)).toEqual(['Series']);
    expect(names(await kid.json('GET', `/Users/${kid.userId}/Items/Resume`))).toEqual(['Episode 1x2']);
    expect((await kid.req('GET', `/Users/${kid.userId}/Items/Latest?ParentId=${lib.views.movies}`)).status).toBe(404);
  });

  it('drops Next Up of a view the user lost', async () => {
    const u = await createUser(lib.server.url, lib.admin, 'lost');
    await u.json('POST', `/Users/${u.userId}/PlayedItems/${lib.show.s1e1}`);
    expect(names(await u.json('GET', `/Shows/NextUp?UserId=${u.userId}`))).toEqual(['Episode 1x2']);
    expect((await setPolicy(u.userId, { EnableAllFolders: false, EnabledFolders: [lib.views.movies] })).status).toBe(204);
    expect((await u.json('GET', `/Shows/NextUp?UserId=${u.userId}`)).Items).toEqual([]);
    expect(names(await u.json('GET', `/Users/${u.userId}/Views`))).toEqual(['Movies']);
    // Back to every library: all of it again.
    expect((await setPolicy(u.userId, { EnableAllFolders: true })).status).toBe(204);
    expect(names(await u.json('GET', `/Shows/NextUp?UserId=${u.userId}`))).toEqual(['Episode 1x2']);
  });

  it('keeps the user’s own playlists whatever the views', async () => {
    const none = await createUser(lib.server.url, lib.admin, 'none', 'pw', { EnableAllFolders: false, EnabledFolders: [] });
    expect((await none.json('GET', `/Users/${none.userId}/Views`)).Items).toEqual([]);
    // A hidden item cannot go in; an empty playlist is the user's own and stays visible.
    expect((await none.req('POST', `/Playlists?Name=Mine&Ids=${lib.movies.amelie}&UserId=${none.userId}`)).status).toBe(400);
    const created = await none.json('POST', `/Playlists?Name=Mine&UserId=${none.userId}&MediaType=Video`);
    expect((await none.req('GET', `/Users/${none.userId}/Items/${created.Id}`)).status).toBe(200);
  });
});
