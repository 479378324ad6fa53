import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUser, signIn, type Session } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from './fixture.js';

/**
 * Issue 14 item 8: signing out ends that session's live channels at once. Before, an open SSE stream or
 * WebSocket of a signed-out token stayed open (and fed) until the next sync event happened to check it.
 */
let f: SyncFixture;
beforeAll(async () => {
  f = await startSyncFixture();
}, 60_000);
afterAll(() => f.server.close());

function openSocket(s: Session): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`${f.server.url.replace('http', 'ws')}/embywebsocket?api_key=${s.token}&deviceId=${s.deviceId}`);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, closed }));
    ws.once('error', reject);
  });
}

/** An SSE stream; `ended` settles when the server ends it. */
async function openStream(s: Session): Promise<{ ended: Promise<void>; abort(): void }> {
  const ctrl = new AbortController();
  const res = await fetch(`${f.server.url}/Sync/Events?api_key=${s.token}`, { signal: ctrl.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const ended = (async () => {
    for (;;) if ((await reader.read()).done) return;
  })();
  return { ended, abort: () => ctrl.abort() };
}

/** Resolves with `value` if `p` settles within `ms`, else with 'still open' (only a failing test waits that long). */
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'still open'>((r) => setTimeout(() => r('still open'), ms))]);

describe('ending a session', () => {
  it('closes its WebSocket and SSE stream at once, with no sync event in between, and leaves other sessions open', async () => {
    await createUser(f.server.url, f.admin, 'erin');
    const phone = await signIn(f.server.url, 'erin', 'pw', 'erin-phone');
    const laptop = await signIn(f.server.url, 'erin', 'pw', 'erin-laptop');
    const socket = await openSocket(phone);
    const stream = await openStream(phone);
    const otherSocket = await openSocket(laptop);
    expect(f.server.built.deps.liveChannels.count()).toBeGreaterThanOrEqual(3);

    expect((await phone.req('POST', '/Sessions/Logout')).status).toBe(204);
    expect(await within(socket.closed, 10_000)).toBe(4401);
    expect(await within(stream.ended, 10_000)).toBeUndefined();

    // The laptop's session is another token: its socket still answers.
    const reply = new Promise<string>((resolve) => otherSocket.ws.once('message', (raw) => resolve(String(raw))));
    otherSocket.ws.send(JSON.stringify({ MessageType: 'KeepAlive' }));
    expect(JSON.parse(await reply).MessageType).toBe('KeepAlive');
    otherSocket.ws.close();
    stream.abort();
  }, 30_000);
});
