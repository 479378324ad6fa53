import fs from 'node:fs';
import path from 'node:path';
import { makeClip, tempDir } from '../../helpers/media.js';
import { signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import type { DeviceProfile } from '../../../src/shared/profile/types.js';

/** A browser-like profile: MP4 H.264/AAC plays as is; a Static MP4 transcoding profile for the rest. */
export const MP4_PROFILE: DeviceProfile = {
  MaxStaticBitrate: 40_000_000,
  DirectPlayProfiles: [
    { Container: 'mp4,m4v', VideoCodec: 'h264', AudioCodec: 'aac,mp3', Type: 'Video' },
    { Container: 'mp3', Type: 'Audio' },
  ],
  TranscodingProfiles: [
    { Container: 'mp4', Type: 'Video', VideoCodec: 'h264', AudioCodec: 'aac', Context: 'Static', Protocol: 'http' },
    { Container: 'mp3', Type: 'Audio', AudioCodec: 'mp3', Context: 'Static', Protocol: 'http' },
  ],
  SubtitleProfiles: [{ Format: 'vtt', Method: 'External' }],
};

export interface SyncFixture {
  server: TestServer;
  media: string;
  admin: Session;
  /** Library item ids by name. */
  ids: Record<string, string>;
  reportTarget(s: Session, profile?: DeviceProfile): Promise<void>;
}

/** Generates a tiny library (a movie, a 3-episode series, an MKV needing a remux), scans it on a real server. */
export async function startSyncFixture(): Promise<SyncFixture> {
  const media = tempDir('stowaway-sync-media-');
  fs.mkdirSync(path.join(media, 'Movies'), { recursive: true });
  const show = path.join(media, 'Shows', 'Test Show', 'Season 01');
  fs.mkdirSync(show, { recursive: true });
  await Promise.all([
    makeClip(path.join(media, 'Movies'), 'Direct Movie (2020).mp4', { seconds: 2 }),
    makeClip(path.join(media, 'Movies'), 'Remux Movie (2021).mkv', { seconds: 2, acodec: 'ac3' }),
    makeClip(show, 'Test Show - S01E01 - Pilot.mp4', { seconds: 1 }),
    makeClip(show, 'Test Show - S01E02 - Second.mp4', { seconds: 1 }),
    makeClip(show, 'Test Show - S01E03 - Third.mp4', { seconds: 1 }),
  ]);
  const server = await startTestServer({ mediaDirs: [media], adminUser: 'admin', adminPassword: 'pw' });
  await ensureAdministrator(server.built.deps);
  await server.built.deps.library.scanner.scan();
  const admin = await signIn(server.url, 'admin', 'pw', 'admin-phone');
  const rows = server.built.deps.db.prepare('SELECT id, name FROM items').all() as { id: string; name: string }[];
  const ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  const reportTarget = async (s: Session, profile: DeviceProfile = MP4_PROFILE) => {
    const res = await s.req('POST', '/Sessions/Capabilities/Full', {
      SupportsSync: true,
      PlayableMediaTypes: ['Audio', 'Video'],
      DeviceProfile: profile,
    });
    if (res.status !== 204) throw new Error(`capabilities: ${res.status}`);
  };
  await reportTarget(admin);
  return { server, media, admin, ids, reportTarget };
}
