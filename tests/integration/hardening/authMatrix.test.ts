import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, makeImage, tempDir } from '../../helpers/media.js';
import { authHeader, createUser, sessionFor, signIn, type Session } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from '../sync/fixture.js';

/**
 * Authorization of every route the server registers, driven by `deps.routeCatalog` so a new route is
 * covered the day it is added, for every kind of caller: anonymous, a bad token (header or URL), a
 * disabled user, another user, a user limited to some libraries, a user who signed in with someone
 * else's DeviceId (a DeviceId is not a credential), the owner, and an administrator. Checked: who may call
 * a route at all (401), who only as an administrator (403), whose data a `{uid}` lets you reach
 * (403/404), that an item a caller may not see is unknown on every route that names one — images and
 * streams included (404) — and that nothing of another user ever shows up in what a user is answered.
 * The /Sync routes' finer rules live in tests/integration/sync/authorization.test.ts.
 */

/** Routes that answer without a token (API.md §2), and the app shell's static files. */
const PUBLIC = new Set(['/System/Info/Public', '/Users/Public', '/Users/AuthenticateByName', '/System/Ping']);
const isPublic = (url: string) => PUBLIC.has(url) || url === '/' || url.includes('*');

/**
 * Routes that must stay administrator-only whatever else changes. (/Devices is open to every user since
 * issue 15 §5, scoped to the devices they signed in on: tests/integration/auth/devices.test.ts, and the
 * leak sweep below checks no other user's device shows.)
 */
const MUST_BE_ADMIN = [
  'GET /Users',
  'POST /Users/New',
  'DELETE /Users/:id',
  'POST /Users/:id/Policy',
  'POST /Library/Refresh',
  'GET /Library/ScanReport',
  'GET /System/Configuration/sync',
  'POST /System/Configuration/sync',
  'GET /Sync/OutputStore',
];

/** Streams, encoders and sockets: checked for access, but not read as data (binary, endless or costly). */
const NOT_READ =
  /\/stream|\.m3u8|\/hls1\/|\/Images\/|\/File$|\/AdditionalFiles$|\/Sync\/Events$|^\/(embywebsocket|socket)$|\/Download$|\/Subtitles\//;

interface Route {
  method: string;
  url: string;
  auth?: string;
  queryKeys: string[];
  bodyKeys: string[];
}

let f: SyncFixture;
let alice: Session;
let bob: Session;
let dave: Session;
/** Limited to the TV Shows library. */
let carol: Session;
/** Signed in with Alice's DeviceId. */
let mallory: Session;
/** Alice's camera uploads: private to her (the item id is derived from the path, so it can be guessed). */
let alicePhotoId: string;
let aliceVideoId: string;
let alicePlaylistId: string;
let routes: Route[];
const bobSecret = {
  playlistName: 'Bobs Secret Playlist',
  jobName: 'Bobs Secret Job',
  deviceId: 'bob-secret-device',
  deviceName: 'Bobs Secret Phone',
};
let bobPlaylistId: string;
let bobJobId: string;

