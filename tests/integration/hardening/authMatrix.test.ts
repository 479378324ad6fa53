import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeader, createUser, sessionFor, type Session } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from '../sync/fixture.js';

/**
 * Authorization of every route the server registers, driven by `deps.routeCatalog` so a new route is
 * covered the day it is added: who may call it at all (401), who may call it as an administrator only
 * (403), whose data a `{uid}` lets you reach (403/404), and that nothing of another user ever shows up in
 * what a user is answered. The /Sync routes' finer rules live in tests/integration/sync/authorization.test.ts.
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
  bobPlaylistId = (await bob.json('POST', '/Playlists', { Name: bobSecret.playlistName, Ids: [f.ids['Pilot']] })).Id;
  bobJobId = (await bob.json('POST', '/Sync/Jobs', { TargetId: bob.deviceId, ItemIds: f.ids['Direct Movie'], Name: bobSecret.jobName })).Job
    .Id;
  await bob.json('POST', `/Users/${bob.userId}/PlayedItems/${f.ids['Pilot']}`);
  await bob.json('POST', `/Users/${bob.userId}/FavoriteItems/${f.ids['Pilot']}`);

  routes = [];
  for (const r of f.server.built.deps.routeCatalog) {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
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
}, 60_000);
afterAll(() => f.server.close());

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

async function send(route: Route, path: string, headers: Record<string, string>, read = false): Promise<{ status: number; text: string }> {
  const hasBody = route.method === 'POST' || route.method === 'PUT';
  const ctrl = new AbortController();
  const res = await fetch(`${f.server.url}${path}`, {
    method: route.method,
    headers: { ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    body: hasBody ? '{}' : undefined,
    signal: ctrl.signal,
  });
  const text = read ? await res.text() : '';
  if (!read) ctrl.abort();
  return { status: res.status, text };
}

const asUser = (s: Session) => ({ 'X-Emby-Authorization': authHeader(s.deviceId, s.token) });
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

  it('answers 403 to a normal user on every administrator route', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.auth === 'admin')) {
      const { status } = await send(route, fillPath(route.url, { ...own(), userId: bob.userId }), asUser(alice));
      if (status !== 403) wrong.push(`${route.method} ${route.url} → ${status}`);
    }
    expect(wrong).toEqual([]);
  });

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
