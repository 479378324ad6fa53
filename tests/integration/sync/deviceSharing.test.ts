import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage, tempDir } from '../../helpers/media.js';
import { authHeader, createUser, signIn, type Session } from '../../helpers/server.js';
import { MP4_PROFILE, startSyncFixture, type SyncFixture } from './fixture.js';

/**
 * Issue 14 item 3: a DeviceId is not a credential. Carol (limited to TV Shows) signs in with Alice's
 * DeviceId. Emby's one-device-several-users model stays (API.md §2), but through the device Carol reaches
 * only what she could reach alone: each attack below worked before and is refused now.
 */
let f: SyncFixture;
let alice: Session;
let bob: Session;
let carol: Session;
const PHONE = 'alice-phone';
let movieJob: { Job: { Id: string }; JobItems: Array<{ Id: string }> };
let episodeJob: { Job: { Id: string }; JobItems: Array<{ Id: string }> };
let jpeg: Buffer;

const db = () => f.server.built.deps.db;
const played = (userId: string, itemId: string) =>
  !!(db().prepare('SELECT played FROM user_data WHERE user_id = ? AND item_id = ?').get(userId, itemId) as { played?: number } | undefined)
    ?.played;
const jobExists = (id: string) => !!db().prepare('SELECT 1 FROM sync_jobs WHERE id = ?').get(id);
const statusOf = (jobItemId: string) =>
  (db().prepare('SELECT status FROM sync_job_items WHERE id = ?').get(jobItemId) as { status: string }).status;

async function transfer(s: Session, jobItemId: string): Promise<void> {
  await (await s.req('GET', `/Sync/JobItems/${jobItemId}/File`)).arrayBuffer();
  expect((await s.req('POST', `/Sync/JobItems/${jobItemId}/Transferred`)).status).toBe(204);
}

beforeAll(async () => {
  f = await startSyncFixture();
  jpeg = fs.readFileSync(await makeImage(tempDir('stowaway-share-src-'), 'photo.jpg'));
  await createUser(f.server.url, f.admin, 'alice', 'pw', { IsAdministrator: true });
  await createUser(f.server.url, f.admin, 'bob');
  await createUser(f.server.url, f.admin, 'carol', 'pw', { EnableAllFolders: false, EnabledFolders: [f.ids['TV Shows']] });
  alice = await signIn(f.server.url, 'alice', 'pw', PHONE);
  await f.reportTarget(alice);
  movieJob = await alice.json('POST', '/Sync/Jobs', { TargetId: PHONE, ItemIds: f.ids['Direct Movie'], Quality: 'Original' });
  episodeJob = await alice.json('POST', '/Sync/Jobs', { TargetId: PHONE, ItemIds: f.ids['Pilot'], Quality: 'Original' });
  // Alice's photo from her phone.
  const upload = await fetch(`${f.server.url}/Devices/CameraUploads?DeviceId=${PHONE}&Album=Private&Name=alice-secret.jpg`, {
    method: 'POST',
    headers: { 'x-emby-authorization': authHeader(PHONE, alice.token), 'content-type': 'image/jpeg' },
    body: new Uint8Array(jpeg),
  });
  expect(upload.status).toBe(204);
  // Bob once used Alice's phone, months ago, and signed out.
  bob = await signIn(f.server.url, 'bob', 'pw', PHONE);
  expect((await bob.req('POST', '/Sessions/Logout')).status).toBe(204);
  db()
    .prepare("UPDATE device_users SET date_last_seen = '2025-01-01T00:00:00.000Z' WHERE device_id = ? AND user_id = ?")
    .run(PHONE, bob.userId);
  bob = await signIn(f.server.url, 'bob', 'pw', 'bob-laptop');
  // Carol claims Alice's DeviceId.
  carol = await signIn(f.server.url, 'carol', 'pw', PHONE);
}, 120_000);
afterAll(() => f.server.close());

