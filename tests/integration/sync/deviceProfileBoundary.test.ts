import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, tempDir } from '../../helpers/media.js';
import { signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';
import { createLogger } from '../../../src/server/logger.js';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import { MP4_PROFILE } from './fixture.js';

/**
 * Issue 14 item 2: a malformed DeviceProfile is refused at the door with a 400 that names the field, a
 * profile stored before the schema existed is ignored (with a warning) instead of breaking every request,
 * and items that were never planned get planned at the next start.
 */
let media: string;
let dataDir: string;
let server: TestServer;
let admin: Session;
let logText = '';
let movieId: string;
const DEVICE = 'boundary-phone';

async function boot(): Promise<void> {
  const log = createLogger('warn', { write: (line: string) => void (logText += line) });
  server = await startTestServer({ dataDir, mediaDirs: [media], adminUser: 'admin', adminPassword: 'pw' }, { log });
  await ensureAdministrator(server.built.deps);
  admin = await signIn(server.url, 'admin', 'pw', DEVICE);
}

const storedProfile = () => server.built.deps.devices.get(DEVICE)?.capabilities?.DeviceProfile;
const jobCount = () => (server.built.deps.db.prepare('SELECT COUNT(*) AS n FROM sync_jobs').get() as { n: number }).n;
const report = (profile: unknown) => admin.req('POST', '/Sessions/Capabilities/Full', { SupportsSync: true, DeviceProfile: profile });

beforeAll(async () => {
  media = tempDir('stowaway-profile-media-');
  dataDir = tempDir('stowaway-profile-data-');
  await makeClip(media, 'Plain Movie (2020).mp4', { seconds: 1 });
  await boot();
  await server.built.deps.library.scanner.scan();
  movieId = (server.built.deps.db.prepare("SELECT id FROM items WHERE name = 'Plain Movie'").get() as { id: string }).id;
}, 60_000);
afterAll(async () => {
  await server.close();
  fs.rmSync(media, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('DeviceProfile at the boundary', () => {
  it('refuses a TranscodingProfile without Container with a 400 naming the field, and keeps the profile reported before', async () => {
    expect((await report(MP4_PROFILE)).status).toBe(204);
    const res = await report({ TranscodingProfiles: [{ Type: 'Video', Context: 'Static', VideoCodec: 'h264' }] });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe('BadRequest');
    expect(body.message).toContain('TranscodingProfiles/0');
    expect(body.message).toContain('Container');
    expect(storedProfile()?.TranscodingProfiles?.[0]?.Container).toBe('mp4');
  });

  it.each([
    ['Conditions that are not a list of conditions', { CodecProfiles: [{ Type: 'Video', Conditions: 'LessThanEqual' }] }, 'Conditions'],
    ['a number where a CSV string belongs', { DirectPlayProfiles: [{ Type: 'Video', Container: { mp4: true } }] }, 'Container'],
    ['an object where a value belongs', { MaxStaticBitrate: { value: 1 } }, 'MaxStaticBitrate'],
    [
      'a 100 000-value EqualsAny',
      {
        CodecProfiles: [
          {
            Type: 'Video',
            Conditions: [{ Condition: 'EqualsAny', Property: 'Width', Value: Array.from({ length: 100_000 }, (_, i) => i).join('|') }],
          },
        ],
      },
      'Value',
    ],
    ['a NUL in a container name', { TranscodingProfiles: [{ Type: 'Video', Container: 'mp4\u0000', Context: 'Static' }] }, 'Container'],
    [
      'an unknown condition',
      { CodecProfiles: [{ Type: 'Video', Conditions: [{ Condition: 'Approximately', Property: 'Width' }] }] },
      'Condition',
    ],
  ])('refuses %s with a 400 naming the field', async (_name, profile, field) => {
    const before = storedProfile();
    const res = await report(profile);
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain(field);
    expect(storedProfile()).toEqual(before);
  });

  it('refuses a deeply nested object where a profile list belongs, without a stack overflow', async () => {
    const deep = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    const res = await fetch(`${server.url}/Sessions/Capabilities/Full`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-emby-token': admin.token },
      body: `{"SupportsSync":true,"DeviceProfile":{"CodecProfiles":${deep}}}`,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('CodecProfiles');
  });

  it('drops unknown properties however deep they are, so the stored profile stays small', async () => {
    const deep = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    const res = await fetch(`${server.url}/Sessions/Capabilities/Full`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-emby-token': admin.token },
      body: `{"SupportsSync":true,"DeviceProfile":{"MaxStaticBitrate":"4000000","Identification":${deep}}}`,
    });
    expect(res.status).toBe(204);
    expect(storedProfile()).toEqual({ MaxStaticBitrate: 4_000_000 });
  });

  it('takes what Emby clients send: numbers as strings, CSV as arrays, names and enums in any case, nulls, enum numbers', async () => {
    const res = await report({
      maxstaticbitrate: '8000000',
      DirectPlayProfiles: [{ container: ['mp4', 'm4v'], VideoCodec: 'h264', AudioCodec: null, type: 'video' }],
      TranscodingProfiles: [{ Container: 'mp4', Type: 1, Context: 'static', VideoCodec: 'h264', AudioCodec: 'aac', MaxAudioChannels: '2' }],
      CodecProfiles: [
        { Type: 'Video', Codec: 'h264', Conditions: [{ Condition: 2, Property: 'Width', Value: 1920, IsRequired: 'false' }] },
      ],
      SubtitleProfiles: [{ Format: 'vtt', Method: 'external' }],
      ResponseProfiles: [{ Whatever: true }],
    });
    expect(res.status).toBe(204);
    expect(storedProfile()).toEqual({
      MaxStaticBitrate: 8_000_000,
      DirectPlayProfiles: [{ Container: 'mp4,m4v', VideoCodec: 'h264', Type: 'Video' }],
      TranscodingProfiles: [
        { Container: 'mp4', Type: 'Video', Context: 'Static', VideoCodec: 'h264', AudioCodec: 'aac', MaxAudioChannels: 2 },
      ],
      CodecProfiles: [
        { Type: 'Video', Codec: 'h264', Conditions: [{ Condition: 'LessThanEqual', Property: 'Width', Value: '1920', IsRequired: false }] },
      ],
      SubtitleProfiles: [{ Format: 'vtt', Method: 'External' }],
    });
  });

  it('validates the profile PlaybackInfo takes in its body too', async () => {
    const res = await admin.req('POST', `/Items/${movieId}/PlaybackInfo`, { DeviceProfile: { TranscodingProfiles: [{ Type: 'Video' }] } });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('Container');
  });

  it('ignores a stored profile that no longer validates, with a warning, until the device reports again', async () => {
    // As a server before the schema could have stored it.
    server.built.deps.db.prepare('UPDATE devices SET capabilities = ? WHERE id = ?').run(
      JSON.stringify({
        SupportsSync: true,
        PlayableMediaTypes: ['Video'],
        DeviceProfile: { TranscodingProfiles: [{ Type: 'Video', Conditions: 7 }] },
      }),
      DEVICE,
    );
    expect((await admin.req('GET', `/Items/${movieId}/PlaybackInfo`)).status).toBe(200);
    expect((await admin.req('GET', `/Sync/Options?ItemIds=${movieId}&TargetId=${DEVICE}`)).status).toBe(200);
    const created = await admin.req('POST', '/Sync/Jobs', { TargetId: DEVICE, ItemIds: [movieId], Quality: 'high' });
    expect(created.status).toBe(200);
    expect(logText).toContain('ignoring a stored DeviceProfile');
    // Dropped: the device is a sync target still, without a profile until it reports one.
    expect(server.built.deps.devices.get(DEVICE)?.capabilities?.SupportsSync).toBe(true);
    expect(storedProfile()).toBeUndefined();
    const job = (await created.json()) as { Job: { Id: string } };
    expect((await admin.req('DELETE', `/Sync/Jobs/${job.Job.Id}`)).status).toBe(204);
    expect((await report(MP4_PROFILE)).status).toBe(204);
    expect(storedProfile()?.TranscodingProfiles).toHaveLength(2);
  });

  it('plans at start the Queued items that were never planned, so none stays Queued across restarts', async () => {
    const before = jobCount();
    const job = await admin.json('POST', '/Sync/Jobs', { TargetId: DEVICE, ItemIds: [movieId], Quality: 'high' });
    expect(jobCount()).toBe(before + 1);
    // What the failed plans of old left behind: an item back at Queued, with no plan and no output.
    server.built.deps.db
      .prepare("UPDATE sync_job_items SET status = 'Queued', progress = 0, output_key = NULL, media_source = NULL WHERE job_id = ?")
      .run(job.Job.Id);
    await server.close();
    await boot();
    const items = (await admin.json('GET', `/Sync/JobItems?JobId=${job.Job.Id}`)).Items;
    expect(items.map((i: { Status: string }) => i.Status)).toEqual(['ReadyToTransfer']);
  }, 60_000);
});
