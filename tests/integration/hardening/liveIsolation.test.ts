import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUser, type Session } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from '../sync/fixture.js';

/**
 * Live pushes (WebSocket and SSE) carry the same data as the REST lists, so they need the same walls: a
 * user's socket never carries another user's jobs, items or device notifications — whatever the socket
 * asks for, and also after the user's rights shrink while the socket stays open.
 */
let f: SyncFixture;
let alice: Session;
let bob: Session;

beforeAll(async () => {
  f = await startSyncFixture();
  alice = await createUser(f.server.url, f.admin, 'alice');
  bob = await createUser(f.server.url, f.admin, 'bob');
  await f.reportTarget(alice);
  await f.reportTarget(bob);
}, 60_000);
afterAll(() => f.server.close());

interface Socket {
  ws: WebSocket;
  /** Every frame received, as raw text (so a check can look for ids anywhere in it). */
  frames: string[];
  send(type: string, data?: string): void;
  closed: Promise<number>;
}

async function connect(s: Session): Promise<Socket> {
  const ws = new WebSocket(`${f.server.url.replace('http', 'ws')}/embywebsocket?api_key=${s.token}&deviceId=${s.deviceId}`);
  const frames: string[] = [];
  ws.on('message', (raw) => frames.push(String(raw)));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, frames, closed, send: (type, data) => ws.send(JSON.stringify({ MessageType: type, Data: data })) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await sleep(25);
  expect(pred()).toBe(true);
}

/**
 * Bob's own socket, subscribed to his jobs (and, as every socket, his device's notifications): the positive
 * signal that Bob's events really went out, so a check that Alice saw none of them needs no fixed sleep.
 */
async function bobsWitness(): Promise<Socket> {
  const s = await connect(bob);
  s.send('SyncJobsStart', '0,250');
  await until(() => s.frames.some((fr) => fr.includes('"SyncJobs"')));
  return s;
}

/**
 * Waits until Bob's socket has seen `activity` through: the job created, then its item cancelled (the last
 * thing bobActivity does), then a later job list. Subscriptions flush on the same period, so by then any
 * list another socket would have been sent is sent.
 */
async function bobSawItAll(witness: Socket, activity: { jobId: string; jobItemId: string }): Promise<void> {
  const at = (type: string, id: string) => witness.frames.findIndex((fr) => fr.includes(`"${type}"`) && fr.includes(id));
  await until(() => at('SyncJobItemCancelled', activity.jobItemId) >= 0);
  await until(() => witness.frames.slice(at('SyncJobItemCancelled', activity.jobItemId) + 1).some((fr) => fr.includes('"SyncJobs"')));
  expect(at('SyncJobCreated', activity.jobId)).toBeGreaterThanOrEqual(0);
  expect(at('SyncJobCreated', activity.jobId)).toBeLessThan(at('SyncJobItemCancelled', activity.jobItemId));
}

/** Bob creates a job on his device and lets its item finish (Ready → Transferred → Synced), then cancels it. */
async function bobActivity(item = 'Direct Movie'): Promise<{ jobId: string; jobItemId: string }> {
  const r = await bob.json('POST', '/Sync/Jobs', { TargetId: bob.deviceId, ItemIds: f.ids[item], Name: `Bob job ${item}` });
  const jobItemId = r.JobItems[0].Id;
  await (await bob.req('GET', `/Sync/JobItems/${jobItemId}/File`)).arrayBuffer();
  await bob.req('POST', `/Sync/JobItems/${jobItemId}/Transferred`);
  await bob.req('DELETE', `/Sync/JobItems/${jobItemId}`);
  return { jobId: r.Job.Id, jobItemId };
}

function expectNothingOf(frames: string[], ...secrets: string[]): void {
  for (const frame of frames) for (const secret of secrets) expect(frame, `frame leaks ${secret}`).not.toContain(secret);
}

