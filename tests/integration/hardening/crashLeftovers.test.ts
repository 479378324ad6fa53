import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, tempDir } from '../../helpers/media.js';
import { authHeader, signIn, type Session } from '../../helpers/server.js';
import { childPids, startServerProcess, type ServerProcess } from '../../helpers/serverProcess.js';
import { MP4_PROFILE } from '../sync/fixture.js';

/**
 * kill -9 of the server process alone (its ffmpeg children live on as orphans, as after an OOM kill):
 * after a restart no ffmpeg of the old server still runs and no temporary file is left.
 */
let media: string;
let dataDir: string;
let server: ServerProcess | undefined;
const env = () => ({ STOWAWAY_DATA_DIR: dataDir, STOWAWAY_MEDIA_DIR: media, STOWAWAY_ADMIN_USER: 'admin', STOWAWAY_ADMIN_PASSWORD: 'pw' });

beforeAll(async () => {
  media = tempDir('stowaway-leftover-media-');
  dataDir = tempDir('stowaway-leftover-data-');
  await makeClip(media, 'Slow Transcode (2020).mp4', { seconds: 30, size: '1280x720', bitrate: '6M' });
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(media, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function boot(): Promise<{ s: Session; itemId: string }> {
  server = await startServerProcess(env());
  const s = await signIn(server.url, 'admin', 'pw', 'leftover-phone');
  await s.json('POST', '/Sessions/Capabilities/Full', { SupportsSync: true, DeviceProfile: MP4_PROFILE });
  const itemId = await waitFor(
    async () => (await s.json('GET', `/Users/${s.userId}/Items?Recursive=true&IncludeItemTypes=Movie`)).Items[0]?.Id,
  );
  return { s, itemId };
}

async function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

/** Live (not zombie) processes whose parent is `ppid` and whose command is ffmpeg. */
function ffmpegChildrenOf(ppid: number): number[] {
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (comm === 'ffmpeg' && Number(parent) === ppid && state !== 'Z') pids.push(Number(name));
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}

function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

function tempFiles(): string[] {
  return fs
    .readdirSync(dataDir, { recursive: true })
    .map(String)
    .filter((p) => p.includes('.partial') || p.endsWith('.part'));
}

describe('leftovers of a kill -9', () => {
  it('stops the ffmpeg the killed server left running, and leaves no partial output', async () => {
    const { s, itemId } = await boot();
    const job = await s.json('POST', '/Sync/Jobs', { TargetId: 'leftover-phone', ItemIds: itemId, Quality: 'low' });
    // tsx runs the server in a child process of the one we started: ffmpeg is a grandchild.
    const serverPids = [server!.child.pid!, ...childPids(server!.child.pid!)];
    const [orphan] = await waitFor(() => {
      const pids = serverPids.flatMap(ffmpegChildrenOf);
      return pids.length > 0 ? pids : undefined;
    });
    await server!.killServerOnly();
    // Without the sweep this process keeps transcoding beside the restarted conversion.
    expect(running(orphan!)).toBe(true);

    const again = await boot();
    expect(running(orphan!)).toBe(false);
    await waitFor(async () => {
      const item = (await again.s.json('GET', `/Sync/JobItems?JobId=${job.Job.Id}`)).Items[0];
      return item.Status === 'ReadyToTransfer' ? item : undefined;
    }, 180_000);
    expect(tempFiles()).toEqual([]);
    expect(fs.readdirSync(path.join(dataDir, 'run', 'children'))).toEqual([]);
    await server!.stop();
  }, 300_000);

  it('removes the .part file of a camera upload cut off by the kill', async () => {
    const { s } = await boot();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // A JPEG's first bytes, then a stream that never ends: the kill cuts it off.
        if (sent === 0) controller.enqueue(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(64 * 1024).fill(7)]));
        sent++;
        return new Promise(() => {});
      },
    });
    const upload = fetch(`${server!.url}/Devices/CameraUploads?DeviceId=leftover-phone&Name=beach.jpg`, {
      method: 'POST',
      headers: { 'x-emby-authorization': authHeader(s.deviceId, s.token), 'Content-Type': 'image/jpeg' },
      body,
      duplex: 'half',
    } as RequestInit).catch(() => undefined);
    const incoming = path.join(dataDir, 'camera-uploads', '.incoming');
    await waitFor(() =>
      fs.existsSync(incoming) && fs.readdirSync(incoming).some((n) => n.endsWith('.part') && fs.statSync(path.join(incoming, n)).size > 0)
        ? true
        : undefined,
    );
    await server!.killServerOnly();
    await upload;
    expect(tempFiles().length).toBeGreaterThan(0);

    await boot();
    expect(tempFiles()).toEqual([]);
    await server!.stop();
  }, 120_000);
});
