/**
 * Whether to talk to servers at all, and whether a server answers.
 *
 * `navigator.onLine === false` is reliable (no network interface is up), `true` is not (a captive portal,
 * a stopped server, a reload of a service-worker page under DevTools' offline emulation): so the app acts
 * on `false` at once, and otherwise learns from its own requests. A request to a server that gets no HTTP
 * answer (or a proxy's 502/504) marks that server unreachable; from then on a small probe asks
 * `GET /System/Ping` with a growing delay (1 s … 15 s, and at once when the `online` event fires) until it
 * answers, and any answer — the probe's or a page's own request — marks it reachable again.
 */
import { reactive, ref } from 'vue';

export function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

/** Calls `fn` each time the network comes back; returns the unsubscribe. */
export function whenOnline(fn: () => void): () => void {
  if (typeof window === 'undefined') return () => {};
  window.addEventListener('online', fn);
  return () => window.removeEventListener('online', fn);
}

/** Calls `fn` each time the network goes; returns the unsubscribe. */
export function whenOffline(fn: () => void): () => void {
  if (typeof window === 'undefined') return () => {};
  window.addEventListener('offline', fn);
  return () => window.removeEventListener('offline', fn);
}

/** Answers that mean "a proxy is there, the server behind it is not". */
const GATEWAY_FAILURES = new Set([502, 504]);
const PROBE_DELAYS_MS = [1000, 2000, 4000, 8000, 15_000];

export interface ReachabilityDeps {
  fetch: typeof fetch;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

/** One per page: which servers (by base URL) did not answer, and the probes that wait for them. */
export class ServerReachability {
  /** Base URLs of servers whose last request got no answer. Reactive: views follow it. */
  readonly unreachable = reactive(new Set<string>());
  /** False while the browser says it has no network at all. */
  readonly networkUp = ref(!isOffline());
  private readonly probes = new Map<string, { attempt: number; timer: unknown }>();

  constructor(private readonly deps: ReachabilityDeps) {}

  /** A request of ours got no answer from `baseUrl`. */
  failed(baseUrl: string): void {
    if (!this.unreachable.has(baseUrl)) this.unreachable.add(baseUrl);
    if (!this.probes.has(baseUrl)) this.scheduleProbe(baseUrl, 0);
  }

  /** `baseUrl` answered (any HTTP status but a gateway failure). */
  answered(baseUrl: string): void {
    this.stopProbe(baseUrl);
    if (this.unreachable.has(baseUrl)) this.unreachable.delete(baseUrl);
  }

  isUnreachable(baseUrl: string): boolean {
    return this.unreachable.has(baseUrl);
  }

  /** A fetch for one server's API client that reports what happened to its requests. */
  fetchFor(baseUrl: string): typeof fetch {
    return async (input, init) => {
      let res: Response;
      try {
        res = await this.deps.fetch(input, init);
      } catch (err) {
        if ((err as Error)?.name !== 'AbortError') this.failed(baseUrl);
        throw err;
      }
      if (GATEWAY_FAILURES.has(res.status)) this.failed(baseUrl);
      else this.answered(baseUrl);
      return res;
    };
  }

  /** Ask every unreachable server now (the network came back, the page became visible, "Try again"). */
  probeNow(): void {
    for (const baseUrl of this.unreachable) {
      this.stopProbe(baseUrl);
      void this.probe(baseUrl, 0);
    }
  }

  /** The browser's own online/offline events. */
  networkChanged(up: boolean): void {
    this.networkUp.value = up;
    if (up) this.probeNow();
  }

  private scheduleProbe(baseUrl: string, attempt: number): void {
    const delay = PROBE_DELAYS_MS[Math.min(attempt, PROBE_DELAYS_MS.length - 1)]!;
    const timer = this.deps.setTimeout(() => void this.probe(baseUrl, attempt), delay);
    this.probes.set(baseUrl, { attempt, timer });
  }

  private stopProbe(baseUrl: string): void {
    const p = this.probes.get(baseUrl);
    if (p?.timer !== undefined) this.deps.clearTimeout(p.timer);
    this.probes.delete(baseUrl);
  }

  private async probe(baseUrl: string, attempt: number): Promise<void> {
    if (!this.unreachable.has(baseUrl)) return;
    // No network at all: nothing to ask; the `online` event probes again.
    if (!this.networkUp.value) {
      this.probes.set(baseUrl, { attempt, timer: undefined });
      return;
    }
    this.probes.set(baseUrl, { attempt, timer: undefined });
    try {
      const res = await this.deps.fetch(`${baseUrl}/System/Ping`, { cache: 'no-store' });
      if (!GATEWAY_FAILURES.has(res.status)) return this.answered(baseUrl);
    } catch {
      // Still no answer.
    }
    if (this.unreachable.has(baseUrl) && this.probes.get(baseUrl)?.timer === undefined) this.scheduleProbe(baseUrl, attempt + 1);
  }
}

export const reachability = new ServerReachability({
  fetch: (...args) => fetch(...args),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});

if (typeof window !== 'undefined') {
  whenOnline(() => reachability.networkChanged(true));
  whenOffline(() => reachability.networkChanged(false));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') reachability.probeNow();
  });
}