describe('a DeviceId is not a credential', () => {
  it('Items/Ready through the device lists only items the caller may see', async () => {
    const ready = (await carol.json('GET', `/Sync/Items/Ready?TargetId=${PHONE}`)) as Array<{ Item: { Id: string } }>;
    expect(ready.map((r) => r.Item.Id)).not.toContain(f.ids['Direct Movie']);
    // The episode is in Carol's library too: the shared-device model still shares it.
    expect(ready.map((r) => r.Item.Id)).toContain(f.ids['Pilot']);
    // Alice, alone, still sees both.
    const own = (await alice.json('GET', `/Sync/Items/Ready?TargetId=${PHONE}`)) as Array<{ Item: { Id: string } }>;
    expect(own.map((r) => r.Item.Id).sort()).toEqual([f.ids['Direct Movie'], f.ids['Pilot']].sort());
  });

  it('a file, its blocks and its acknowledgement through the device need the item to be visible to the caller', async () => {
    const movieItem = movieJob.JobItems[0].Id;
    expect((await carol.req('GET', `/Sync/JobItems/${movieItem}/File`)).status).toBe(404);
    expect((await carol.req('HEAD', `/Sync/JobItems/${movieItem}/File`)).status).toBe(404);
    expect((await carol.req('GET', `/Sync/JobItems/${movieItem}/Blocks`)).status).toBe(404);
    expect((await carol.req('POST', `/Sync/JobItems/${movieItem}/Transferred`)).status).toBe(404);
    expect(statusOf(movieItem)).toBe('ReadyToTransfer');
    // The episode Carol may see downloads through the shared device.
    expect((await carol.req('GET', `/Sync/JobItems/${episodeJob.JobItems[0].Id}/File`)).status).toBe(200);
  });

  it('camera-upload history and duplicates are the caller’s own', async () => {
    const history = await carol.json('GET', `/Devices/CameraUploads?DeviceId=${PHONE}`);
    expect(history.FilesUploaded).toEqual([]);
    expect(JSON.stringify(history)).not.toContain('alice-secret');
    // The same bytes are not "already uploaded" for Carol, and nothing of Alice's comes back.
    const session = await carol.req('POST', '/Devices/CameraUploads/Sessions', {
      DeviceId: PHONE,
      Name: 'mine.jpg',
      Size: jpeg.length,
      MimeType: 'image/jpeg',
      Sha256: (await import('node:crypto')).createHash('sha256').update(jpeg).digest('hex'),
    });
    const body = await session.json();
    expect(body.Duplicate).toBe(false);
    expect(JSON.stringify(body)).not.toContain('alice-secret');
    // Alice's own history still has her photo.
    expect(
      (await alice.json('GET', `/Devices/CameraUploads?DeviceId=${PHONE}`)).FilesUploaded.map((u: { Name: string }) => u.Name),
    ).toEqual(['alice-secret.jpg']);
  });

  it('offline actions apply only to users live on the device and to items the caller may see', async () => {
    const action = (userId: string, itemId: string, id: string) => ({
      Id: id,
      UserId: userId,
      ItemId: itemId,
      Type: 'PlayedItem',
      Date: new Date().toISOString(),
    });
    // Bob only ever appeared on this device long ago: his id in a body is not enough.
    expect((await carol.req('POST', '/Sync/OfflineActions', [action(bob.userId, f.ids['Second'], 'a-bob')])).status).toBe(403);
    expect(played(bob.userId, f.ids['Second'])).toBe(false);
    // Alice is signed in here, but the movie is outside Carol's library: not through Carol.
    expect((await carol.req('POST', '/Sync/OfflineActions', [action(alice.userId, f.ids['Direct Movie'], 'a-movie')])).status).toBe(204);
    expect(played(alice.userId, f.ids['Direct Movie'])).toBe(false);
    // Positive control: Carol's own play counts.
    expect((await carol.req('POST', '/Sync/OfflineActions', [action(carol.userId, f.ids['Third'], 'a-own')])).status).toBe(204);
    expect(played(carol.userId, f.ids['Third'])).toBe(true);
  });

  it('Sync/Data through the device leaves items the caller may not see alone', async () => {
    const movieItem = movieJob.JobItems[0].Id;
    await transfer(alice, movieItem);
    expect(statusOf(movieItem)).toBe('Synced');
    const res = await carol.json('POST', '/Sync/Data', { TargetId: PHONE, LocalItemIds: [], OfflineUserIds: [carol.userId] });
    expect(JSON.stringify(res)).not.toContain(f.ids['Direct Movie']);
    expect(statusOf(movieItem)).toBe('Synced');
  });

  it('refuses to remove another user’s job or items through the device', async () => {
    expect((await carol.req('DELETE', `/Sync/${PHONE}/Items?ItemIds=${f.ids['Direct Movie']}`)).status).toBe(403);
    expect((await carol.req('POST', '/Sync/Items/Cancel', { TargetId: PHONE, ItemIds: [f.ids['Pilot']] })).status).toBe(403);
    expect(jobExists(movieJob.Job.Id)).toBe(true);
    expect(jobExists(episodeJob.Job.Id)).toBe(true);
    expect(statusOf(movieJob.JobItems[0].Id)).toBe('Synced');
  });

  it('a bad profile from someone else on the device is refused and breaks nothing for the owner', async () => {
    const poisoned = await carol.req('POST', '/Sessions/Capabilities/Full', {
      SupportsSync: true,
      DeviceProfile: { TranscodingProfiles: [{ Type: 'Video', Context: 'Static', Conditions: 'x' }] },
    });
    expect(poisoned.status).toBe(400);
    expect(f.server.built.deps.devices.get(PHONE)?.capabilities?.DeviceProfile).toMatchObject({
      MaxStaticBitrate: MP4_PROFILE.MaxStaticBitrate,
    });
    expect((await alice.req('GET', `/Sync/Options?ItemIds=${f.ids['Remux Movie']}&TargetId=${PHONE}`)).status).toBe(200);
    expect((await alice.req('GET', `/Items/${f.ids['Remux Movie']}/PlaybackInfo`)).status).toBe(200);
    const job = await alice.req('POST', '/Sync/Jobs', { TargetId: PHONE, ItemIds: f.ids['Remux Movie'], Quality: 'Original' });
    expect(job.status).toBe(200);
  });

  it('device notifications of another user’s job reach the device’s other users only for items they may see', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${f.server.url}/Sync/Events?TargetId=${PHONE}&api_key=${carol.token}`, { signal: ctrl.signal });
    expect(res.status).toBe(200);
    let text = '';
    const reader = res.body!.getReader();
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })();
    const hidden = await alice.json('POST', '/Sync/Jobs', {
      TargetId: PHONE,
      ItemIds: f.ids['Remux Movie'],
      Quality: 'Original',
      Name: 'Alice only',
    });
    const shared = await alice.json('POST', '/Sync/Jobs', { TargetId: PHONE, ItemIds: f.ids['Second'], Quality: 'Original' });
    // Positive signal: the later, shared item's notification arrives — the hidden one's would have come first.
    const deadline = Date.now() + 10_000;
    while (!text.includes(shared.JobItems[0].Id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(text).toContain(shared.JobItems[0].Id);
    ctrl.abort();
    await pump;
    for (const secret of [hidden.Job.Id, hidden.JobItems[0].Id, 'Alice only', f.ids['Remux Movie']]) expect(text).not.toContain(secret);
  });
});