describe('WebSocket isolation', () => {
  it('a user subscribed every way they can gets none of another user’s job events', async () => {
    const mine = await alice.json('POST', '/Sync/Jobs', { TargetId: alice.deviceId, ItemIds: f.ids['Pilot'], Name: 'Alice job' });
    const seeded = await bob.json('POST', '/Sync/Jobs', { TargetId: bob.deviceId, ItemIds: f.ids['Second'], Name: 'Bob early job' });
    const sockets = await Promise.all([connect(alice), connect(alice), connect(alice), connect(alice), connect(alice)]);
    const [plain, forBob, forBobsDevice, bobsJob, ownJob] = sockets as [Socket, Socket, Socket, Socket, Socket];
    plain.send('SyncJobsStart', '0,250');
    forBob.send('SyncJobsStart', `0,250,${bob.userId}`);
    forBobsDevice.send('SyncJobsStart', `0,250,${alice.userId},${bob.deviceId}`);
    bobsJob.send('SyncJobStart', `0,250,${seeded.Job.Id}`);
    ownJob.send('SyncJobStart', `0,250,${mine.Job.Id}`);
    // Positive control: Alice's own views do work.
    await until(() => plain.frames.some((fr) => fr.includes(mine.Job.Id)));
    await until(() => ownJob.frames.some((fr) => fr.includes('"SyncJob"') && fr.includes(mine.Job.Id)));

    const witness = await bobsWitness();
    const activity = await bobActivity();
    // Bob's own socket saw it all (the events were really sent) …
    await bobSawItAll(witness, activity);
    expect(witness.frames.join('\n')).toContain(seeded.Job.Id);
    // … and none of Alice's sockets saw any of it.
    for (const s of sockets) {
      expectNothingOf(s.frames, bob.userId, bob.deviceId, seeded.Job.Id, activity.jobId, activity.jobItemId, 'Bob early job', 'Bob job');
      s.ws.close();
    }
    witness.ws.close();
  }, 30_000);

  it('an administrator demoted while connected stops receiving other users’ jobs', async () => {
    const carol = await createUser(f.server.url, f.admin, 'carol');
    await f.admin.json('POST', `/Users/${carol.userId}/Policy`, { IsAdministrator: true });
    const s = await connect(carol);
    s.send('SyncJobsStart', '0,250');
    const before = await bob.json('POST', '/Sync/Jobs', { TargetId: bob.deviceId, ItemIds: f.ids['Third'], Name: 'Bob seen by an admin' });
    await until(() => s.frames.some((fr) => fr.includes(before.Job.Id)));

    await f.admin.json('POST', `/Users/${carol.userId}/Policy`, { IsAdministrator: false });
    const count = s.frames.length;
    const witness = await bobsWitness();
    const after = await bobActivity('Remux Movie');
    await bobSawItAll(witness, after);
    expectNothingOf(s.frames.slice(count), bob.userId, after.jobId, after.jobItemId, 'Bob job', 'Bob seen by an admin');
    s.ws.close();
    witness.ws.close();
  }, 30_000);

  it('a socket whose session ends (signed out, or the user disabled) is closed and receives nothing more', async () => {
    const dan = await createUser(f.server.url, f.admin, 'dan');
    await f.reportTarget(dan);
    const s = await connect(dan);
    s.send('SyncJobsStart', '0,250');
    await until(() => s.frames.length > 0);
    await f.admin.json('POST', `/Users/${dan.userId}/Policy`, { IsDisabled: true });
    // The user's own job changes must not reach a disabled user's socket either.
    await f.admin.json('POST', '/Sync/Jobs', {
      TargetId: dan.deviceId,
      ItemIds: f.ids['Pilot'],
      UserId: dan.userId,
      Name: 'After disable',
    });
    const code = await Promise.race([s.closed, sleep(3000).then(() => -1)]);
    expect(code).not.toBe(-1);
    expectNothingOf(s.frames, 'After disable');
  }, 30_000);
});

describe('SSE isolation', () => {
  it('refuses another user’s device, job and user id, and never streams their data', async () => {
    const bobJob = await bob.json('POST', '/Sync/Jobs', { TargetId: bob.deviceId, ItemIds: f.ids['Pilot'], Name: 'Bob SSE job' });
    const statusOf = async (query: string) => {
      const ctrl = new AbortController();
      const res = await fetch(`${f.server.url}/Sync/Events?${query}&api_key=${alice.token}`, { signal: ctrl.signal });
      const status = res.status;
      ctrl.abort();
      return status;
    };
    expect(await statusOf(`TargetId=${bob.deviceId}`)).toBe(403);
    expect(await statusOf(`JobId=${bobJob.Job.Id}`)).toBe(404);
    expect(await statusOf(`UserId=${bob.userId}`)).toBe(403);

    // Alice's own stream while Bob works.
    const ctrl = new AbortController();
    const res = await fetch(`${f.server.url}/Sync/Events?TargetId=${alice.deviceId}&api_key=${alice.token}`, { signal: ctrl.signal });
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
    const witness = await bobsWitness();
    const activity = await bobActivity('Second');
    // A positive signal instead of a sleep: Bob's own socket got every event of it.
    await bobSawItAll(witness, activity);
    witness.ws.close();
    ctrl.abort();
    await pump;
    expect(text).toContain('event: SyncJobs');
    for (const secret of [bob.userId, bob.deviceId, bobJob.Job.Id, activity.jobId, activity.jobItemId, 'Bob'])
      expect(text).not.toContain(secret);
  }, 30_000);
});
