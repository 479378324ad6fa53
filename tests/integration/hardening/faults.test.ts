import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeClip, mediaBinaries, tempDir } from '../../helpers/media.js';
import { signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import type { ServerConfig } from '../../../src/server/config.js';
import { MP4_PROFILE } from '../sync/fixture.js';

/**
 * The server on a broken machine: no ffmpeg, parts of the data dir that cannot be written, a full disk.
 * Each fault must end as a readable message on the item or in the scan report — never a 500, never a
 * server that refuses to start, never a half-written file left behind.
 */
let media: string;
const started: TestServer[] = [];

beforeAll(async () => {
  media = tempDir('stowaway-faults-media-');
  fs.mkdirSync(path.join(media, 'Movies'));
  await Promise.all([
    makeClip(path.join(media, 'Movies'), 'Direct Movie (2020).mp4', { seconds: 1 }),
    // AC3 in MKV: a remux for the MP4 profile, so ffmpeg must run.
    makeClip(path.join(media, 'Movies'), 'Remux Movie (2021).mkv', { seconds: 1, acodec: 'ac3' }),
  ]);
});
afterAll(async () => {
  for (const s of started) await s.close().catch(() => undefined);
});

interface Running {
  server: TestServer;
  admin: Session;
  ids: Record<string, string>;
  /** Every response status seen through `get`, so a test can assert none was a 5xx. */
  statuses: number[];
  get(p: string): Promise<Response>;
}

async function start(overrides: Partial<ServerConfig> = {}, scan = true): Promise<Running> {
  const server = await startTestServer({ mediaDirs: [media], adminUser: 'admin', adminPassword: 'pw', ...overrides });
  started.push(server);
  await ensureAdministrator(server.built.deps);
  if (scan) await server.built.deps.library.scanner.scan();
  const admin = await signIn(server.url, 'admin', 'pw', 'admin-phone');
  const res = await admin.req('POST', '/Sessions/Capabilities/Full', {
    SupportsSync: true,
    PlayableMediaTypes: ['Video'],
    DeviceProfile: MP4_PROFILE,
  });
  expect(res.status).toBe(204);
  const rows = server.built.deps.db.prepare('SELECT id, name FROM items').all() as { id: string; name: string }[];
  const statuses: number[] = [];
  return {
    server,
    admin,
    ids: Object.fromEntries(rows.map((r) => [r.name, r.id])),
    statuses,
    async get(p) {
      const r = await admin.req('GET', p);
      statuses.push(r.status);
      return r;
    },
  };
}

/** Polls the job's only item until it leaves Queued/Converting. */
async function settledItem(s: Session, jobId: string, ms = 30_000): Promise<any> {
  let last: any;
  return vi
    .waitUntil(
      async () => {
        last = (await s.json('GET', `/Sync/JobItems?JobId=${jobId}`)).Items[0];
        return last && last.Status !== 'Queued' && last.Status !== 'Converting' && last;
      },
      { timeout: ms, interval: 100 },
    )
    .catch((err: unknown) => {
      throw new Error(`item stayed ${last?.Status}`, { cause: err });
    });
}

async function syncOne(r: Running, name: string): Promise<any> {
  const res = await r.admin.req('POST', '/Sync/Jobs', { TargetId: r.admin.deviceId, ItemIds: r.ids[name], Quality: 'high' });
  expect(res.status).toBe(200);
  const job = (await res.json()) as { Job: { Id: string } };
  return settledItem(r.admin, job.Job.Id);
}

/** The library, an original stream and a direct sync still work: the fault stays where it is. */
async function expectEverythingElseWorks(r: Running): Promise<void> {
  const list = await (await r.get(`/Users/${r.admin.userId}/Items?Recursive=true&IncludeItemTypes=Movie`)).json();
  expect(list.Items.map((i: { Name: string }) => i.Name).sort()).toEqual(['Direct Movie', 'Remux Movie']);
  const stream = await r.get(`/Videos/${r.ids['Direct Movie']}/stream?static=true`);
  expect(stream.status).toBe(200);
  expect((await stream.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  const direct = await syncOne(r, 'Direct Movie');
  expect(direct.Status).toBe('ReadyToTransfer');
  const file = await r.get(`/Sync/JobItems/${direct.Id}/File`);
  expect(file.status).toBe(200);
  await file.arrayBuffer();
  expect((await r.get('/System/Info')).status).toBe(200);
}

function partialsUnder(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => n.includes('.partial'));
}

describe('ffmpeg and ffprobe missing', () => {
  it('starts, serves the library and originals, reports the scan issue, fails conversions readably', async () => {
    // The library is scanned once with working binaries; then the server restarts without them.
    const dataDir = tempDir('stowaway-faults-data-');
    const first = await start({ dataDir });
    await first.server.close();
    const missingFfmpeg = path.join(dataDir, 'nowhere', 'ffmpeg');
    const missingFfprobe = path.join(dataDir, 'nowhere', 'ffprobe');
    // No discovery: a machine where the configured binaries are all there is (PATH and npm would be tried).
    const r = await start({ dataDir, ffmpegPath: missingFfmpeg, ffprobePath: missingFfprobe, toolchainDiscovery: false }, false);

    await expectEverythingElseWorks(r);
    // A new file cannot be probed: the scan says why, and the rest of the library stays.
    await makeClip(path.join(media, 'Movies'), 'Late Movie (2022).mp4', { seconds: 1 }).catch(() => undefined);
    try {
      const refresh = await r.admin.req('POST', '/Library/Refresh');
      expect(refresh.status).toBe(204);
      // No pause needed: Refresh started its scan before answering, so this call queues one that runs after
      // it and resolves with a report that has certainly seen the new file.
      await r.server.built.deps.library.scanner.scan();
      const report = await (await r.get('/Library/ScanReport')).json();
      const issue = report.Issues.find((i: { Path: string }) => i.Path.endsWith('Late Movie (2022).mp4'));
      expect(issue?.Reason).toContain(`ffprobe not found at ${missingFfprobe}`);
    } finally {
      fs.rmSync(path.join(media, 'Movies', 'Late Movie (2022).mp4'), { force: true });
    }

    const remux = await syncOne(r, 'Remux Movie');
    expect(remux.Status).toBe('Failed');
    // The user's message says what is missing; the path (a server path) is only in the log.
    expect(remux.ErrorMessage).toContain('ffmpeg not found');
    expect(remux.ErrorMessage).not.toContain(dataDir);
    expect((await r.get('/Users/Me')).status).toBe(200);
    expect(r.statuses.filter((s) => s >= 500)).toEqual([]);
  }, 60_000);
});

describe('parts of the data dir that cannot be written', () => {
  it('a file where the sync work folder and the image folder should be: conversions fail clearly, the rest works', async () => {
    // Works even as root (permissions would not stop root): a file cannot hold children.
    const dataDir = tempDir('stowaway-faults-data-');
    fs.writeFileSync(path.join(dataDir, 'sync'), 'not a folder');
    fs.writeFileSync(path.join(dataDir, 'images'), 'not a folder');
    const r = await start({ dataDir });

    await expectEverythingElseWorks(r);
    // Image extraction failed quietly: no image, a clean 404.
    const image = await r.get(`/Items/${r.ids['Direct Movie']}/Images/Primary`);
    expect(image.status).toBe(404);

    const remux = await syncOne(r, 'Remux Movie');
    expect(remux.Status).toBe('Failed');
    expect(remux.ErrorMessage).toMatch(/sync work folder .*(not a directory|cannot be written)/i);
    expect(remux.ErrorMessage).not.toContain(dataDir);
    expect(r.statuses.filter((s) => s >= 500)).toEqual([]);
  }, 60_000);
});

describe('disk full', () => {
  // ENOSPC without root: a tiny tmpfs needs `mount` (root and CAP_SYS_ADMIN, not in CI containers). Writes to
  // /dev/full fail with ENOSPC on every Linux, so a wrapper around the real ffmpeg links the output file it
  // is asked to write (always its last argument) to /dev/full before running it: ffmpeg really hits a full
  // disk on the runner's temporary file, and the runner's clean-up really has to remove it.
  it.runIf(process.platform === 'linux' && fs.existsSync('/dev/full'))(
    'fails the item with "No space left on device", leaves nothing half-written, keeps serving',
    async () => {
      const dataDir = tempDir('stowaway-faults-data-');
      const wrapper = path.join(dataDir, 'ffmpeg-on-a-full-disk.sh');
      fs.writeFileSync(
        wrapper,
        `#!/bin/sh\nfor last; do :; done\ncase "$last" in *.partial*) ln -sf /dev/full "$last" ;; esac\nexec '${mediaBinaries().ffmpeg}' "$@"\n`,
        { mode: 0o755 },
      );
      const r = await start({ dataDir, ffmpegPath: wrapper });
      const remux = await syncOne(r, 'Remux Movie');
      expect(remux.Status).toBe('Failed');
      expect(remux.ErrorMessage).toMatch(/^No space left on device/);
      expect(partialsUnder(path.join(dataDir, 'sync'))).toEqual([]);
      await expectEverythingElseWorks(r);
      expect(r.statuses.filter((s) => s >= 500)).toEqual([]);
    },
    60_000,
  );
});
