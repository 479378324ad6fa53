/**
 * A real server whose ffmpeg reports no libx265 (the real toolchain with that one encoder hidden, as a build
 * without it would report): a device whose Static profile lists `hevc,h264` gets its transcode as H.264 from
 * real ffmpeg instead of a plan that fails with "Unknown encoder 'libx265'".
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Toolchain } from '../../../src/server/media/toolchain.js';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import type { DeviceProfile } from '../../../src/shared/profile/types.js';
import { makeClip, tempDir } from '../../helpers/media.js';
import { signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';
import { testToolchain } from '../../helpers/toolchain.js';

/** Plays MP4 H.264/AAC; converts into MP4 with HEVC preferred, H.264 next. */
const HEVC_FIRST: DeviceProfile = {
  MaxStaticBitrate: 40_000_000,
  DirectPlayProfiles: [{ Container: 'mp4', VideoCodec: 'h264,hevc', AudioCodec: 'aac', Type: 'Video' }],
  TranscodingProfiles: [
    { Container: 'mp4', Type: 'Video', VideoCodec: 'hevc,h264', AudioCodec: 'aac', Context: 'Static', Protocol: 'http' },
  ],
};

async function withoutEncoder(name: string): Promise<Toolchain> {
  const real = await testToolchain();
  return { ...real, encoders: real.encoders.filter((e) => e !== name), hasEncoder: (e) => e !== name && real.hasEncoder(e) };
}

let server: TestServer;
let admin: Session;
let media: string;
let itemId: string;

beforeAll(async () => {
  media = tempDir('stowaway-encoders-media-');
  fs.mkdirSync(path.join(media, 'Movies'));
  // VP9/Opus WebM: nothing in it plays on the device, so it must be transcoded.
  await makeClip(path.join(media, 'Movies'), 'Web Movie (2022).webm', { vcodec: 'vp9', acodec: 'opus', seconds: 2 });
  server = await startTestServer({ mediaDirs: [media], adminUser: 'admin', adminPassword: 'pw' }, { toolchain: withoutEncoder('libx265') });
  await ensureAdministrator(server.built.deps);
  await server.built.deps.library.scanner.scan();
  admin = await signIn(server.url, 'admin', 'pw', 'admin-phone');
  const res = await admin.req('POST', '/Sessions/Capabilities/Full', {
    SupportsSync: true,
    PlayableMediaTypes: ['Video'],
    DeviceProfile: HEVC_FIRST,
  });
  expect(res.status).toBe(204);
  itemId = (server.built.deps.db.prepare("SELECT id FROM items WHERE name = 'Web Movie'").get() as { id: string }).id;
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(media, { recursive: true, force: true });
});

async function waitForItem(jobId: string, status: string, ms = 60_000): Promise<any> {
  const end = Date.now() + ms;
  let last: any;
  while (Date.now() < end) {
    last = (await admin.json('GET', `/Sync/JobItems?JobId=${jobId}`)).Items[0];
    if (last?.Status === status) return last;
    if (last?.Status === 'Failed') throw new Error(`item failed: ${last.ErrorMessage}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`item stayed ${last?.Status}`);
}

describe('sync on an ffmpeg without libx265', () => {
  it("transcodes for an hevc,h264 device into H.264, the profile's next codec, with real ffmpeg", async () => {
    expect(server.built.deps.toolchain.hasEncoder('libx265')).toBe(false);
    const res = await admin.json('POST', '/Sync/Jobs', { TargetId: 'admin-phone', ItemIds: itemId, Quality: 'high' });
    const item = await waitForItem(res.Job.Id, 'ReadyToTransfer');
    expect(item.OutputPath).toMatch(/\.mp4$/);
    const video = item.MediaSource.MediaStreams.find((s: any) => s.Type === 'Video');
    const audio = item.MediaSource.MediaStreams.find((s: any) => s.Type === 'Audio');
    expect(video.Codec).toBe('h264');
    expect(audio.Codec).toBe('aac');
    const file = await admin.req('GET', `/Sync/JobItems/${item.Id}/File`);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).length).toBe(item.Size);
  });
});