beforeAll(async () => {
  f = await startSyncFixture();
  alice = await createUser(f.server.url, f.admin, 'alice');
  await f.reportTarget(alice);
  dave = await createUser(f.server.url, f.admin, 'dave');
  // Disabled behind the policy route's back: the token still exists, so the token check itself must refuse.
  const daveRecord = f.server.built.deps.users.get(dave.userId)!;
  f.server.built.deps.users.setPolicy(dave.userId, { ...daveRecord.policy, IsDisabled: true });

  // Bob: a device with a telling name, a private playlist, a sync job, his own played state.
  await f.admin.json('POST', '/Users/New', { Name: 'bob', Password: 'pw' });
  const res = await fetch(`${f.server.url}/Users/AuthenticateByName`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-emby-authorization': authHeader(bobSecret.deviceId, undefined, 'TestClient', bobSecret.deviceName),
    },
    body: JSON.stringify({ Username: 'bob', Pw: 'pw' }),
  });
  const auth = (await res.json()) as { AccessToken: string; User: { Id: string } };
  bob = sessionFor(f.server.url, auth.AccessToken, auth.User.Id, bobSecret.deviceId);
  await f.reportTarget(bob);
  carol = await createUser(f.server.url, f.admin, 'carol', 'pw', { EnableAllFolders: false, EnabledFolders: [f.ids['TV Shows']] });
  await f.admin.json('POST', '/Users/New', { Name: 'mallory', Password: 'pw' });
  mallory = await signIn(f.server.url, 'mallory', 'pw', alice.deviceId);
  ({ alicePhotoId, aliceVideoId } = await uploadPrivateMedia(alice));
  alicePlaylistId = (await alice.json('POST', '/Playlists', { Name: 'Alice Private', Ids: [alicePhotoId, aliceVideoId] })).Id;

  bobPlaylistId = (await bob.json('POST', '/Playlists', { Name: bobSecret.playlistName, Ids: [f.ids['Pilot']] })).Id;
  bobJobId = (await bob.json('POST', '/Sync/Jobs', { TargetId: bob.deviceId, ItemIds: f.ids['Direct Movie'], Name: bobSecret.jobName })).Job
    .Id;
  await bob.json('POST', `/Users/${bob.userId}/PlayedItems/${f.ids['Pilot']}`);
  await bob.json('POST', `/Users/${bob.userId}/FavoriteItems/${f.ids['Pilot']}`);

  routes = [];
  for (const r of f.server.built.deps.routeCatalog) {
    for (const method of [r.method].flat()) {
      // HEAD routes are GET's twins (exposeHeadRoute): checked too, they answer the same statuses.
      if (method === 'OPTIONS') continue;
      const schema = r.schema as { querystring?: { properties?: object }; body?: { properties?: object } } | undefined;
      routes.push({
        method,
        url: r.url!,
        auth: (r.config as { auth?: string } | undefined)?.auth,
        queryKeys: Object.keys(schema?.querystring?.properties ?? {}),
        bodyKeys: Object.keys(schema?.body?.properties ?? {}),
      });
    }
  }
}, 90_000);
afterAll(() => f.server.close());

/** A photo and a video sent from Alice's phone, scanned into the library as hers alone. */
async function uploadPrivateMedia(owner: Session): Promise<{ alicePhotoId: string; aliceVideoId: string }> {
  const src = tempDir('stowaway-matrix-upload-');
  const [photo, video] = await Promise.all([makeImage(src, 'secret.jpg'), makeClip(src, 'secret-walk.mp4', { seconds: 1 })]);
  for (const [file, name, type] of [
    [photo, 'secret.jpg', 'image/jpeg'],
    [video, 'secret-walk.mp4', 'video/mp4'],
  ] as const) {
    // The body is the file itself: fetch directly (Session.req encodes JSON bodies).
    const sent = await fetch(`${f.server.url}/Devices/CameraUploads?DeviceId=${owner.deviceId}&Album=Private&Name=${name}`, {
      method: 'POST',
      headers: { 'x-emby-authorization': authHeader(owner.deviceId, owner.token), 'content-type': type },
      body: new Uint8Array(fs.readFileSync(file)),
    });
    if (sent.status !== 204) throw new Error(`upload of ${name}: ${sent.status} ${await sent.text()}`);
  }
  fs.rmSync(src, { recursive: true, force: true });
  await f.server.built.deps.library.scanner.scan();
  const owned = f.server.built.deps.db.prepare('SELECT id, type FROM items WHERE owner_user_id = ?').all(owner.userId) as Array<{
    id: string;
    type: string;
  }>;
  const photoId = owned.find((r) => r.type === 'Photo')?.id;
  const videoId = owned.find((r) => r.type !== 'Photo')?.id;
  if (!photoId || !videoId) throw new Error(`uploads not scanned as Alice's: ${JSON.stringify(owned)}`);
  return { alicePhotoId: photoId, aliceVideoId: videoId };
}

/** Concrete values for a route's parameters: `userId` names whose data is asked for; `item` which item. */
function fillPath(url: string, v: { userId: string; item: string; deviceId: string }): string {
  const userRoute = /^\/Users\/:id(\/|$)/.test(url);
  return url.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    switch (name) {
      case 'userId':
        return v.userId;
      case 'id':
        return userRoute ? v.userId : v.item;
      case 'targetId':
        return encodeURIComponent(v.deviceId);
      case 'type':
        return 'Primary';
      case 'index':
      case 'newIndex':
        return '0';
      case 'container':
        return 'mp4';
      case 'format':
        return 'vtt';
      case 'segment':
        return '0.ts';
      default:
        return v.item;
    }
  });
}

