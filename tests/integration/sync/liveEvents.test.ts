import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUser, type Session } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from './fixture.js';

let f: SyncFixture;
let ann: Session;
beforeAll(async () => {
  f = await startSyncFixture();
  ann = await createUser(f.server.url, f.admin, 'ann');
  await f.reportTarget(ann);
});
afterAll(() => f.server.close());

interface Message {
  type: string;
  data: any;
}

/** Reads an SSE stream into messages until `until` says stop or the time runs out. */
async function readSse(url: string, until: (msgs: Message[]) => boolean, afterOpen: () => Promise<void>, ms = 8000): Promise<Message[]> {
  const ctrl = new AbortController();
  const res = await fetch(url, { signal: ctrl.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const msgs: Message[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let opened = false;
  // A read blocks until the next event or keep-alive: the timer cuts it at the deadline.
  const timer = setTimeout(() => ctrl.abort(), ms);
  try {
    while (!until(msgs)) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let idx;
      while ((idx = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, idx);
        buf = buf.slice(idx + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) msgs.push({ type, data: JSON.parse(data) });
      }
      if (!opened && msgs.length > 0) {
        opened = true;
        await afterOpen();
      }
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return msgs;
}

describe('SSE /Sync/Events', () => {
  it('sends the state on connect, then job changes, and device notifications for the target', async () => {
    const url = `${f.server.url}/Sync/Events?TargetId=${ann.deviceId}&api_key=${ann.token}`;
    let created: string | undefined;
    const msgs = await readSse(
      url,
      (m) => m.some((x) => x.type === 'SyncJobs' && x.data.length === 1) && m.some((x) => x.type === 'SyncJobCreated'),
      async () => {
        const r = await ann.json('POST', '/Sync/Jobs', { TargetId: ann.deviceId, ItemIds: f.ids['Direct Movie'] });
        created = r.Job.Id;
      },
    );
    expect(msgs[0]).toEqual({ type: 'SyncJobs', data: [] });
    expect(msgs.find((m) => m.type === 'SyncJobCreated')!.data.Job.Id).toBe(created);
    expect(msgs.filter((m) => m.type === 'SyncJobs').at(-1)!.data[0].Id).toBe(created);
  });

  it('never shows one user another user’s jobs', async () => {
    const bob = await createUser(f.server.url, f.admin, 'bob');
    const msgs = await readSse(
      `${f.server.url}/Sync/Events?api_key=${bob.token}`,
      () => false,
      async () => {
        await ann.json('POST', '/Sync/Jobs', { TargetId: ann.deviceId, ItemIds: f.ids['Pilot'] });
      },
      2500,
    );
    for (const m of msgs) expect(JSON.stringify(m.data)).not.toContain(ann.userId);
    expect(msgs[0]).toEqual({ type: 'SyncJobs', data: [] });
  });

  it('refuses without a token', async () => {
    const res = await fetch(`${f.server.url}/Sync/Events`);
    expect(res.status).toBe(401);
  });
});

describe('WebSocket /embywebsocket', () => {
  it('answers SyncJobsStart with SyncJobs and pushes SyncJobItemReady to the target device', async () => {
    const ws = new WebSocket(`${f.server.url.replace('http', 'ws')}/embywebsocket?api_key=${ann.token}&deviceId=${ann.deviceId}`);
    const msgs: Message[] = [];
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw));
      msgs.push({ type: m.MessageType, data: m.Data });
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ MessageType: 'SyncJobsStart', Data: `0,500,${ann.userId}` }));
    const waitFor = async (pred: () => boolean) => {
      const end = Date.now() + 5000;
      while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(pred()).toBe(true);
    };
    await waitFor(() => msgs.some((m) => m.type === 'SyncJobs'));
    const r = await ann.json('POST', '/Sync/Jobs', { TargetId: ann.deviceId, ItemIds: f.ids['Second'] });
    await waitFor(() => msgs.some((m) => m.type === 'SyncJobItemReady' && m.data.JobId === r.Job.Id));
    await waitFor(() => msgs.some((m) => m.type === 'SyncJobs' && m.data.some((j: any) => j.Id === r.Job.Id)));
    ws.close();
  });

  it('rejects a connection without a valid token', async () => {
    const ws = new WebSocket(`${f.server.url.replace('http', 'ws')}/embywebsocket?api_key=nope`);
    const outcome = await new Promise<string>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.once('open', () => resolve('open'));
      ws.once('error', () => resolve('error'));
    });
    expect(outcome).toBe('401');
  });
});
