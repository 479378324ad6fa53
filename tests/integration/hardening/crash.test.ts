import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeClip, tempDir } from '../../helpers/media.js';
import { signIn, type Session } from '../../helpers/server.js';
import { startServerProcess, type ServerProcess } from '../../helpers/serverProcess.js';
import { MP4_PROFILE } from '../sync/fixture.js';

/**
 * kill -9 of the real server process (and its ffmpeg children) at bad moments; after a restart nothing
 * is lost or doubled, no partial output is served, conversions resume and downloads resume.
 */
let media: string;
let dataDir: string;
let server: ServerProcess | undefined;
const env = () => ({ STOWAWAY_DATA_DIR: dataDir, STOWAWAY_MEDIA_DIR: media, STOWAWAY_ADMIN_USER: 'admin', STOWAWAY_ADMIN_PASSWORD: 'pw' });

beforeAll(async () => {
  media = tempDir('stowaway-crash-media-');
  dataDir = tempDir('stowaway-crash-data-');
  await Promise.all([
    makeClip(media, 'Big Transcode (2020).mp4', { seconds: 12, size: '1280x720', bitrate: '6M' }),
    makeClip(media, 'Download Me (2021).mp4', { seconds: 12, size: '1280x720', bitrate: '4M' }),
  ]);
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(media, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function boot(): Promise<{ s: Session; ids: Record<string, string> }> {
  server = await startServerProcess(env());
  const s = await signIn(server.url, 'admin', 'pw', 'crash-phone');
  await s.json('POST', '/Sessions/Capabilities/Full', { SupportsSync: true, DeviceProfile: MP4_PROFILE });
  // The first scan runs in the background after start: wait for the items.
  const items: any[] = await vi.waitUntil(
    async () => {
      const found: any[] = (await s.json('GET', `/Users/${s.userId}/Items?Recursive=true&IncludeItemTypes=Movie`)).Items;
      return found.length >= 2 && found;
    },
    { timeout: 30_000, interval: 100 },
  );
  return { s, ids: Object.fromEntries(items.map((i) => [i.Name, i.Id])) };
}

/**
 * Polls until `fn` gives a value. waitUntil, not waitFor: an assertion failing inside `fn` ends the test at
 * once instead of being retried until it happens to pass.
 */
const waitFor = <T>(fn: () => Promise<T | undefined>, ms = 60_000) => vi.waitUntil(fn, { timeout: ms, interval: 100 });

function integrity(): string {
  const db = new Database(path.join(dataDir, 'stowaway.db'), { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

function partialFiles(): string[] {
  const work = path.join(dataDir, 'sync');
  if (!fs.existsSync(work)) return [];
  return fs
    .readdirSync(work, { recursive: true })
    .map(String)
    .filter((p) => p.includes('.partial'));
}

describe('crash and restart', () => {
  it('kill -9 during a conversion: after restart the item converts again and nothing partial is served', async () => {
    const { s, ids } = await boot();
    const job = await s.json('POST', '/Sync/Jobs', { TargetId: 'crash-phone', ItemIds: ids['Big Transcode'], Quality: 'low' });
    const jobItemId = job.JobItems[0].Id;
    await waitFor(async () =>
      (await s.json('GET', `/Sync/JobItems?JobId=${job.Job.Id}`)).Items[0].Status === 'Converting' ? true : undefined,
    );
    // The kill must land while ffmpeg writes: only then does "nothing partial after restart" prove a cleanup.
    await waitFor(async () => (partialFiles().length > 0 ? true : undefined));
    await server!.killHard();
    expect(partialFiles().length).toBeGreaterThan(0);
    expect(integrity()).toBe('ok');

    const again = await boot();
    const ready = await waitFor(async () => {
      const items = (await again.s.json('GET', `/Sync/JobItems?JobId=${job.Job.Id}`)).Items;
      expect(items).toHaveLength(1);
      expect(items[0].Id).toBe(jobItemId);
      return items[0].Status === 'ReadyToTransfer' ? items[0] : undefined;
    }, 120_000);
    expect(partialFiles()).toEqual([]);
    const file = Buffer.from(await (await again.s.req('GET', `/Sync/JobItems/${jobItemId}/File`)).arrayBuffer());
    expect(file.length).toBe(ready.Size);
    expect(createHash('sha256').update(file).digest('hex')).toBe(ready.Sha256);
    await server!.stop();
  }, 240_000);

  it('kill -9 during a download: the item is ReadyToTransfer again and the download resumes with Range', async () => {
    const { s, ids } = await boot();
    const job = await s.json('POST', '/Sync/Jobs', { TargetId: 'crash-phone', ItemIds: ids['Download Me'], Quality: 'original' });
    const item = job.JobItems[0];
    expect(item.Status).toBe('ReadyToTransfer');
    const res = await s.req('GET', `/Sync/JobItems/${item.Id}/File`);
    const reader = res.body!.getReader();
    const parts: Buffer[] = [];
    let got = 0;
    while (got < 256 * 1024) {
      const { value, done } = await reader.read();
      if (done) break;
      parts.push(Buffer.from(value));
      got += value.length;
    }
    await server!.killHard();
    await reader.cancel().catch(() => {});
    expect(integrity()).toBe('ok');

    const again = await boot();
    const after = (await again.s.json('GET', `/Sync/JobItems?JobId=${job.Job.Id}`)).Items[0];
    expect(after.Status).toBe('ReadyToTransfer');
    const have = Buffer.concat(parts);
    const rest = await again.s.req('GET', `/Sync/JobItems/${item.Id}/File`, undefined, { Range: `bytes=${have.length}-` });
    expect(rest.status).toBe(206);
    const whole = Buffer.concat([have, Buffer.from(await rest.arrayBuffer())]);
    const original = fs.readFileSync(path.join(media, 'Download Me (2021).mp4'));
    expect(whole.equals(original)).toBe(true);
    await server!.stop();
  }, 180_000);

  it('kill -9 during job creation: every job is whole and no item is doubled', async () => {
    const { s, ids } = await boot();
    const posts = Array.from({ length: 30 }, (_, i) =>
      s
        .req('POST', '/Sync/Jobs', {
          TargetId: 'crash-phone',
          ItemIds: [ids['Download Me'], ids['Big Transcode']],
          Name: `job ${i}`,
          Quality: 'original',
        })
        .catch(() => undefined),
    );
    // Kill once the server has committed a job, with the others still arriving: a fixed delay could fire
    // before any request reached the server (and then the test would prove nothing).
    await Promise.race(posts);
    await server!.killHard();
    await Promise.all(posts);
    expect(integrity()).toBe('ok');
    const db = new Database(path.join(dataDir, 'stowaway.db'), { readonly: true });
    try {
      const created = db.prepare(`SELECT COUNT(*) AS n FROM sync_jobs WHERE name LIKE 'job %'`).get() as { n: number };
      expect(created.n).toBeGreaterThan(0);
      const partial = db
        .prepare(
          `SELECT j.id FROM sync_jobs j WHERE j.name LIKE 'job %' AND (SELECT COUNT(*) FROM sync_job_items i WHERE i.job_id = j.id) <> 2`,
        )
        .all();
      expect(partial).toEqual([]);
      const doubled = db
        .prepare(
          `SELECT item_id, COUNT(*) AS n FROM sync_job_items WHERE target_id = 'crash-phone'
           AND status IN ('Queued','Converting','ReadyToTransfer','Transferring','Synced') GROUP BY item_id HAVING n > 1`,
        )
        .all();
      expect(doubled).toEqual([]);
    } finally {
      db.close();
    }
    const again = await boot();
    expect((await again.s.req('GET', '/Sync/Jobs')).status).toBe(200);
    await server!.stop();
  }, 180_000);
});