async function send(
  route: Route,
  path: string,
  headers: Record<string, string>,
  read = false,
  body: object = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const hasBody = route.method === 'POST' || route.method === 'PUT';
  const ctrl = new AbortController();
  const res = await fetch(`${f.server.url}${path}`, {
    method: route.method,
    headers: { ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    body: hasBody ? JSON.stringify(body) : undefined,
    signal: ctrl.signal,
  });
  const text = read ? await res.text() : '';
  if (!read) ctrl.abort();
  return { status: res.status, text, headers: res.headers };
}

const asUser = (s: Session) => ({ 'X-Emby-Authorization': authHeader(s.deviceId, s.token) });
const NO_SUCH_USER = '0'.repeat(32);

/** Routes whose path names a library item (`:id` outside /Users/:id, jobs and job items), or whose body does. */
function namesItem(url: string): boolean {
  if (/^\/Users\/:id(\/|$)|^\/Sync\/(Jobs|JobItems)\/:id/.test(url)) return false;
  return url.includes(':id') || /^\/Sessions\/Playing(\/Progress|\/Stopped)?$/.test(url);
}
const own = () => ({ userId: alice.userId, item: f.ids['Direct Movie']!, deviceId: alice.deviceId });

describe('authorization matrix for every route', () => {
  it('the catalog holds every route with its access level, and the public ones are exactly the allow-list', () => {
    expect(routes.length).toBeGreaterThan(80);
    const publicByConfig = routes.filter((r) => r.auth === 'none' || r.auth === 'optional').map((r) => r.url);
    for (const url of publicByConfig) expect(isPublic(url), `${url} answers without a token`).toBe(true);
    const admin = new Set(routes.filter((r) => r.auth === 'admin').map((r) => `${r.method} ${r.url}`));
    for (const r of MUST_BE_ADMIN) expect(admin.has(r), `${r} is administrator-only`).toBe(true);
  });

  it('answers 401 to no token, a bad token and a disabled user on every non-public route', async () => {
    const wrong: string[] = [];
    const callers: Record<string, Record<string, string>> = {
      anonymous: {},
      badToken: { 'X-Emby-Token': 'f'.repeat(64) },
      badTokenInUrl: {},
      disabled: asUser(dave),
    };
    for (const route of routes.filter((r) => !isPublic(r.url))) {
      for (const [who, headers] of Object.entries(callers)) {
        let path = fillPath(route.url, own());
        if (who === 'badTokenInUrl') path += `?api_key=${'e'.repeat(64)}`;
        const { status } = await send(route, path, headers);
        if (status !== 401) wrong.push(`${who} ${route.method} ${route.url} → ${status}`);
      }
    }
    expect(wrong).toEqual([]);
    // The public routes answer without a token.
    for (const url of ['/System/Info/Public', '/Users/Public', '/System/Ping'])
      expect((await fetch(`${f.server.url}${url}`)).status).toBe(200);
  }, 60_000);

  it('answers 403 to every non-administrator on every administrator route, and lets the administrator in', async () => {
    const wrong: string[] = [];
    const adminRoutes = routes.filter((r) => r.auth === 'admin');
    for (const route of adminRoutes) {
      for (const [who, s] of Object.entries({ alice, carol, mallory })) {
        const { status } = await send(route, fillPath(route.url, { ...own(), userId: bob.userId }), asUser(s));
        if (status !== 403) wrong.push(`${who} ${route.method} ${route.url} → ${status}`);
      }
      // An unknown user id: the administrator gets past the access check without deleting anyone.
      const { status } = await send(route, fillPath(route.url, { ...own(), userId: NO_SUCH_USER }), asUser(f.admin));
      if (status === 401 || status === 403 || status >= 500) wrong.push(`admin ${route.method} ${route.url} → ${status}`);
    }
    expect(adminRoutes.length).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
  });

  it('treats an item the caller may not see as unknown on every route that names one (404), and serves it to its owner', async () => {
    const wrong: string[] = [];
    const itemRoutes = routes.filter((r) => r.auth !== 'admin' && !isPublic(r.url) && namesItem(r.url));
    expect(itemRoutes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        'GET /Items/:id/Images/:type',
        'HEAD /Items/:id/Images/:type',
        'GET /Items/:id/Images/:type/:index',
        'HEAD /Items/:id/Images/:type/:index',
        'GET /Users/:userId/Items/:id',
      ]),
    );
    const hidden: Array<[string, Session, string]> = [
      ['another user, Alice’s photo', bob, alicePhotoId],
      ['another user, Alice’s video', bob, aliceVideoId],
      ['a user on Alice’s DeviceId, her photo', mallory, alicePhotoId],
      ['a user on Alice’s DeviceId, her video', mallory, aliceVideoId],
      ['the administrator, Alice’s photo', f.admin, alicePhotoId],
      ['a user without the Movies library, a movie', carol, f.ids['Direct Movie']!],
    ];
    let ownerAnswered = 0;
    // HLS answers 400 without a play session before it looks at the item: give one, so the item decides.
    const query = (r: Route) => (r.queryKeys.includes('PlaySessionId') ? `?PlaySessionId=${'5'.repeat(32)}` : '');
    // A playlist route names Alice's private playlist (which holds her uploads) instead.
    const target = (r: Route, item: string) => (r.url.startsWith('/Playlists/') ? alicePlaylistId : item);
    for (const route of itemRoutes) {
      for (const [who, s, hiddenItem] of hidden) {
        const item = target(route, hiddenItem);
        const path = fillPath(route.url, { userId: s.userId, item, deviceId: s.deviceId }) + query(route);
        const { status } = await send(route, path, asUser(s), false, { ItemId: item });
        if (status !== 404 && status !== 403) wrong.push(`${who}: ${route.method} ${route.url} → ${status}`);
      }
      // The same request from Alice, about her own things, is not refused: the refusals above are visibility's.
      for (const item of [target(route, alicePhotoId), target(route, aliceVideoId)]) {
        const path = fillPath(route.url, { userId: alice.userId, item, deviceId: alice.deviceId }) + query(route);
        const { status } = await send(route, path, asUser(alice), false, { ItemId: item });
        if (status === 401 || status === 403 || status >= 500) wrong.push(`owner: ${route.method} ${route.url} → ${status}`);
        if (status < 300) ownerAnswered++;
      }
    }
    expect(wrong).toEqual([]);
    expect(ownerAnswered).toBeGreaterThan(itemRoutes.length / 2);
  }, 120_000);

  it('serves an item’s image exactly to those who may see the item, and never into shared caches', async () => {
    const photo = await alice.json('GET', `/Users/${alice.userId}/Items/${alicePhotoId}`);
    const episode = await carol.json('GET', `/Users/${carol.userId}/Items/${f.ids['Pilot']}`);
    const movie = await f.admin.json('GET', `/Users/${f.admin.userId}/Items/${f.ids['Direct Movie']}`);
    const urls = (id: string, tag: string) => [
      `/Items/${id}/Images/Primary`,
      `/Items/${id}/Images/Primary?tag=${tag}`,
      `/Items/${id}/Images/Primary/0?maxWidth=100&tag=${tag}`,
      `/Items/${id}/Images/primary?MaxWidth=120`,
    ];
    const cases: Array<[string, Session, string, string, number]> = [
      ['owner', alice, alicePhotoId, photo.ImageTags.Primary, 200],
      ['administrator', f.admin, f.ids['Direct Movie']!, movie.ImageTags.Primary, 200],
      ['limited user, own library', carol, f.ids['Pilot']!, episode.ImageTags.Primary, 200],
      ['another user', bob, alicePhotoId, photo.ImageTags.Primary, 404],
      ['a user on Alice’s DeviceId', mallory, alicePhotoId, photo.ImageTags.Primary, 404],
      ['the administrator, Alice’s photo', f.admin, alicePhotoId, photo.ImageTags.Primary, 404],
      ['limited user, another library', carol, f.ids['Direct Movie']!, movie.ImageTags.Primary, 404],
    ];
    const wrong: string[] = [];
    for (const [who, s, id, tag, expected] of cases) {
      for (const url of urls(id, tag)) {
        for (const method of ['GET', 'HEAD']) {
          // The header, and api_key in the URL as the web app's <img> sends it.
          for (const [how, path, headers] of [
            ['header', url, asUser(s)],
            ['api_key', `${url}${url.includes('?') ? '&' : '?'}api_key=${s.token}`, {}],
          ] as const) {
            const res = await fetch(`${f.server.url}${path}`, { method, headers });
            const body = Buffer.from(await res.arrayBuffer());
            const label = `${who} ${method} ${url} (${how})`;
            if (res.status !== expected) wrong.push(`${label} → ${res.status}`);
            if (expected !== 200) continue;
            if ((res.headers.get('cache-control') ?? '').includes('public')) wrong.push(`${label}: ${res.headers.get('cache-control')}`);
            if (method === 'GET' && body.length === 0) wrong.push(`${label}: empty body`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('shows a folder-limited user and a user on another’s DeviceId nothing they may not see, on any read', async () => {
    const leaks: string[] = [];
    const reads = routes.filter((r) => r.method === 'GET' && r.auth !== 'admin' && !isPublic(r.url) && !NOT_READ.test(r.url));
    const movies = [f.ids['Direct Movie']!, f.ids['Remux Movie']!];
    const callers: Array<[string, Session, string[]]> = [
      ['limited user', carol, [...movies, 'Direct Movie', 'Remux Movie']],
      // Through Alice's device Mallory reaches the device's sync state, but never Alice's private items.
      ['user on Alice’s DeviceId', mallory, [alicePhotoId, aliceVideoId, alicePlaylistId, 'Alice Private', 'secret-walk']],
    ];
    let answered = 0;
    for (const [who, s, secrets] of callers) {
      const query = `?Recursive=true&Fields=BasicSyncInfo,SyncInfo,Path&TargetId=${encodeURIComponent(s.deviceId)}&DeviceId=${encodeURIComponent(s.deviceId)}`;
      for (const route of reads) {
        const path = fillPath(route.url, { userId: s.userId, item: f.ids['Pilot']!, deviceId: s.deviceId }) + query;
        const { status, text } = await send(route, path, asUser(s), true);
        if (status === 200) answered++;
        for (const secret of secrets) if (text.includes(secret)) leaks.push(`${who}: ${route.url} (${status}) shows ${secret}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(answered).toBeGreaterThan(40);
  }, 60_000);

  it('refuses another user’s {uid} in the path, and another UserId in a read’s query (403 or 404)', async () => {
    const wrong: string[] = [];
    const bobs = { userId: bob.userId, item: f.ids['Pilot']!, deviceId: alice.deviceId };
    for (const route of routes.filter((r) => r.auth !== 'admin' && !isPublic(r.url))) {
      if (/^\/Users\/:(userId|id)(\/|$)/.test(route.url)) {
        const { status, text } = await send(route, fillPath(route.url, bobs), asUser(alice), true);
        if (status !== 403 && status !== 404) wrong.push(`path ${route.method} ${route.url} → ${status} ${text.slice(0, 100)}`);
      }
      // Where the path names the user, the path decides; elsewhere a foreign UserId is refused, or ignored
      // (answered for the caller, e.g. PlaybackInfo) — never answered with the other user's data.
      if (route.method === 'GET' && route.queryKeys.includes('UserId') && !route.url.includes(':userId') && !NOT_READ.test(route.url)) {
        const query = `?UserId=${bob.userId}&ItemIds=${f.ids['Pilot']}&TargetId=${alice.deviceId}&Recursive=true&IncludeItemTypes=Playlist`;
        const { status, text } = await send(route, fillPath(route.url, own()) + query, asUser(alice), true);
        const refused = status === 403 || status === 404;
        if (!refused && (status >= 300 || text.includes(bobSecret.playlistName) || text.includes(bobSecret.jobName))) {
          wrong.push(`query ${route.method} ${route.url} → ${status} ${text.slice(0, 100)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // Bob's own state is untouched by all of that.
    const pilot = await bob.json('GET', `/Users/${bob.userId}/Items/${f.ids['Pilot']}`);
    expect(pilot.UserData.Played).toBe(true);
  }, 60_000);

  it('shows a user nothing of another user’s playlists, jobs, devices or played state, in answers or in errors', async () => {
    const leaks: string[] = [];
    const names = [bobSecret.playlistName, bobSecret.jobName, bobSecret.deviceName, bobSecret.deviceId];
    const ids = [bobPlaylistId, bobJobId, bob.userId];
    const reads = routes.filter((r) => r.method === 'GET' && r.auth !== 'admin' && !isPublic(r.url) && !NOT_READ.test(r.url));
    expect(reads.length).toBeGreaterThan(25);
    const query = `?Recursive=true&Fields=BasicSyncInfo,SyncInfo&TargetId=${alice.deviceId}&ItemIds=${f.ids['Pilot']}`;
    const itemIds = [f.ids['Direct Movie']!, f.ids['Pilot']!, f.ids['Test Show']!];
    let answered = 0;
    for (const route of reads) {
      // Alice asking about her own things: no trace of Bob at all.
      for (const item of itemIds) {
        const path = fillPath(route.url, { ...own(), item }) + query;
        const { status, text } = await send(route, path, asUser(alice), true);
        if (status === 200) answered++;
        for (const secret of [...names, ...ids]) if (text.includes(secret)) leaks.push(`${route.url} (${status}) shows ${secret}`);
        if (!route.url.includes(':')) break;
      }
      // Alice naming Bob's playlist, job and device: the answer may echo the id she sent, never his names.
      if (route.url.includes(':')) {
        for (const item of [bobPlaylistId, bobJobId]) {
          const { status, text } = await send(
            route,
            fillPath(route.url, { ...own(), item, deviceId: bobSecret.deviceId }),
            asUser(alice),
            true,
          );
          if (status < 300 && route.url.startsWith('/Playlists')) leaks.push(`${route.url} answers ${status} for Bob's playlist`);
          for (const secret of names) if (text.includes(secret)) leaks.push(`${route.url} (${status}) with Bob's id shows ${secret}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    // The sweep really read data (not a wall of 4xx).
    expect(answered).toBeGreaterThan(25);

    // Played state and favourites are per user.
    const pilot = await alice.json('GET', `/Users/${alice.userId}/Items/${f.ids['Pilot']}`);
    expect(pilot.UserData.Played).toBe(false);
    expect(pilot.UserData.IsFavorite).toBe(false);
    // Bob's playlist cannot be changed by Alice either.
    for (const [m, p] of [
      ['POST', `/Playlists/${bobPlaylistId}/Items?Ids=${f.ids['Second']}`],
      ['DELETE', `/Playlists/${bobPlaylistId}/Items?EntryIds=${f.ids['Pilot']}`],
    ] as const) {
      const res = await alice.req(m, p);
      expect([403, 404], `${m} ${p}`).toContain(res.status);
      expect(await res.text()).not.toContain(bobSecret.playlistName);
    }
    const bobsList = await bob.json('GET', `/Playlists/${bobPlaylistId}/Items`);
    expect(bobsList.TotalRecordCount).toBe(1);
    // An administrator does see other users' devices.
    expect(JSON.stringify(await f.admin.json('GET', '/Sessions'))).toContain(bobSecret.deviceId);
  }, 60_000);
});

describe('abuse', () => {
  it('stays fast under thousands of different bad tokens', async () => {
    const lat: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 2000) {
          const i = next++;
          const t0 = performance.now();
          const res = await fetch(`${f.server.url}/Users/Me?api_key=${i.toString(16).padStart(64, '0')}`);
          await res.arrayBuffer();
          lat.push(performance.now() - t0);
          expect(res.status).toBe(401);
        }
      }),
    );
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // The last requests are no slower than the first ones (nothing accumulates per bad token).
    expect(median(lat.slice(-300))).toBeLessThan(Math.max(20, median(lat.slice(0, 300)) * 3));
    const t0 = performance.now();
    expect((await alice.req('GET', '/Users/Me')).status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(500);
  }, 60_000);

  it('refuses a 2 MB JSON body with 413 on every POST and PUT route', async () => {
    const big = JSON.stringify({ Name: 'x'.repeat(2 * 1024 * 1024) });
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.method === 'POST' || r.method === 'PUT')) {
      const headers = isPublic(route.url) ? {} : asUser(f.admin);
      const res = await fetch(
        `${f.server.url}${fillPath(route.url, { userId: alice.userId, item: f.ids['Direct Movie']!, deviceId: alice.deviceId })}`,
        {
          method: route.method,
          headers: { ...headers, 'content-type': 'application/json' },
          body: big,
        },
      );
      await res.arrayBuffer();
      if (res.status !== 413) wrong.push(`${route.method} ${route.url} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);
});
