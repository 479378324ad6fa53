import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, names, startLibrary, type TestLibrary } from './library.js';
import type { Session } from '../../helpers/server.js';

let lib: TestLibrary;
let bob: Session;
let carol: Session;

beforeAll(async () => {
  lib = await startLibrary();
  bob = await createUser(lib.server.url, lib.admin, 'bob');
  carol = await createUser(lib.server.url, lib.admin, 'carol', 'pw', { EnableSync: false });
});
afterAll(() => lib.server.close());

const items = (s: Session, query: string) => s.json('GET', `/Users/${s.userId}/Items?${query}`);

describe('browsing', () => {
  it('lists the views that hold something, by name', async () => {
    const views = await bob.json('GET', `/Users/${bob.userId}/Views`);
    expect(names(views)).toEqual(['Movies', 'Music', 'TV Shows']);
    expect(views.TotalRecordCount).toBe(3);
    expect(views.Items[0]).toMatchObject({ Type: 'CollectionFolder', CollectionType: 'movies', IsFolder: true });
    // The user's root (no ParentId) is the same list.
    expect(names(await items(bob, ''))).toEqual(['Movies', 'Music', 'TV Shows']);
  });

  it('lists a view’s children by SortName (articles ignored)', async () => {
    const r = await items(bob, `ParentId=${lib.views.movies}`);
    expect(names(r)).toEqual(['Alien', 'Amélie', 'Brazil', 'The Matrix', 'Zodiac']);
    expect(r.TotalRecordCount).toBe(5);
    expect(r.Items[0]).toMatchObject({ Type: 'Movie', MediaType: 'Video', IsFolder: false, ParentId: lib.views.movies });
    expect(r.Items[0].ServerId).toMatch(/^[0-9a-f]{32}$/);
    expect(r.Items[0].BackdropImageTags).toEqual([]);
    expect(r.Items[0].UserData).toMatchObject({ Played: false, PlayCount: 0, IsFavorite: false, PlaybackPositionTicks: 0 });
  });

  it('sorts by several keys with their own orders', async () => {
    expect(names(await items(bob, `ParentId=${lib.views.movies}&SortBy=ProductionYear&SortOrder=Descending`))).toEqual([
      'Zodiac',
      'Amélie',
      'The Matrix',
      'Brazil',
      'Alien',
    ]);
    // Insert order is DateCreated order: newest first, then by name.
    expect(names(await items(bob, `ParentId=${lib.views.movies}&SortBy=DateCreated,SortName&SortOrder=Descending,Ascending`))).toEqual([
      'Brazil',
      'Zodiac',
      'Alien',
      'The Matrix',
      'Amélie',
    ]);
    expect(names(await items(bob, `ParentId=${lib.views.movies}&SortBy=Runtime,Name&SortOrder=Descending`))[0]).toBe('Brazil');
    const random = await items(bob, `ParentId=${lib.views.movies}&SortBy=Random`);
    expect(names(random).sort()).toEqual(['Alien', 'Amélie', 'Brazil', 'The Matrix', 'Zodiac']);
  });

  it('pages with a TotalRecordCount of the whole result', async () => {
    const page = await items(bob, `ParentId=${lib.views.movies}&StartIndex=1&Limit=2`);
    expect(names(page)).toEqual(['Amélie', 'Brazil']);
    expect(page.TotalRecordCount).toBe(5);
    expect(page.StartIndex).toBe(1);
    const past = await items(bob, `ParentId=${lib.views.movies}&StartIndex=10&Limit=2`);
    expect(past.Items).toEqual([]);
    expect(past.TotalRecordCount).toBe(5);
    const none = await items(bob, `ParentId=${lib.views.movies}&Limit=0`);
    expect(none).toMatchObject({ Items: [], TotalRecordCount: 5 });
    const last = await items(bob, `ParentId=${lib.views.movies}&StartIndex=4&Limit=2`);
    expect(last).toMatchObject({ TotalRecordCount: 5 });
    expect(names(last)).toEqual(['Zodiac']);
  });

  it('walks a series in season and episode order; Recursive reaches every descendant', async () => {
    expect(names(await items(bob, `ParentId=${lib.show.series}`))).toEqual(['Specials', 'Season 1', 'Season 2']);
    expect(names(await items(bob, `ParentId=${lib.show.s1}`))).toEqual(['Episode 1x1', 'Episode 1x2', 'Episode 1x3']);
    const all = await items(bob, `ParentId=${lib.show.series}&Recursive=true&IncludeItemTypes=Episode`);
    expect(names(all)).toEqual(['Episode 0x1', 'Episode 1x1', 'Episode 1x2', 'Episode 1x3', 'Episode 2x1', 'Episode 2x2']);
    const view = await items(bob, `ParentId=${lib.views.tv}&Recursive=true`);
    expect(view.TotalRecordCount).toBe(1 + 3 + 6);
    expect(names(await items(bob, `ParentId=${lib.music.album}`))).toEqual(['First', 'Second', 'Third']);
  });

  it('filters the whole library by type, media type, folder-ness and year', async () => {
    expect((await items(bob, 'Recursive=true&IncludeItemTypes=Movie')).TotalRecordCount).toBe(5);
    expect((await items(bob, 'Recursive=true&IncludeItemTypes=movie,episode')).TotalRecordCount).toBe(11);
    expect((await items(bob, 'Recursive=true&MediaTypes=Audio')).TotalRecordCount).toBe(3);
    expect((await items(bob, 'Recursive=true&Filters=IsFolder&ExcludeItemTypes=Season')).Items.map((i: any) => i.Type).sort()).toEqual([
      'MusicAlbum',
      'Series',
    ]);
    expect(names(await items(bob, 'Recursive=true&IncludeItemTypes=Movie&Years=1999,2007'))).toEqual(['The Matrix', 'Zodiac']);
    // Items-by-name never leak into a plain recursive listing.
    const everything = await items(bob, 'Recursive=true');
    expect(everything.Items.some((i: any) => ['Genre', 'Person', 'Studio', 'MusicArtist'].includes(i.Type))).toBe(false);
  });

  it('filters by genre names (| separated), genre, studio, person and artist ids', async () => {
    expect(names(await items(bob, 'Recursive=true&IncludeItemTypes=Movie&Genres=comedy|Crime'))).toEqual(['Amélie', 'Brazil', 'Zodiac']);
    const sciFi = lib.rows.byName('Genre', 'Sci-Fi');
    expect(names(await items(bob, `Recursive=true&GenreIds=${sciFi}`))).toEqual(['Alien', 'Brazil', 'The Matrix']);
    expect(names(await items(bob, `Recursive=true&StudioIds=${lib.rows.byName('Studio', 'Canal')}`))).toEqual(['Amélie']);
    const audrey = lib.rows.byName('Person', 'Audrey');
    expect(names(await items(bob, `Recursive=true&PersonIds=${audrey}`))).toEqual(['Amélie']);
    expect(names(await items(bob, `Recursive=true&PersonIds=${audrey}&PersonTypes=Director`))).toEqual([]);
    const artist = lib.rows.byName('MusicArtist', 'Artist X');
    expect(names(await items(bob, `Recursive=true&IncludeItemTypes=MusicAlbum&AlbumArtistIds=${artist}`))).toEqual(['Album A']);
    expect((await items(bob, `Recursive=true&IncludeItemTypes=Audio&ArtistIds=${artist}`)).TotalRecordCount).toBe(3);
    // An item-by-name as ParentId lists its items.
    expect(names(await items(bob, `ParentId=${sciFi}&SortBy=ProductionYear`))).toEqual(['Alien', 'Brazil', 'The Matrix']);
  });

  it('searches names case- and accent-insensitively, and by first letter', async () => {
    expect(names(await items(bob, 'Recursive=true&SearchTerm=amelie'))).toEqual(['Amélie']);
    expect(names(await items(bob, 'Recursive=true&SearchTerm=MAT'))).toEqual(['The Matrix']);
    expect(names(await items(bob, 'Recursive=true&SearchTerm=100%25'))).toEqual([]);
    expect(names(await items(bob, `ParentId=${lib.views.movies}&NameStartsWith=b`))).toEqual(['Brazil']);
    // SortName drops the article: "The Matrix" starts with M.
    expect(names(await items(bob, `ParentId=${lib.views.movies}&NameStartsWith=M`))).toEqual(['The Matrix']);
  });

  it('pages an alphabet bar with NameStartsWithOrGreater and NameLessThan (by sort name, case-insensitive)', async () => {
    const all = names(await items(bob, `ParentId=${lib.views.movies}`));
    const from = names(await items(bob, `ParentId=${lib.views.movies}&NameStartsWithOrGreater=m`));
    const before = names(await items(bob, `ParentId=${lib.views.movies}&NameLessThan=M`));
    // Every film on exactly one side of "M", "The Matrix" (sort name "matrix") on the far side.
    expect([...before, ...from].sort()).toEqual([...all].sort());
    expect(from).toContain('The Matrix');
    expect(before).toContain('Brazil');
    expect(before).not.toContain('The Matrix');
    expect(names(await items(bob, `ParentId=${lib.views.movies}&NameStartsWithOrGreater=b&NameLessThan=c`))).toEqual(['Brazil']);
  });

  it('returns Ids in the order asked, dashed and upper-case ids accepted', async () => {
    const { zodiac, alien, matrix } = lib.movies;
    const dashed =
      `${alien.slice(0, 8)}-${alien.slice(8, 12)}-${alien.slice(12, 16)}-${alien.slice(16, 20)}-${alien.slice(20)}`.toUpperCase();
    const r = await items(bob, `Ids=${zodiac},${dashed},${matrix}`);
    expect(names(r)).toEqual(['Zodiac', 'Alien', 'The Matrix']);
    expect(r.TotalRecordCount).toBe(3);
  });

  it('accepts query names in any case under /emby', async () => {
    const r = await bob.json(
      'GET',
      `/emby/Users/${bob.userId}/Items?parentid=${lib.views.movies}&SORTBY=productionyear&sortorder=descending&limit=1`,
    );
    expect(names(r)).toEqual(['Zodiac']);
    const viaItems = await bob.json('GET', `/Items?userId=${bob.userId}&ParentId=${lib.views.movies}&Limit=1`);
    expect(names(viaItems)).toEqual(['Alien']);
  });
});

