import { describe, expect, it } from 'vitest';
import { pickNext, type PendingEntry } from '../../../src/server/convert/fairness.js';
import { ProgressThrottle } from '../../../src/server/convert/conversionQueue.js';

function drain(entries: PendingEntry[]): string[] {
  const pending = new Map(entries.map((e) => [e.key, e]));
  const served = new Map<string, number>();
  const order: string[] = [];
  let n = 0;
  for (let e = pickNext(pending.values(), served); e; e = pickNext(pending.values(), served)) {
    order.push(e.key);
    pending.delete(e.key);
    served.set(e.owner, ++n);
  }
  return order;
}

let seq = 0;
const entry = (key: string, owner: string, priority = 10): PendingEntry => ({ key, owner, priority, seq: ++seq });

describe('pickNext', () => {
  it('puts the one film a user waits for ahead of a 100-episode backlog queued earlier', () => {
    const backlog = Array.from({ length: 100 }, (_, i) => entry(`ep${i}`, 'ann', 100));
    expect(drain([...backlog, entry('film', 'bob', 0)])[0]).toBe('film');
  });

  it('round-robins between users at equal priority, FIFO within a user', () => {
    const order = drain([
      entry('a1', 'ann'),
      entry('a2', 'ann'),
      entry('a3', 'ann'),
      entry('b1', 'bob'),
      entry('c1', 'cat'),
      entry('b2', 'bob'),
    ]);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('is empty-safe', () => {
    expect(pickNext([], new Map())).toBeUndefined();
  });
});

describe('ProgressThrottle', () => {
  it('saves at most every 2 s and emits at most every 1 s per key', () => {
    let t = 0;
    const saved: number[] = [];
    const emitted: number[] = [];
    const th = new ProgressThrottle(
      (_k, p) => saved.push(p),
      (_k, p) => emitted.push(p),
      2000,
      1000,
      () => t,
    );
    for (t = 0; t <= 4000; t += 250) th.report('k', t / 40);
    expect(saved).toEqual([0, 50, 100]);
    expect(emitted).toEqual([0, 25, 50, 75, 100]);
  });
});
