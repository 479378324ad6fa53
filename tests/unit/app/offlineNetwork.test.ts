// @vitest-environment happy-dom
/**
 * With no network the app asks no server anything: the live event streams (src/app/sync/liveEvents.ts)
 * are not opened while `navigator.onLine` is false, close on `offline`, and open again on `online` —
 * instead of EventSource retrying every few seconds against a network that is not there.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { effectScope, nextTick } from 'vue';
import { useServerEvents } from '../../../src/app/sync/liveEvents';

class FakeEventSource {
  static opened: FakeEventSource[] = [];
  static readonly CLOSED = 2;
  readyState = 0;
  closed = false;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(): void {}
  close(): void {
    this.closed = true;
  }
}

let online = true;
beforeEach(() => {
  FakeEventSource.opened = [];
  online = true;
  Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => online });
  (globalThis as unknown as { EventSource: unknown }).EventSource = FakeEventSource;
});
afterEach(() => {
  delete (globalThis as unknown as { EventSource?: unknown }).EventSource;
});

function goOffline(): void {
  online = false;
  window.dispatchEvent(new Event('offline'));
}
function goOnline(): void {
  online = true;
  window.dispatchEvent(new Event('online'));
}

describe('live event streams and the network', () => {
  it('opens no stream while the browser has no network, and opens it when the network returns', async () => {
    online = false;
    const scope = effectScope();
    scope.run(() => useServerEvents(() => 'http://server/Sync/Events?api_key=t', {}));
    await nextTick();
    expect(FakeEventSource.opened).toHaveLength(0);
    goOnline();
    expect(FakeEventSource.opened.map((s) => s.url)).toEqual(['http://server/Sync/Events?api_key=t']);
    scope.stop();
    expect(FakeEventSource.opened[0]!.closed).toBe(true);
  });

  it('closes the stream when the network goes and opens a new one when it is back', async () => {
    const scope = effectScope();
    scope.run(() => useServerEvents(() => 'http://server/Sync/Events?api_key=t', {}));
    await nextTick();
    expect(FakeEventSource.opened).toHaveLength(1);
    goOffline();
    expect(FakeEventSource.opened[0]!.closed).toBe(true);
    expect(FakeEventSource.opened).toHaveLength(1);
    goOnline();
    expect(FakeEventSource.opened).toHaveLength(2);
    expect(FakeEventSource.opened[1]!.closed).toBe(false);
    scope.stop();
  });
});

describe('the push streams that wake the service worker', () => {
  const session = { serverUrl: 'http://server', serverId: 's', userId: 'u', userName: 'ann', token: 't', deviceId: 'd' };

  it('holds no stream while there is no network and one per session when there is', async () => {
    const { PushListener } = await import('../../../src/app/offline/bridge');
    const push = new PushListener();
    online = false;
    push.update([session]);
    expect(FakeEventSource.opened).toHaveLength(0);
    online = true;
    push.update([session]);
    expect(FakeEventSource.opened.map((s) => s.url)).toEqual(['http://server/Sync/Events?TargetId=d&api_key=t']);
    online = false;
    push.update([session]);
    expect(FakeEventSource.opened[0]!.closed).toBe(true);
  });
});
