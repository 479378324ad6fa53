import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, MINUTE_TICKS, names, startLibrary, type TestLibrary } from './library.js';
import { authHeader, type Session } from '../../helpers/server.js';
import type { UserDataChangedEvent } from '../../../src/server/userdata/userDataService.js';

let lib: TestLibrary;
let n = 0;
/** A fresh user per test: user data never leaks between tests. */
const aUser = () => createUser(lib.server.url, lib.admin, `viewer${++n}`);

beforeAll(async () => {
  lib = await startLibrary();
});
afterAll(() => lib.server.close());

const userData = async (s: Session, id: string) => (await s.json('GET', `/Users/${s.userId}/Items/${id}`)).UserData;
const stop = (s: Session, itemId: string, positionTicks?: number) =>
  s.req('POST', '/Sessions/Playing/Stopped', { ItemId: itemId, PositionTicks: positionTicks, PlaySessionId: 'x', CanSeek: true });

describe('played and favourites', () => {
  it('marks an item played and unplayed, returning UserItemDataDto', async () => {
    const s = await aUser();
    const played = await s.json('POST', `/Users/${s.userId}/PlayedItems/${lib.movies.alien}?DatePlayed=2024-05-01T10:00:00Z`);
    expect(played).toMatchObject({
      Played: true,
      PlayCount: 1,
      PlaybackPositionTicks: 0,
      Key: lib.movies.alien,
      LastPlayedDate: '2024-05-01T10:00:00.000Z',
    });
    expect((await s.json('POST', `/Users/${s.userId}/PlayedItems/${lib.movies.alien}`)).PlayCount).toBe(2);
    const unplayed = await s.json('DELETE', `/Users/${s.userId}/PlayedItems/${lib.movies.alien}`);
    expect(unplayed).toMatchObject({ Played: false, PlayCount: 0, PlaybackPositionTicks: 0 });
    expect(unplayed.LastPlayedDate).toBeUndefined();
  });

  it('marks every playable item of a folder, and the folder reads as played', async () => {
    const s = await aUser();
    const dto = await s.json('POST', `/Users/${s.userId}/PlayedItems/${lib.show.series}`);
    expect(dto).toMatchObject({ Played: true, UnplayedItemCount: 0, PlayedPercentage: 100 });
    for (const ep of [lib.show.s1e1, lib.show.s2e2, lib.show.sp1]) expect((await userData(s, ep)).Played).toBe(true);
    const season = await userData(s, lib.show.s1);
    expect(season).toMatchObject({ Played: true, UnplayedItemCount: 0 });
    const playedFolders = await s.json('GET', `/Users/${s.userId}/Items?ParentId=${lib.views.tv}&Filters=IsPlayed`);
    expect(names(playedFolders)).toEqual(['Show']);
    await s.json('DELETE', `/Users/${s.userId}/PlayedItems/${lib.show.s1}`);
    expect(await userData(s, lib.show.series)).toMatchObject({ Played: false, UnplayedItemCount: 3 });
    expect((await s.json('GET', `/Users/${s.userId}/Items?ParentId=${lib.views.tv}&IsPlayed=false`)).TotalRecordCount).toBe(1);
    // Another user's view of the same items is untouched.
    const other = await aUser();
    expect(await userData(other, lib.show.series)).toMatchObject({ Played: false, UnplayedItemCount: 6 });
  });

  it('filters played and unplayed items', async () => {
    const s = await aUser();
    await s.json('POST', `/Users/${s.userId}/PlayedItems/${lib.movies.zodiac}`);
    const q = `/Users/${s.userId}/Items?ParentId=${lib.views.movies}`;
    expect(names(await s.json('GET', `${q}&Filters=IsPlayed`))).toEqual(['Zodiac']);
    expect(names(await s.json('GET', `${q}&Filters=IsUnplayed`))).toEqual(['Alien', 'Amélie', 'Brazil', 'The Matrix']);
    expect(names(await s.json('GET', `${q}&IsPlayed=true`))).toEqual(['Zodiac']);
  });

  it('sets and clears favourites, and filters by them', async () => {
    const s = await aUser();
    expect(await s.json('POST', `/Users/${s.userId}/FavoriteItems/${lib.movies.brazil}`)).toMatchObject({ IsFavorite: true });
    await s.json('POST', `/Users/${s.userId}/FavoriteItems/${lib.show.series}`);
    const favs = await s.json('GET', `/Users/${s.userId}/Items?Recursive=true&Filters=IsFavorite`);
    expect(names(favs)).toEqual(['Brazil', 'Show']);
    expect(await s.json('DELETE', `/Users/${s.userId}/FavoriteItems/${lib.movies.brazil}`)).toMatchObject({ IsFavorite: false });
    expect(names(await s.json('GET', `/Users/${s.userId}/Items?Recursive=true&IsFavorite=true`))).toEqual(['Show']);
  });

  it('refuses another user (403) and unknown items (404)', async () => {
    const s = await aUser();
    const other = await aUser();
    expect((await s.req('POST', `/Users/${other.userId}/PlayedItems/${lib.movies.alien}`)).status).toBe(403);
    expect((await s.req('POST', `/Users/${other.userId}/FavoriteItems/${lib.movies.alien}`)).status).toBe(403);
    expect((await s.req('POST', `/Users/${s.userId}/PlayedItems/0123456789abcdef0123456789abcdef`)).status).toBe(404);
    expect((await s.req('POST', '/Sessions/Playing/Stopped', { ItemId: '0123456789abcdef0123456789abcdef' })).status).toBe(404);
    expect((await s.req('POST', '/Sessions/Playing/Stopped', {})).status).toBe(400);
    // An admin may act for someone else.
    expect((await lib.admin.req('POST', `/Users/${s.userId}/FavoriteItems/${lib.movies.alien}`)).status).toBe(200);
  });

  it('tells listeners what changed', async () => {
    const s = await aUser();
    const events: UserDataChangedEvent[] = [];
    const listener = (e: UserDataChangedEvent) => events.push(e);
    lib.server.built.deps.userData.on('userDataChanged', listener);
    try {
      await s.json('POST', `/Users/${s.userId}/PlayedItems/${lib.show.s2}`);
      await stop(s, lib.movies.alien, 50 * MINUTE_TICKS);
    } finally {
      lib.server.built.deps.userData.off('userDataChanged', listener);
    }
    expect(events).toEqual([
      { userId: s.userId, itemIds: expect.arrayContaining([lib.show.s2e1, lib.show.s2e2]) },
      { userId: s.userId, itemIds: [lib.movies.alien] },
    ]);
  });
});

