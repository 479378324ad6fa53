import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type Session } from '../../helpers/server.js';
import { int, mutate, pick, PROFILE_KEYS, randomTree, rng, toJson, type Rng } from '../../helpers/hostileJson.js';
import { startSyncFixture, type SyncFixture } from '../sync/fixture.js';

/**
 * Nested fuzzing of the DeviceProfile (issue 14 item 2): generated profiles, deep and wide, against every
 * route that takes one or reads the device's stored one. Half are reported through Capabilities, half are
 * written straight into the database as a server before the schema existed could have stored them. Not one
 * answer may be a 5xx, and a refused POST /Sync/Jobs must leave no job behind.
 * `FUZZ_SEED` and `FUZZ_VARIANTS` override the seed and the count (a failure prints its variant number).
 */
let f: SyncFixture;
let user: Session;
const DEVICE = 'fuzz-phone';

/** A realistic browser profile with every part the decision reads. */
const BASE_PROFILE = {
  Name: 'Fuzz',
  MaxStaticBitrate: 8_000_000,
  MaxStreamingBitrate: '8000000',
  MaxStaticMusicBitrate: 320_000,
  MusicStreamingTranscodingBitrate: '192000',
  DirectPlayProfiles: [
    { Container: 'mp4,m4v', VideoCodec: 'h264', AudioCodec: 'aac,mp3', Type: 'Video' },
    { Container: 'webm', VideoCodec: 'vp9', AudioCodec: 'opus', Type: 'Video' },
    { Container: 'mp3', Type: 'Audio' },
  ],
  TranscodingProfiles: [
    { Container: 'mp4', Type: 'Video', VideoCodec: 'h264', AudioCodec: 'aac', Context: 'Static', Protocol: 'http', MaxAudioChannels: '2' },
    { Container: 'ts', Type: 'Video', VideoCodec: 'h264', AudioCodec: 'aac', Context: 'Streaming', Protocol: 'hls' },
    { Container: 'mp3', Type: 'Audio', AudioCodec: 'mp3', Context: 'Static', Protocol: 'http' },
  ],
  ContainerProfiles: [
    { Type: 'Video', Container: 'mp4', Conditions: [{ Condition: 'LessThanEqual', Property: 'NumAudioStreams', Value: '4' }] },
  ],
  CodecProfiles: [
    {
      Type: 'Video',
      Codec: 'h264',
      Conditions: [
        { Condition: 'EqualsAny', Property: 'VideoProfile', Value: 'high|main|baseline', IsRequired: false },
        { Condition: 'LessThanEqual', Property: 'VideoLevel', Value: '51', IsRequired: 'false' },
        { Condition: 'LessThanEqual', Property: 'Width', Value: 1920 },
        { Condition: 'NotEquals', Property: 'IsInterlaced', Value: 'true' },
      ],
      ApplyConditions: [{ Condition: 'GreaterThanEqual', Property: 'Height', Value: '1' }],
    },
    { Type: 'VideoAudio', Codec: 'aac', Conditions: [{ Condition: 'LessThanEqual', Property: 'AudioChannels', Value: '6' }] },
    { Type: 'Audio', Conditions: [{ Condition: 'LessThanEqual', Property: 'AudioBitrate', Value: '320000' }] },
  ],
  SubtitleProfiles: [
    { Format: 'vtt', Method: 'External' },
    { Format: 'srt', Method: 'Embed', Language: 'eng' },
  ],
  ResponseProfiles: [],
};

beforeAll(async () => {
  f = await startSyncFixture();
  await createUser(f.server.url, f.admin, 'fuzzer');
  user = await signIn(f.server.url, 'fuzzer', 'pw', DEVICE);
  await f.reportTarget(user);
}, 120_000);
afterAll(() => f.server.close());

/** A generated profile: a mutated copy of the base, or (one in five) a random tree of profile-ish keys. */
function variant(r: Rng): unknown {
  if (r() < 0.2) {
    const tree = randomTree(r, int(r, 2, 7), int(r, 2, 10), PROFILE_KEYS);
    return tree && typeof tree === 'object' && !Array.isArray(tree) ? tree : { TranscodingProfiles: tree };
  }
  return mutate(r, BASE_PROFILE);
}

const jobCount = () => (f.server.built.deps.db.prepare('SELECT COUNT(*) AS n FROM sync_jobs').get() as { n: number }).n;

describe('DeviceProfile fuzzing', () => {
  it('answers a thousand generated profiles on every profile route without a 5xx or a job left behind', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261124);
    const r = rng(seed);
    const failures: string[] = [];
    const items = [f.ids['Direct Movie'], f.ids['Remux Movie'], f.ids['Test Show']];
    const fetchRaw = (method: string, path: string, body?: string) =>
      fetch(`${f.server.url}${path}`, {
        method,
        headers: {
          'x-emby-authorization': `MediaBrowser Client="Fuzz", Device="Fuzz", DeviceId="${DEVICE}", Version="1.0"`,
          'x-emby-token': user.token,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body,
      });
    const VARIANTS = Number(process.env.FUZZ_VARIANTS ?? 1000);
    let accepted = 0;
    let posted = 0;
    for (let v = 0; v < VARIANTS; v++) {
      const profile = variant(r);
      const itemId = pick(r, items);
      const quality = pick(r, ['high', 'medium', 'low', 'original']);
      const check = async (label: string, res: Response) => {
        const text = await res.text();
        if (res.status >= 500)
          failures.push(`#${v} ${label} → ${res.status} ${text.slice(0, 160)} profile=${toJson(profile).slice(0, 300)}`);
        return { status: res.status, text };
      };
      if (v % 2 === 0) {
        const caps = await check(
          'Capabilities',
          await fetchRaw('POST', '/Sessions/Capabilities/Full', `{"SupportsSync":true,"DeviceProfile":${toJson(profile)}}`),
        );
        posted++;
        if (caps.status === 204) accepted++;
      } else {
        // As a server before the schema may have stored it: raw, unchecked.
        f.server.built.deps.db
          .prepare('UPDATE devices SET capabilities = ? WHERE id = ?')
          .run(`{"SupportsSync":true,"PlayableMediaTypes":["Video"],"DeviceProfile":${toJson(profile)}}`, DEVICE);
      }
      const before = jobCount();
      const job = await check(
        'POST /Sync/Jobs',
        await fetchRaw('POST', '/Sync/Jobs', JSON.stringify({ TargetId: DEVICE, ItemIds: [itemId], Quality: quality })),
      );
      if (job.status >= 400 && jobCount() !== before) failures.push(`#${v} a refused POST /Sync/Jobs (${job.status}) left a job behind`);
      if (job.status === 200) {
        const created = JSON.parse(job.text) as { Job: { Id: string } };
        await check('DELETE /Sync/Jobs', await fetchRaw('DELETE', `/Sync/Jobs/${created.Job.Id}`));
      }
      await check('GET /Sync/Options', await fetchRaw('GET', `/Sync/Options?ItemIds=${itemId}&TargetId=${DEVICE}`));
      await check('GET PlaybackInfo', await fetchRaw('GET', `/Items/${itemId}/PlaybackInfo`));
      await check('POST PlaybackInfo', await fetchRaw('POST', `/Items/${itemId}/PlaybackInfo`, `{"DeviceProfile":${toJson(profile)}}`));
      if (failures.length > 20) break;
    }
    expect(failures).toEqual([]);
    // Many mutations keep a usable profile: the schema must not pass by refusing everything.
    expect(accepted).toBeGreaterThan(posted / 10);
  }, 600_000);
});
