/**
 * A server over a library the test describes file by file (the shared sync fixture has fixed media): the
 * subtitle and fault tests need subtitles, songs, long clips and files they can break.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/media.js';
import { signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import type { DeviceProfile } from '../../../src/shared/profile/types.js';
import { MP4_PROFILE } from './fixture.js';

export interface MediaServer {
  server: TestServer;
  media: string;
  admin: Session;
  /** Library item ids by name. */
  ids: Record<string, string>;
  reportTarget(s: Session, profile?: DeviceProfile): Promise<void>;
  /** Polls the job's item until it reaches `status` (throws on Failed unless that is the status wanted). */
  waitForItem(s: Session, jobId: string, status: string, ms?: number): Promise<any>;
}

/** `make(media)` writes the library into `media`; then a real server scans it and `admin-phone` becomes a target. */
export async function startMediaServer(
  make: (media: string) => Promise<unknown>,
  dataDir?: string,
  media = tempDir('stowaway-conv-media-'),
): Promise<MediaServer> {
  await make(media);
  const server = await startTestServer({ mediaDirs: [media], adminUser: 'admin', adminPassword: 'pw', ...(dataDir ? { dataDir } : {}) });
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
  return { server, media, admin, ids, reportTarget, waitForItem };
}

async function waitForItem(s: Session, jobId: string, status: string, ms = 30_000): Promise<any> {
  const end = Date.now() + ms;
  let last: any;
  while (Date.now() < end) {
    last = (await s.json('GET', `/Sync/JobItems?JobId=${jobId}`)).Items[0];
    if (last?.Status === status) return last;
    if (last?.Status === 'Failed') throw new Error(`item failed: ${last.ErrorMessage}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`item stayed ${last?.Status}`);
}

export function mkdirs(...parts: string[]): string {
  const dir = path.join(...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
