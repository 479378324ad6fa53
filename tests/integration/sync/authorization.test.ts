import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type Session } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from './fixture.js';

/**
 * Every /Sync route × {anonymous, bad token, other user, owner, admin, owner with EnableSync off,
 * disabled user}. Each case builds fresh state so one route's effect never leaks into another's.
 */
let f: SyncFixture;
let owner: Session;
let other: Session;
let noSync: Session;
let disabled: Session;

beforeAll(async () => {
  f = await startSyncFixture();
  owner = await createUser(f.server.url, f.admin, 'owner');
  other = await createUser(f.server.url, f.admin, 'other');
  noSync = await createUser(f.server.url, f.admin, 'nosync');
  disabled = await createUser(f.server.url, f.admin, 'gone');
  for (const s of [owner, other, noSync, disabled]) await f.reportTarget(s);
  await f.admin.json('POST', `/Users/${noSync.userId}/Policy`, { EnableSync: false });
  await f.admin.json('POST', `/Users/${disabled.userId}/Policy`, { IsDisabled: true });
});
afterAll(() => f.server.close());

type Who = 'anonymous' | 'badToken' | 'other' | 'owner' | 'admin' | 'disabled';

async function call(who: Who, method: string, path: string, body?: unknown): Promise<number> {
  if (who === 'anonymous' || who === 'badToken') {
    const headers: Record<string, string> = body !== undefined ? { 'content-type': 'application/json' } : {};
    if (who === 'badToken') headers['X-Emby-Token'] = 'deadbeef';
    const res = await fetch(`${f.server.url}${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined });
    await res.arrayBuffer();
    return res.status;
  }
  const s = { other, owner, admin: f.admin, disabled }[who];
  const res = await s.req(method, path, body);
  await res.arrayBuffer();
  return res.status;
}

/** One job of the owner's, alone on the device (an older one would hold the item's one active place). */
async function freshJob(): Promise<{ jobId: string; itemId: string }> {
  for (const j of (await owner.json('GET', '/Sync/Jobs')).Items) await owner.req('DELETE', `/Sync/Jobs/${j.Id}`);
  const r = await owner.json('POST', '/Sync/Jobs', { TargetId: owner.deviceId, ItemIds: f.ids['Direct Movie'] });
  return { jobId: r.Job.Id, itemId: r.JobItems[0].Id };
}

interface RouteCase {
  name: string;
  request: (ids: { jobId: string; itemId: string }) => [string, string, unknown?];
  /** Expected status per caller (anonymous/bad token/disabled are 401 for every route). */
  expect: { other: number; owner: number; admin: number };
}

const routes: RouteCase[] = [
  { name: 'GET /Sync/Targets', request: () => ['GET', '/Sync/Targets'], expect: { other: 200, owner: 200, admin: 200 } },
  {
    name: 'GET /Sync/Options',
    request: () => ['GET', `/Sync/Options?ItemIds=${f.ids['Direct Movie']}`],
    expect: { other: 200, owner: 200, admin: 200 },
  },
  {
    name: 'GET /Sync/Jobs?UserId=owner',
    request: () => ['GET', `/Sync/Jobs?UserId=${owner.userId}`],
    expect: { other: 403, owner: 200, admin: 200 },
  },
  { name: 'GET /Sync/Jobs/{id}', request: ({ jobId }) => ['GET', `/Sync/Jobs/${jobId}`], expect: { other: 404, owner: 200, admin: 200 } },
  {
    name: 'POST /Sync/Jobs/{id}',
    request: ({ jobId }) => ['POST', `/Sync/Jobs/${jobId}`, { Name: 'Renamed' }],
    expect: { other: 404, owner: 204, admin: 204 },
  },
  {
    name: 'DELETE /Sync/Jobs/{id}',
    request: ({ jobId }) => ['DELETE', `/Sync/Jobs/${jobId}`],
    expect: { other: 404, owner: 204, admin: 204 },
  },
  {
    name: 'POST /Sync/Jobs/{id}/Delete',
    request: ({ jobId }) => ['POST', `/Sync/Jobs/${jobId}/Delete`],
    expect: { other: 404, owner: 204, admin: 204 },
  },
  {
    name: 'GET /Sync/JobItems?JobId',
    request: ({ jobId }) => ['GET', `/Sync/JobItems?JobId=${jobId}`],
    expect: { other: 404, owner: 200, admin: 200 },
  },
  {
    name: 'DELETE /Sync/JobItems/{id}',
    request: ({ itemId }) => ['DELETE', `/Sync/JobItems/${itemId}`],
    expect: { other: 404, owner: 204, admin: 204 },
  },
  {
    name: 'POST /Sync/JobItems/{id}/MarkForRemoval',
    request: ({ itemId }) => ['POST', `/Sync/JobItems/${itemId}/MarkForRemoval`],
    expect: { other: 404, owner: 204, admin: 204 },
  },
  {
    name: 'POST /Sync/JobItems/{id}/UnmarkForRemoval (not Synced → 400)',
    request: ({ itemId }) => ['POST', `/Sync/JobItems/${itemId}/UnmarkForRemoval`],
    expect: { other: 404, owner: 400, admin: 400 },
  },
  {
    name: 'POST /Sync/JobItems/{id}/Enable (not Failed → 400)',
    request: ({ itemId }) => ['POST', `/Sync/JobItems/${itemId}/Enable`],
    expect: { other: 404, owner: 400, admin: 400 },
  },
  {
    name: 'GET /Sync/JobItems/{id}/File',
    request: ({ itemId }) => ['GET', `/Sync/JobItems/${itemId}/File`],
    expect: { other: 404, owner: 200, admin: 200 },
  },
  {
    name: 'GET /Sync/JobItems/{id}/AdditionalFiles',
    request: ({ itemId }) => ['GET', `/Sync/JobItems/${itemId}/AdditionalFiles?Name=x.vtt`],
    expect: { other: 404, owner: 404, admin: 404 },
  },
  {
    name: 'POST /Sync/JobItems/{id}/Transferred',
    request: ({ itemId }) => ['POST', `/Sync/JobItems/${itemId}/Transferred`],
    expect: { other: 404, owner: 204, admin: 204 },
  },
  {
    name: 'GET /Sync/Items/Ready',
    request: () => ['GET', `/Sync/Items/Ready?TargetId=${owner.deviceId}`],
    expect: { other: 403, owner: 200, admin: 200 },
  },
  {
    name: 'POST /Sync/Data',
    request: () => ['POST', '/Sync/Data', { TargetId: owner.deviceId, LocalItemIds: [] }],
    expect: { other: 403, owner: 200, admin: 200 },
  },
  {
    name: 'DELETE /Sync/{TargetId}/Items',
    request: () => ['DELETE', `/Sync/${owner.deviceId}/Items?ItemIds=${f.ids['Pilot']}`],
    expect: { other: 403, owner: 204, admin: 204 },
  },
  {
    name: 'POST /Sync/Items/Cancel',
    request: () => ['POST', '/Sync/Items/Cancel', { TargetId: owner.deviceId, ItemIds: [f.ids['Pilot']] }],
    expect: { other: 403, owner: 204, admin: 204 },
  },
  {
    name: 'GET /Sync/Events (JobId)',
    request: ({ jobId }) => ['GET', `/Sync/Events?JobId=${jobId}`],
    expect: { other: 404, owner: 200, admin: 200 },
  },
  {
    name: 'GET /System/Configuration/sync',
    request: () => ['GET', '/System/Configuration/sync'],
    expect: { other: 403, owner: 403, admin: 200 },
  },
  {
    name: 'POST /System/Configuration/sync',
    request: () => ['POST', '/System/Configuration/sync', { MaxConcurrentConversions: 1 }],
    expect: { other: 403, owner: 403, admin: 204 },
  },
];

describe('authorization matrix for every /Sync route', () => {
  for (const route of routes) {
    it(route.name, async () => {
      for (const who of ['anonymous', 'badToken', 'disabled'] as const) {
        const [m, p, b] = route.request(await freshJob());
        expect(await statusOf(who, m, p, b), `${who}`).toBe(401);
      }
      for (const who of ['other', 'owner', 'admin'] as const) {
        const [m, p, b] = route.request(await freshJob());
        expect(await statusOf(who, m, p, b), `${who}`).toBe(route.expect[who]);
      }
    });
  }

  it('POST /Sync/Jobs: owner 200, EnableSync off 403, for another user 403, admin for another user 200', async () => {
    const body = { TargetId: owner.deviceId, ItemIds: f.ids['Direct Movie'] };
    expect(await call('anonymous', 'POST', '/Sync/Jobs', body)).toBe(401);
    expect(await call('owner', 'POST', '/Sync/Jobs', body)).toBe(200);
    const ns = await noSync.req('POST', '/Sync/Jobs', { TargetId: noSync.deviceId, ItemIds: f.ids['Direct Movie'] });
    expect(ns.status).toBe(403);
    expect(await call('other', 'POST', '/Sync/Jobs', { ...body, UserId: owner.userId })).toBe(403);
    expect(await call('admin', 'POST', '/Sync/Jobs', { ...body, UserId: owner.userId })).toBe(200);
    // A device the user never signed in on is not their target.
    expect(await call('other', 'POST', '/Sync/Jobs', body)).toBe(400);
  });

  it('EnableSync off still lists, downloads and cancels existing jobs but cannot edit them', async () => {
    const { jobId, itemId } = await freshJob();
    await f.admin.json('POST', `/Users/${owner.userId}/Policy`, { EnableSync: false });
    try {
      expect((await owner.req('GET', `/Sync/Jobs/${jobId}`)).status).toBe(200);
      expect((await owner.req('GET', `/Sync/JobItems/${itemId}/File`)).status).toBe(200);
      expect((await owner.req('POST', `/Sync/Jobs/${jobId}`, { Name: 'x' })).status).toBe(403);
      expect((await owner.req('DELETE', `/Sync/Jobs/${jobId}`)).status).toBe(204);
    } finally {
      await f.admin.json('POST', `/Users/${owner.userId}/Policy`, { EnableSync: true });
    }
  });

  it('lists no data of another user: job lists and item lists are filtered', async () => {
    await freshJob();
    const lists = [await other.json('GET', '/Sync/Jobs'), await other.json('GET', '/Sync/JobItems')];
    for (const l of lists) {
      expect(l.TotalRecordCount).toBe(0);
      expect(JSON.stringify(l)).not.toContain(owner.userId);
    }
  });
});

/** SSE answers stay open: read the status and close. */
async function statusOf(who: Who, method: string, path: string, body?: unknown): Promise<number> {
  if (!path.startsWith('/Sync/Events')) return call(who, method, path, body);
  const s = who === 'anonymous' || who === 'badToken' ? undefined : { other, owner, admin: f.admin, disabled }[who];
  const ctrl = new AbortController();
  const res = s
    ? await s.req(method, path, undefined, {}).catch(() => undefined)
    : await fetch(`${f.server.url}${path}`, { signal: ctrl.signal, headers: who === 'badToken' ? { 'X-Emby-Token': 'x' } : {} });
  const status = res?.status ?? 0;
  await res?.body?.cancel();
  ctrl.abort();
  return status;
}
