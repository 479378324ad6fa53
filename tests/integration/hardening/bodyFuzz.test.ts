import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type Session } from '../../helpers/server.js';
import { deepen, hostileValue, int, mutate, pick, PROFILE_KEYS, randomTree, rng, toJson, type Rng } from '../../helpers/hostileJson.js';
import { startSyncFixture, type SyncFixture } from '../sync/fixture.js';

/**
 * Nested fuzzing of every JSON body the API takes (issue 14 item 2), route by route from the route
 * catalog, so a new route is fuzzed the day it is registered: a plausible body built from the route's
 * schema, then mutated deep and wide (wrong types at nested paths, huge and deeply nested values, unknown
 * keys), or replaced by a random tree. An administrator and a plain user take turns. Not one answer may be
 * a 5xx, and a refused request may leave no sync job behind. `FUZZ_SEED` overrides the seed.
 */
let f: SyncFixture;
let user: Session;
let admin: Session;

beforeAll(async () => {
  f = await startSyncFixture();
  await createUser(f.server.url, f.admin, 'bodyfuzz');
  user = await signIn(f.server.url, 'bodyfuzz', 'pw', 'bodyfuzz-phone');
  await f.reportTarget(user);
  // The fixture's admin session stays out of it: a fuzzed policy must not lock out the session that checks.
  await f.admin
    .json('POST', '/Users/New', { Name: 'fuzzadmin', Password: 'pw' })
    .then((u: { Id: string }) => f.admin.json('POST', `/Users/${u.Id}/Policy`, { IsAdministrator: true }));
  admin = await signIn(f.server.url, 'fuzzadmin', 'pw', 'fuzzadmin-phone');
  await f.reportTarget(admin);
}, 120_000);
afterAll(() => f.server.close());

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

/** A value the schema would take, with real ids where strings go: the mutations start from something valid. */
function plausible(r: Rng, schema: JsonSchema | undefined, ids: readonly string[], depth = 0): unknown {
  if (!schema || depth > 6) return pick(r, ids);
  if (schema.anyOf) return plausible(r, pick(r, schema.anyOf), ids, depth + 1);
  const type = [schema.type].flat()[0];
  if (type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema.properties ?? {})) if (r() < 0.8) out[k] = plausible(r, v, ids, depth + 1);
    return out;
  }
  if (type === 'array') return Array.from({ length: int(r, 0, 3) }, () => plausible(r, schema.items, ids, depth + 1));
  if (type === 'integer' || type === 'number') return int(r, 0, 10);
  if (type === 'boolean') return r() < 0.5;
  if (type === 'null') return null;
  return pick(r, ids);
}

function fuzzBody(r: Rng, schema: JsonSchema | undefined, ids: readonly string[]): unknown {
  const roll = r();
  if (roll < 0.1) return deepen(plausible(r, schema, ids), int(r, 4000, 20_000));
  if (roll < 0.6) return mutate(r, plausible(r, schema, ids));
  if (roll < 0.75) return hostileValue(r);
  if (roll < 0.9) return randomTree(r, int(r, 2, 6), int(r, 2, 12), [...PROFILE_KEYS, ...Object.keys(schema?.properties ?? {})]);
  return [mutate(r, plausible(r, schema?.items ?? schema, ids))];
}

// Ending the fuzzing sessions would stop the run; the live channels are not JSON bodies.
const SKIP = new Set(['/Sessions/Logout', '/Users/:id/Password', '/embywebsocket', '/socket', '/Sync/Events']);
const jobCount = () => (f.server.built.deps.db.prepare('SELECT COUNT(*) AS n FROM sync_jobs').get() as { n: number }).n;

describe('fuzzing every JSON body', () => {
  it('answers generated nested bodies on every route that takes one without a 5xx or a job left behind', async () => {
    const routes = f.server.built.deps.routeCatalog.flatMap((route) =>
      [route.method]
        .flat()
        .filter((m) => m !== 'GET' && m !== 'HEAD' && m !== 'OPTIONS' && !SKIP.has(route.url) && !route.url.includes('*'))
        .map((method) => ({ method, url: route.url, body: (route.schema as { body?: JsonSchema } | undefined)?.body })),
    );
    expect(routes.length).toBeGreaterThan(40);
    // No user ids among the path ids: a fuzzed DELETE /Users/{id} must not remove the fuzzing users.
    const ids = [...Object.values(f.ids), user.deviceId, admin.deviceId, 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
    const r = rng(Number(process.env.FUZZ_SEED ?? 20261125));
    const failures: string[] = [];
    let sent = 0;
    const PER_ROUTE = 40;
    for (const route of routes) {
      for (let i = 0; i < PER_ROUTE; i++) {
        const session = r() < 0.5 ? admin : user;
        const path = route.url.replace(/:([A-Za-z]+)/g, () => encodeURIComponent(String(pick(r, ids))));
        const body = toJson(fuzzBody(r, route.body, ids));
        const before = jobCount();
        const res = await fetch(`${f.server.url}${path}`, {
          method: route.method,
          headers: { 'x-emby-token': session.token, 'content-type': 'application/json' },
          body,
        });
        const text = await res.text();
        sent++;
        if (res.status >= 500) failures.push(`${route.method} ${path} → ${res.status} ${text.slice(0, 120)} body=${body.slice(0, 240)}`);
        if (res.status >= 400 && jobCount() !== before) failures.push(`${route.method} ${path} → ${res.status} left a job behind`);
        if (failures.length > 20) break;
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(routes.length * PER_ROUTE);
    // Both fuzzing sessions still work.
    expect((await admin.req('GET', '/System/Info')).status).toBe(200);
    expect((await user.req('GET', '/Sync/Jobs')).status).toBe(200);
  }, 600_000);
});
