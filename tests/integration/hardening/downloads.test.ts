import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, tempDir } from '../../helpers/media.js';
import { signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import { MP4_PROFILE } from '../sync/fixture.js';

/**
 * Sync downloads under the administrator's bandwidth cap (`UploadSpeedLimitBytes`, one budget shared by
 * every download, changed at runtime), and a server that closes promptly while downloads are in flight.
 */
let media: string;
let size: number;
const servers: TestServer[] = [];

beforeAll(async () => {
  media = tempDir('stowaway-dl-media-');
  fs.mkdirSync(path.join(media, 'Movies'));
  // Constant bitrate with filler: 2 s at 16 Mbit/s ≈ 4 MB, plays as is for the MP4 profile.
  const file = await makeClip(path.join(media, 'Movies'), 'Big Movie (2020).mp4', { seconds: 2, bitrate: '16M', acodec: null });
  size = fs.statSync(file).size;
});
afterAll(async () => {
  for (const s of servers) await s.close().catch(() => undefined);
});

async function start(): Promise<{ server: TestServer; admin: Session; jobItemId: string }> {
  const server = await startTestServer({ mediaDirs: [media], adminUser: 'admin', adminPassword: 'pw' });
  servers.push(server);
  await ensureAdministrator(server.built.deps);
  await server.built.deps.library.scanner.scan();
  const admin = await signIn(server.url, 'admin', 'pw', 'admin-phone');
  await admin.json('POST', '/Sessions/Capabilities/Full', {
    SupportsSync: true,
    PlayableMediaTypes: ['Video'],
    DeviceProfile: MP4_PROFILE,
  });
  const { id } = server.built.deps.db.prepare("SELECT id FROM items WHERE type = 'Movie'").get() as { id: string };
  const created = await admin.json('POST', '/Sync/Jobs', { TargetId: admin.deviceId, ItemIds: id });
  expect(created.JobItems[0].Status).toBe('ReadyToTransfer');
  return { server, admin, jobItemId: created.JobItems[0].Id };
}

async function timedDownload(url: string, token: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { 'X-Emby-Token': token } });
  expect(res.status).toBe(200);
  const bytes = (await res.arrayBuffer()).byteLength;
  return { ms: performance.now() - t0, bytes };
}

describe('UploadSpeedLimitBytes', () => {
  let s: Awaited<ReturnType<typeof start>>;
  let fileUrl: string;
  beforeAll(async () => {
    s = await start();
    fileUrl = `${s.server.url}/Sync/JobItems/${s.jobItemId}/File`;
  });
  const setLimit = (bytes: number) => s.admin.json('POST', '/System/Configuration/sync', { UploadSpeedLimitBytes: bytes });

  it('paces one download, shares the budget between two, and 0 is unlimited — without a restart', async () => {
    expect(size).toBeGreaterThan(3_500_000);
    const limit = 2 * 1024 * 1024;
    await setLimit(limit);
    const one = await timedDownload(fileUrl, s.admin.token);
    expect(one.bytes).toBe(size);
    // ≥ size/limit minus the small burst the bucket allows (and generous room for a busy machine above).
    expect(one.ms).toBeGreaterThanOrEqual((size / limit) * 1000 - 300);

    const t0 = performance.now();
    const both = await Promise.all([timedDownload(fileUrl, s.admin.token), timedDownload(fileUrl, s.admin.token)]);
    const total = performance.now() - t0;
    expect(both.map((b) => b.bytes)).toEqual([size, size]);
    // Two downloads share 2 MB/s: together ≈ 2 × size / limit, not size / limit.
    expect(total).toBeGreaterThanOrEqual(((2 * size) / limit) * 1000 - 400);
    // ...and fairly: neither finished long before the other.
    expect(Math.abs(both[0]!.ms - both[1]!.ms)).toBeLessThan(1000);

    await setLimit(0);
    const free = await timedDownload(fileUrl, s.admin.token);
    expect(free.bytes).toBe(size);
    expect(free.ms).toBeLessThan(1000);
  }, 30_000);

  it('a lower limit applies to a download already in flight', async () => {
    await setLimit(0);
    await setLimit(256 * 1024);
    const t0 = performance.now();
    const res = await fetch(fileUrl, { headers: { 'X-Emby-Token': s.admin.token } });
    const reader = res.body!.getReader();
    let got = 0;
    // 1 s at 256 KiB/s, then raise to unlimited: the rest arrives at once.
    while (performance.now() - t0 < 1000) {
      const { value, done } = await reader.read();
      if (done) break;
      got += value.byteLength;
    }
    expect(got).toBeLessThan(size / 4);
    await setLimit(0);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      got += value.byteLength;
    }
    expect(got).toBe(size);
    expect(performance.now() - t0).toBeLessThan(4000);
  }, 20_000);
});

describe('shutdown with downloads in flight', () => {
  it('closes within 2 s with one download streaming and one aborted by the client', async () => {
    const s = await start();
    await s.admin.json('POST', '/System/Configuration/sync', { UploadSpeedLimitBytes: 64 * 1024 });
    const url = `${s.server.url}/Sync/JobItems/${s.jobItemId}/File`;
    const streaming = await fetch(url, { headers: { 'X-Emby-Token': s.admin.token } });
    const reader = streaming.body!.getReader();
    await reader.read();
    const ctrl = new AbortController();
    const aborted = await fetch(url, { headers: { 'X-Emby-Token': s.admin.token }, signal: ctrl.signal });
    await aborted.body!.getReader().read();
    ctrl.abort();
    // A keep-alive connection that is idle.
    await (await fetch(`${s.server.url}/System/Info/Public`)).arrayBuffer();

    const t0 = performance.now();
    await s.server.close();
    servers.splice(servers.indexOf(s.server), 1);
    expect(performance.now() - t0).toBeLessThan(2000);
    // The streaming download was cut, not left hanging.
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return 'ended';
      })(),
    ).rejects.toThrow();
  }, 20_000);
});