describe('playback reports and the resume rules (API.md §5.12)', () => {
  // Every movie here runs 100 minutes (Brazil 130): 1 % = 1 minute.
  const pct = (p: number) => Math.round(p * MINUTE_TICKS);

  it('starts over below 5 %, without counting a play', async () => {
    const s = await aUser();
    expect((await stop(s, lib.movies.matrix, pct(4.99))).status).toBe(204);
    expect(await userData(s, lib.movies.matrix)).toMatchObject({ Played: false, PlayCount: 0, PlaybackPositionTicks: 0 });
    expect((await userData(s, lib.movies.matrix)).LastPlayedDate).toBeTruthy();
  });

  it('keeps the position from 5 % through 90 %', async () => {
    const s = await aUser();
    await stop(s, lib.movies.matrix, pct(5));
    expect(await userData(s, lib.movies.matrix)).toMatchObject({ Played: false, PlaybackPositionTicks: pct(5), PlayedPercentage: 5 });
    await stop(s, lib.movies.matrix, pct(90));
    expect(await userData(s, lib.movies.matrix)).toMatchObject({ Played: false, PlayCount: 0, PlaybackPositionTicks: pct(90) });
  });

  it('marks played above 90 %: one more play, position back to 0', async () => {
    const s = await aUser();
    await stop(s, lib.movies.matrix, pct(90) + 1);
    expect(await userData(s, lib.movies.matrix)).toMatchObject({ Played: true, PlayCount: 1, PlaybackPositionTicks: 0 });
    await stop(s, lib.movies.matrix);
    expect(await userData(s, lib.movies.matrix)).toMatchObject({ Played: true, PlayCount: 2 });
  });

  it('marks short items (< 300 s) played wherever they stop past 5 %', async () => {
    const s = await aUser();
    const clip = lib.rows.movie(lib.views.movies, `Clip ${n}`, { runTimeTicks: 299 * 10_000_000 });
    await stop(s, clip, 150 * 10_000_000);
    expect(await userData(s, clip)).toMatchObject({ Played: true, PlayCount: 1, PlaybackPositionTicks: 0 });
    const fiveMinutes = lib.rows.movie(lib.views.movies, `Five ${n}`, { runTimeTicks: 300 * 10_000_000 });
    await stop(s, fiveMinutes, 150 * 10_000_000);
    expect(await userData(s, fiveMinutes)).toMatchObject({ Played: false, PlaybackPositionTicks: 150 * 10_000_000 });
    lib.server.built.deps.db.prepare('DELETE FROM items WHERE id IN (?, ?)').run(clip, fiveMinutes);
  });

  it('exports applyPlayedPosition for offline actions: unknown items are skipped', async () => {
    const s = await aUser();
    const svc = lib.server.built.deps.userData;
    expect(svc.applyPlayedPosition(s.userId, '0123456789abcdef0123456789abcdef', 1, new Date())).toBeUndefined();
    const dto = svc.applyPlayedPosition(s.userId, lib.movies.alien, pct(40), '2024-02-02T00:00:00Z');
    expect(dto).toMatchObject({ Played: false, PlaybackPositionTicks: pct(40), LastPlayedDate: '2024-02-02T00:00:00.000Z' });
  });

  it('refuses absurd positions (400) and stores nothing; the service clamps what reaches it another way', async () => {
    const s = await aUser();
    await stop(s, lib.movies.alien, pct(40));
    const raw = (path: string, ticks: string) =>
      fetch(`${lib.server.url}${path}`, {
        method: 'POST',
        headers: { 'x-emby-authorization': authHeader(s.deviceId, s.token), 'content-type': 'application/json' },
        // Raw JSON: 1e309 parses to Infinity, which JSON.stringify could not send.
        body: `{"ItemId":"${lib.movies.alien}","PositionTicks":${ticks}}`,
      });
    for (const path of ['/Sessions/Playing', '/Sessions/Playing/Progress', '/Sessions/Playing/Stopped']) {
      for (const ticks of ['1e300', '1e309', '9007199254740993', '"1e300"']) {
        const res = await raw(path, ticks);
        expect(res.status, `${path} ${ticks}`).toBe(400);
        expect(await res.json()).toMatchObject({ error: 'BadRequest' });
      }
    }
    expect(await userData(s, lib.movies.alien)).toMatchObject({ Played: false, PlaybackPositionTicks: pct(40) });
    // Offline actions reach applyPlayedPosition without the route's schema: a non-finite position is the end.
    const dto = lib.server.built.deps.userData.applyPlayedPosition(s.userId, lib.movies.alien, Infinity, new Date());
    expect(dto).toMatchObject({ Played: true, PlaybackPositionTicks: 0 });
    expect(Number.isFinite(dto!.PlayedPercentage ?? 0)).toBe(true);
  });

  it('stores progress so Resume shows it, last played first, without counting a play', async () => {
    const s = await aUser();
    const progress = (id: string, ticks: number) =>
      s.req('POST', '/Sessions/Playing/Progress', { ItemId: id, PositionTicks: ticks, IsPaused: false });
    expect((await s.req('POST', '/Sessions/Playing', { ItemId: lib.movies.alien, PositionTicks: 0 })).status).toBe(204);
    expect((await progress(lib.movies.alien, pct(20))).status).toBe(204);
    // The pauses only make the LastPlayedDate values (millisecond ISO strings) differ; Resume sorts by them.
    await new Promise((r) => setTimeout(r, 5));
    await progress(lib.show.s1e2, 10 * MINUTE_TICKS);
    await new Promise((r) => setTimeout(r, 5));
    await progress(lib.movies.zodiac, pct(30));
    await s.json('POST', `/Users/${s.userId}/PlayedItems/${lib.movies.zodiac}`);
    const resume = await s.json('GET', `/Users/${s.userId}/Items/Resume`);
    expect(names(resume)).toEqual(['Episode 1x2', 'Alien']);
    expect(resume.TotalRecordCount).toBe(2);
    expect(resume.Items[1].UserData).toMatchObject({ PlaybackPositionTicks: pct(20), PlayCount: 0, Played: false });
    expect(names(await s.json('GET', `/Users/${s.userId}/Items/Resume?ParentId=${lib.views.movies}`))).toEqual(['Alien']);
    expect(names(await s.json('GET', `/Users/${s.userId}/Items/Resume?Limit=1`))).toEqual(['Episode 1x2']);
    expect((await s.json('GET', `/Users/${s.userId}/Items/Resume?Limit=1`)).TotalRecordCount).toBe(2);
    // Resume is also a filter.
    expect(names(await s.json('GET', `/Users/${s.userId}/Items?Recursive=true&Filters=IsResumable&SortBy=SortName`))).toEqual([
      'Alien',
      'Episode 1x2',
    ]);
  });
});

