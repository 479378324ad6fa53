/**
 * How the app learns that a server is gone and back (src/app/offline/network.ts): a request with no HTTP
 * answer (or a proxy's 502/504) marks the server unreachable and starts a probe with growing delays; any
 * answer marks it reachable and stops the probe; no probe runs while the browser has no network at all.
 */
import { describe, expect, it } from 'vitest';
import { ServerReachability } from '../../../src/app/offline/network';

const BASE = 'http://home.test:8096';
/** Lets the fake fetches and the probe's continuation run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((res) => setTimeout(res, 0));
};

function harness(answers: Array<'refused' | number>) {
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const asked: string[] = [];
  let next = 0;
  const fetch = (async (input: RequestInfo | URL) => {
    asked.push(String(input));
    const a = answers[Math.min(next++, answers.length - 1)]!;
    if (a === 'refused') throw new TypeError('Failed to fetch');
    return new Response('x', { status: a });
  }) as typeof globalThis.fetch;
  const r = new ServerReachability({
    fetch,
    setTimeout: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimeout: (t) => ((t as { cleared: boolean }).cleared = true),
  });
  /** Runs the next pending probe timer and lets its fetch settle. */
  const tick = async () => {
    const t = timers.find((x) => !x.cleared);
    if (!t) throw new Error('no probe scheduled');
    t.cleared = true;
    t.fn();
    await settle();
  };
  const pending = () => timers.filter((t) => !t.cleared).map((t) => t.ms);
  return { r, asked, tick, pending };
}

describe('server reachability', () => {
  it('marks a server unreachable when a request gets no answer, and probes until it answers', async () => {
    const h = harness(['refused', 'refused', 'refused', 200]);
    await expect(h.r.fetchFor(BASE)(`${BASE}/Users/u/Views`)).rejects.toThrow();
    expect(h.r.isUnreachable(BASE)).toBe(true);
    expect(h.pending()).toEqual([1000]);
    await h.tick(); // refused
    expect(h.pending()).toEqual([2000]);
    await h.tick(); // refused
    expect(h.pending()).toEqual([4000]);
    await h.tick(); // answers
    expect(h.r.isUnreachable(BASE)).toBe(false);
    expect(h.pending()).toEqual([]);
    expect(h.asked.slice(1)).toEqual([`${BASE}/System/Ping`, `${BASE}/System/Ping`, `${BASE}/System/Ping`]);
  });

  it('counts a proxy answering 502 or 504 as the server being gone, but any other status as an answer', async () => {
    const h = harness([502, 404]);
    await h.r.fetchFor(BASE)(`${BASE}/Users/u/Views`);
    expect(h.r.isUnreachable(BASE)).toBe(true);
    await h.r.fetchFor(BASE)(`${BASE}/Items/x`);
    expect(h.r.isUnreachable(BASE)).toBe(false);
    expect(h.pending()).toEqual([]);
  });

  it('an answer to a page request ends the probe at once', async () => {
    const h = harness(['refused', 200]);
    await expect(h.r.fetchFor(BASE)(`${BASE}/a`)).rejects.toThrow();
    await h.r.fetchFor(BASE)(`${BASE}/b`);
    expect(h.r.isUnreachable(BASE)).toBe(false);
    expect(h.pending()).toEqual([]);
  });

  it('does not count an aborted request (the page cancelled it) as the server being gone', async () => {
    const r = new ServerReachability({
      fetch: (async () => {
        throw new DOMException('aborted', 'AbortError');
      }) as typeof fetch,
      setTimeout: () => 0,
      clearTimeout: () => undefined,
    });
    await expect(r.fetchFor(BASE)(`${BASE}/a`)).rejects.toThrow();
    expect(r.isUnreachable(BASE)).toBe(false);
  });

  it('asks nothing while the browser has no network, and probes as soon as it returns', async () => {
    const h = harness(['refused', 200]);
    h.r.networkChanged(false);
    await expect(h.r.fetchFor(BASE)(`${BASE}/a`)).rejects.toThrow();
    await h.tick(); // the probe's turn comes, but there is no network: no request
    expect(h.asked).toHaveLength(1);
    expect(h.pending()).toEqual([]);
    h.r.networkChanged(true);
    await settle();
    expect(h.asked).toEqual([`${BASE}/a`, `${BASE}/System/Ping`]);
    expect(h.r.isUnreachable(BASE)).toBe(false);
  });
});
