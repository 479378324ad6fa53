import { describe, expect, it } from 'vitest';
import { EncodeLimit } from '../../../src/server/library/encodeLimit.js';

describe('EncodeLimit', () => {
  it('never runs more than its limit, even when newcomers arrive as a slot is handed on', async () => {
    const limit = new EncodeLimit(2);
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const job = () =>
      limit.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>((r) => releases.push(r));
        running--;
      });
    const all = [job(), job(), job(), job()];
    await new Promise((r) => setImmediate(r));
    expect(running).toBe(2);
    // Finish one, and in the same tick start another: the waiting job gets the slot, not the newcomer too.
    releases.shift()!();
    all.push(job());
    while (releases.length || running) {
      await new Promise((r) => setImmediate(r));
      releases.shift()?.();
    }
    await Promise.all(all);
    expect(most).toBe(2);
    expect(limit.peak).toBe(2);
    expect(limit.running).toBe(0);
  });

  it('frees the slot when a job fails', async () => {
    const limit = new EncodeLimit(1);
    await expect(limit.run(async () => Promise.reject(new Error('bad image')))).rejects.toThrow('bad image');
    expect(await limit.run(async () => 'next')).toBe('next');
  });
});