describe('Latest and Next Up', () => {
  it('lists the newest media first as a plain array, honouring ParentId, types and Limit (GroupItems=false)', async () => {
    const s = await aUser();
    const latest = await s.json('GET', `/Users/${s.userId}/Items/Latest?Limit=3&GroupItems=false`);
    expect(Array.isArray(latest)).toBe(true);
    expect(names(latest)).toEqual(['Third', 'First', 'Second']);
    expect(names(await s.json('GET', `/Users/${s.userId}/Items/Latest?ParentId=${lib.views.movies}&Limit=2`))).toEqual([
      'Brazil',
      'Zodiac',
    ]);
    const eps = await s.json('GET', `/Users/${s.userId}/Items/Latest?IncludeItemTypes=Episode&Limit=2&GroupItems=false`);
    expect(names(eps)).toEqual(['Episode 0x1', 'Episode 1x2']);
    expect(latest.every((i: any) => !i.IsFolder)).toBe(true);
  });

  it('groups several new songs into their album and episodes into their series, as Emby does by default', async () => {
    const s = await aUser();
    const grouped = await s.json('GET', `/Users/${s.userId}/Items/Latest?Limit=3`);
    // The album takes the place of its newest song, the series of its newest episode; the limit counts entries.
    expect(grouped.map((i: any) => [i.Name, i.Type])).toEqual([
      ['Album A', 'MusicAlbum'],
      ['Show', 'Series'],
      ['Brazil', 'Movie'],
    ]);
    // A lone new episode of another series stays an episode.
    const tv = lib.views.tv;
    const lone = lib.rows.series(tv, 'Lone Show');
    const season = lib.rows.season(tv, lone, 1, 'Lone Show');
    lib.rows.episode(tv, lone, season, 1, 1, { seriesName: 'Lone Show', name: 'Lone Pilot', dateCreated: '2099-01-01T00:00:00.000Z' });
    const episodes = await s.json('GET', `/Users/${s.userId}/Items/Latest?IncludeItemTypes=Episode&Limit=2`);
    expect(episodes.map((i: any) => [i.Name, i.Type])).toEqual([
      ['Lone Pilot', 'Episode'],
      ['Show', 'Series'],
    ]);
  });

  it('gives the episode after the furthest watched one, per started series, most recent first', async () => {
    const s = await aUser();
    const nextUp = () => s.json('GET', `/Shows/NextUp?UserId=${s.userId}`);
    expect((await nextUp()).Items).toEqual([]);
    await s.json('POST', `/Users/${s.userId}/PlayedItems/${lib.show.s1e1}?DatePlayed=2024-03-01T00:00:00Z`);
    expect(names(await nextUp())).toEqual(['Episode 1x2']);
    // Watching out of order: the furthest played episode counts, earlier gaps are skipped.
    await s.json('POST', `/Users/${s.userId}/PlayedItems/${lib.show.s1e3}?DatePlayed=2024-03-02T00:00:00Z`);
    expect(names(await nextUp())).toEqual(['Episode 2x1']);
    // Specials never come up, and a second series watched more recently comes first.
    const tv = lib.views.tv;
    const other = lib.rows.series(tv, 'Other Show');
    const os1 = lib.rows.season(tv, other, 1, 'Other Show');
    const o1 = lib.rows.episode(tv, other, os1, 1, 1, { seriesName: 'Other Show' });
    lib.rows.episode(tv, other, os1, 1, 2, { seriesName: 'Other Show', name: 'Other 2' });
    await s.json('POST', `/Users/${s.userId}/PlayedItems/${o1}?DatePlayed=2024-03-05T00:00:00Z`);
    const both = await nextUp();
    expect(names(both)).toEqual(['Other 2', 'Episode 2x1']);
    expect(both.TotalRecordCount).toBe(2);
    expect(names(await s.json('GET', `/Shows/NextUp?SeriesId=${lib.show.series}`))).toEqual(['Episode 2x1']);
    const paged = await s.json('GET', `/Shows/NextUp?StartIndex=1&Limit=1`);
    expect(names(paged)).toEqual(['Episode 2x1']);
    expect(paged.TotalRecordCount).toBe(2);
    // Finishing a series drops it.
    await s.json('POST', `/Users/${s.userId}/PlayedItems/${lib.show.series}`);
    expect(names(await nextUp())).toEqual(['Other 2']);
  });

  it('exports the categories for the sync core', async () => {
    const { latestItems, resumeItems, nextUpEpisodes } = await import('../../../src/server/library/categories.js');
    const s = await aUser();
    const repo = lib.server.built.deps.items;
    expect(latestItems(repo, { userId: s.userId, parentId: lib.views.music }).map((r) => r.name)).toEqual(['Third', 'First', 'Second']);
    expect(resumeItems(repo, { userId: s.userId }).rows).toEqual([]);
    expect(nextUpEpisodes(repo, { userId: s.userId }).total).toBe(0);
  });
});
