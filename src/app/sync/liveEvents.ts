/**
 * Live sync state over SSE (`GET /Sync/Events`, API.md §9.7). The server sends the whole state on connect
 * and after each change (≤ 1 per 1.5 s), so a handler just replaces what it shows — no merging, and a
 * reconnect (EventSource retries on its own) can never leave the view half-updated.
 */
import { getCurrentScope, onScopeDispose, ref, watch } from 'vue';
import { isOffline, whenOffline, whenOnline } from '../offline/network';

export type EventHandlers = Record<string, (data: unknown) => void>;

/** Opens an EventSource for the url the getter returns (none = closed), reopening when it changes. */
export function useServerEvents(url: () => string | undefined, handlers: EventHandlers) {
  const connected = ref(false);
  let source: EventSource | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  function close() {
    clearTimeout(retryTimer);
    source?.close();
    source = undefined;
    connected.value = false;
  }

  function open(target: string) {
    close();
    if (typeof EventSource === 'undefined' || isOffline()) return; // reopened by the `online` event
    const es = new EventSource(target);
    source = es;
    es.onopen = () => (connected.value = true);
    es.onerror = () => {
      connected.value = false;
      // CLOSED means the server refused (401/404 before the stream): EventSource gives up, we retry slowly.
      if (es.readyState === EventSource.CLOSED && source === es) retryTimer = setTimeout(() => open(target), 10_000);
    };
    for (const [type, handle] of Object.entries(handlers)) {
      es.addEventListener(type, (event) => {
        try {
          handle(JSON.parse((event as MessageEvent<string>).data));
        } catch (err) {
          console.warn(`bad ${type} event`, err);
        }
      });
    }
  }

  watch(url, (next) => (next ? open(next) : close()), { immediate: true });
  const reopen = () => {
    const target = url();
    if (target) open(target);
  };
  const stopOnline = whenOnline(reopen);
  const stopOffline = whenOffline(close);
  if (getCurrentScope())
    onScopeDispose(() => {
      stopOnline();
      stopOffline();
      close();
    });
  return { connected, close };
}