describe('item details', () => {
  it('gives the full DTO with bare file names only (no server path on the wire)', async () => {
    const res = await bob.req('GET', `/Users/${bob.userId}/Items/${lib.movies.amelie}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('/media/');
    const dto = JSON.parse(text);
    expect(dto).toMatchObject({
      Id: lib.movies.amelie,
      Name: 'Amélie',
      Path: 'Amélie.mkv',
      Overview: 'A shy waitress.',
      ProductionYear: 2001,
    });
    expect(dto.ImageTags).toEqual({ Primary: 'tag-amelie' });
    expect(dto.MediaSources).toHaveLength(1);
    expect(dto.MediaSources[0]).toMatchObject({
      Id: lib.movies.amelie,
      Path: 'Amélie.mkv',
      Container: 'mkv',
      Size: 1000,
      Protocol: 'File',
      SupportsDirectPlay: true,
      DefaultAudioStreamIndex: 1,
    });
    expect(dto.MediaStreams.find((s: any) => s.IsExternal).Path).toBe('Amélie.fr.srt');
    expect(dto.Genres).toEqual(['Comedy', 'Romance']);
    expect(dto.GenreItems.map((g: any) => g.Id)).toEqual([lib.rows.byName('Genre', 'Comedy'), lib.rows.byName('Genre', 'Romance')]);
    expect(dto.Studios).toEqual([{ Name: 'Canal', Id: lib.rows.byName('Studio', 'Canal') }]);
    expect(dto.People).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Name: 'Audrey', Type: 'Actor' }),
        expect.objectContaining({ Name: 'Jean-Pierre', Type: 'Director' }),
      ]),
    );
    expect(dto.Width).toBe(1920);
    expect(dto.PrimaryImageAspectRatio).toBeCloseTo(2 / 3);
  });

  it('gives folders their counts and parents’ image tags to children', async () => {
    const series = await bob.json('GET', `/Users/${bob.userId}/Items/${lib.show.series}`);
    expect(series).toMatchObject({ Type: 'Series', IsFolder: true, ChildCount: 3, RecursiveItemCount: 6 });
    expect(series.UserData).toMatchObject({ UnplayedItemCount: 6, Played: false });
    expect(series.Path).toBeUndefined();
    expect(series.MediaSources).toBeUndefined();
    const ep = await bob.json('GET', `/Users/${bob.userId}/Items/${lib.show.s1e1}`);
    expect(ep).toMatchObject({
      SeriesId: lib.show.series,
      SeriesPrimaryImageTag: 'tag-show',
      SeasonId: lib.show.s1,
      IndexNumber: 1,
      ParentIndexNumber: 1,
    });
    const track = await bob.json('GET', `/Users/${bob.userId}/Items/${lib.music.t1}`);
    expect(track.Artists).toEqual(['Artist X']);
    expect(track.AlbumArtists).toEqual([{ Name: 'Artist X', Id: lib.rows.byName('MusicArtist', 'Artist X') }]);
  });

  it('answers 404 JSON for unknown or malformed ids and an unknown ParentId', async () => {
    for (const p of [
      `/Users/${bob.userId}/Items/0123456789abcdef0123456789abcdef`,
      `/Users/${bob.userId}/Items/nope`,
      `/Users/${bob.userId}/Items?ParentId=0123456789abcdef0123456789abcdef`,
    ]) {
      const res = await bob.req('GET', p);
      expect(res.status, p).toBe(404);
      expect((await res.json()).error).toBe('NotFound');
    }
  });
});

describe('access and input bounds', () => {
  it('refuses another user’s library to non-admins (403) and allows admins', async () => {
    expect((await bob.req('GET', `/Users/${carol.userId}/Items`)).status).toBe(403);
    expect((await bob.req('GET', `/Users/${carol.userId}/Items/${lib.movies.alien}`)).status).toBe(403);
    expect((await bob.req('GET', `/Items?UserId=${carol.userId}`)).status).toBe(403);
    expect((await bob.req('GET', `/Shows/NextUp?UserId=${carol.userId}`)).status).toBe(403);
    expect((await lib.admin.req('GET', `/Users/${bob.userId}/Items?ParentId=${lib.views.movies}`)).status).toBe(200);
    expect((await lib.admin.req('GET', `/Users/0123456789abcdef0123456789abcdef/Items`)).status).toBe(404);
    expect((await fetch(`${lib.server.url}/Users/${bob.userId}/Items`)).status).toBe(401);
  });

  it('rejects a negative StartIndex or a bad boolean with 400 and caps huge limits', async () => {
    expect((await bob.req('GET', `/Users/${bob.userId}/Items?StartIndex=-1`)).status).toBe(400);
    expect((await bob.req('GET', `/Users/${bob.userId}/Items?Recursive=maybe`)).status).toBe(400);
    expect((await bob.req('GET', `/Users/${bob.userId}/Items?Limit=-5`)).status).toBe(400);
    const big = await items(bob, `ParentId=${lib.views.movies}&Limit=900000`);
    expect(big.Items).toHaveLength(5);
  });
});

describe('sync fields', () => {
  it('SupportsSync follows EnableSync and what can be synced', async () => {
    const q = `Ids=${lib.movies.alien},${lib.show.series},${lib.rows.byName('Genre', 'Comedy')},${lib.views.movies}&Fields=SyncInfo`;
    const forBob = await items(bob, q);
    expect(forBob.Items.map((i: any) => i.SupportsSync)).toEqual([true, true, true, true]);
    expect(forBob.Items[0]).toMatchObject({ HasSyncJob: false, IsSynced: false });
    const forCarol = await items(carol, q);
    expect(forCarol.Items.map((i: any) => i.SupportsSync)).toEqual([false, false, false, false]);
    const basic = await items(bob, `Ids=${lib.movies.alien}&Fields=BasicSyncInfo`);
    expect(basic.Items[0].SupportsSync).toBe(true);
    expect(basic.Items[0]).not.toHaveProperty('HasSyncJob');
    const none = await items(bob, `Ids=${lib.movies.alien}`);
    expect(none.Items[0]).not.toHaveProperty('SupportsSync');
  });

  it('asks the pluggable provider for the calling device’s sync state', async () => {
    const calls: Array<[string, string | undefined, readonly string[]]> = [];
    lib.server.built.deps.itemDtos.useSyncInfoProvider({
      forItems(userId, deviceId, ids) {
        calls.push([userId, deviceId, ids]);
        return new Map([[lib.movies.alien, { HasSyncJob: true, SyncStatus: 'Synced', SyncPercent: 100, IsSynced: true }]]);
      },
    });
    try {
      const r = await items(bob, `Ids=${lib.movies.alien},${lib.movies.zodiac}&Fields=SyncInfo`);
      expect(r.Items[0]).toMatchObject({ HasSyncJob: true, SyncStatus: 'Synced', SyncPercent: 100, IsSynced: true });
      expect(r.Items[1]).toMatchObject({ HasSyncJob: false, IsSynced: false });
      expect(calls).toEqual([[bob.userId, bob.deviceId, [lib.movies.alien, lib.movies.zodiac]]]);
    } finally {
      lib.server.built.deps.itemDtos.useSyncInfoProvider({ forItems: () => new Map() });
    }
  });
});

describe('shows and items by name', () => {
  it('lists seasons and episodes of a show, by season number or id', async () => {
    const seasons = await bob.json('GET', `/Shows/${lib.show.series}/Seasons?UserId=${bob.userId}`);
    expect(names(seasons)).toEqual(['Specials', 'Season 1', 'Season 2']);
    const s1 = await bob.json('GET', `/Shows/${lib.show.series}/Episodes?UserId=${bob.userId}&Season=1`);
    expect(names(s1)).toEqual(['Episode 1x1', 'Episode 1x2', 'Episode 1x3']);
    const bySeasonId = await bob.json('GET', `/Shows/${lib.show.series}/Episodes?SeasonId=${lib.show.s2}`);
    expect(names(bySeasonId)).toEqual(['Episode 2x1', 'Episode 2x2']);
    expect((await bob.json('GET', `/Shows/${lib.show.series}/Episodes`)).TotalRecordCount).toBe(6);
    expect((await bob.req('GET', `/Shows/0123456789abcdef0123456789abcdef/Episodes`)).status).toBe(404);
  });

  it('lists genres, studios, people and artists under a parent with counts', async () => {
    const genres = await bob.json('GET', `/Genres?ParentId=${lib.views.movies}&UserId=${bob.userId}`);
    expect(names(genres)).toEqual(['Action', 'Comedy', 'Crime', 'Horror', 'Romance', 'Sci-Fi']);
    expect(genres.Items.find((g: any) => g.Name === 'Sci-Fi')).toMatchObject({ Type: 'Genre', MovieCount: 3, ChildCount: 3 });
    expect(names(await bob.json('GET', `/Genres?ParentId=${lib.views.tv}`))).toEqual([]);
    const paged = await bob.json('GET', `/Genres?ParentId=${lib.views.movies}&StartIndex=1&Limit=2`);
    expect(names(paged)).toEqual(['Comedy', 'Crime']);
    expect(paged.TotalRecordCount).toBe(6);
    expect(names(await bob.json('GET', `/Genres?SearchTerm=sci`))).toEqual(['Sci-Fi']);
    expect(names(await bob.json('GET', '/Studios'))).toEqual(['Canal']);
    expect(names(await bob.json('GET', '/Persons?PersonTypes=Director'))).toEqual(['Jean-Pierre']);
    const artists = await bob.json('GET', `/Artists/AlbumArtists?ParentId=${lib.views.music}`);
    expect(artists.Items).toHaveLength(1);
    expect(artists.Items[0]).toMatchObject({ Name: 'Artist X', Type: 'MusicArtist', SongCount: 3, AlbumCount: 1 });
    expect(names(await bob.json('GET', `/Artists?ParentId=${lib.views.movies}`))).toEqual([]);
    expect(names(await bob.json('GET', '/MusicGenres'))).toEqual([]);
  });
});
