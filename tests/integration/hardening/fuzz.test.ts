import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Session } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from '../sync/fixture.js';

/**
 * Route-driven fuzzing: every registered route gets requests built from its own JSON schema, filled with
 * hostile values. The server must answer every one with < 500, and still answer afterwards.
 */
let f: SyncFixture;
let admin: Session;
beforeAll(async () => {
  f = await startSyncFixture();
  admin = f.admin;
});
afterAll(() => f.server.close());

// Deterministic: a failure reproduces with the same seed.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const HOSTILE: unknown[] = [
  '',
  ' ',
  '../../../../etc/passwd',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  'a\u0000b',
  '%00',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '𝔘ñîçødé ☃ 🎬',
  'x'.repeat(10_000),
  -1,
  0,
  1e308,
  -1e308,
  2 ** 53 + 1,
  1.5,
  NaN,
  true,
  false,
  null,
  [],
  ['a', 'b'],
  {},
  { $gt: '' },
  '00000000000000000000000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'NaN',
  '-5',
  '1e999',
  'true,false',
];

interface Route {
  method: string;
  url: string;
  schema?: any;
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}

function fillObject(r: () => number, schema: any, realIds: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(schema?.properties ?? {})) {
    const roll = r();
    if (roll < 0.3) continue;
    out[name] = roll < 0.45 ? pick(r, realIds) : pick(r, HOSTILE);
  }
  return out;
}

function toQuery(obj: Record<string, unknown>): string {
  const parts = Object.entries(obj).map(
    ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v))}`,
  );
  return parts.length ? `?${parts.join('&')}` : '';
}

function fillPath(r: () => number, url: string, realIds: string[]): string {
  return url.replace(/:([A-Za-z]+)/g, () => {
    const v = r() < 0.4 ? pick(r, realIds) : pick(r, HOSTILE);
    return encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v));
  });
}

// Logout and an admin's own password change would end the session the fuzzer runs on; live channels stay open.
const SKIP = new Set(['/Sessions/Logout', '/Users/:id/Password', '/embywebsocket', '/socket', '/Sync/Events']);

describe('fuzzing every route with hostile input', () => {
  it('answers thousands of generated requests without a single 5xx', async () => {
    const routes: Route[] = [];
    for (const r of f.server.built.deps.routeCatalog) {
      for (const method of [r.method].flat()) {
        if (method === 'HEAD' || method === 'OPTIONS' || SKIP.has(r.url) || r.url.includes('*')) continue;
        routes.push({ method, url: r.url, schema: r.schema });
      }
    }
    expect(routes.length).toBeGreaterThan(60);
    const realIds = [...Object.values(f.ids), admin.userId, admin.deviceId];
    const random = rng(20261123);
    const failures: string[] = [];
    let sent = 0;
    const PER_ROUTE = Math.ceil(2500 / routes.length);
    const jobs: Array<() => Promise<void>> = [];
    for (const route of routes) {
      for (let i = 0; i < PER_ROUTE; i++) {
        const anonymous = random() < 0.1;
        const path = fillPath(random, route.url, realIds) + toQuery(fillObject(random, route.schema?.querystring, realIds));
        let body: unknown;
        if (route.method !== 'GET' && route.method !== 'DELETE') {
          const roll = random();
          body =
            roll < 0.7
              ? fillObject(random, route.schema?.body, realIds)
              : roll < 0.85
                ? pick(random, HOSTILE)
                : [fillObject(random, route.schema?.body?.items, realIds)];
        }
        jobs.push(async () => {
          const init: RequestInit = {
            method: route.method,
            headers: {
              ...(anonymous ? {} : { 'X-Emby-Token': admin.token }),
              ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            body: body !== undefined ? JSON.stringify(body) : undefined,
          };
          const res = await fetch(`${f.server.url}${path}`, init);
          await res.arrayBuffer();
          sent++;
          if (res.status >= 500)
            failures.push(`${route.method} ${path.slice(0, 200)} body=${JSON.stringify(body)?.slice(0, 200)} → ${res.status}`);
        });
      }
    }
    // Bounded concurrency, bounded count: a loopback load that stops by itself.
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < jobs.length) await jobs[next++]();
      }),
    );
    expect(sent).toBeGreaterThanOrEqual(2000);
    expect(failures).toEqual([]);
    // Still alive, and the admin's session still works.
    expect((await fetch(`${f.server.url}/System/Info/Public`)).status).toBe(200);
    const again = await signIn(f.server.url, 'admin', 'pw', 'admin-phone');
    expect((await again.req('GET', '/System/Info')).status).toBe(200);
  }, 240_000);

  it('refuses a 10 MB body with 413 JSON', async () => {
    const big = JSON.stringify({ Username: 'x'.repeat(10 * 1024 * 1024) });
    const res = await fetch(`${f.server.url}/Users/AuthenticateByName`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('PayloadTooLarge');
  });

  it('sends security headers and a strict CSP with the app shell', async () => {
    const res = await fetch(`${f.server.url}/System/Info/Public`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
