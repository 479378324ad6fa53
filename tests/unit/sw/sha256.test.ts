/** The incremental SHA-256 (sw/sync/sha256.ts) against Node's, including a save/restore between chunks. */
import { describe, expect, it } from 'vitest';
import { Sha256 } from '../../../sw/sync/sha256';
import { bytesOf, sha256Hex } from './fakes';

describe('Sha256', () => {
  it('matches Node for lengths around the padding boundaries, fed in uneven pieces', () => {
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 70_001]) {
      const data = bytesOf(n, n + 1);
      const h = new Sha256();
      for (let i = 0; i < n; i += 37) h.update(data.subarray(i, i + 37));
      expect(h.hex(), `length ${n}`).toBe(sha256Hex(data));
    }
  });

  it('continues from a saved state exactly as if never interrupted', () => {
    const data = bytesOf(5 * 4096 + 11);
    const first = new Sha256().update(data.subarray(0, 2 * 4096));
    const saved = JSON.parse(JSON.stringify(first.save()));
    const resumed = new Sha256(saved).update(data.subarray(2 * 4096));
    expect(resumed.hex()).toBe(sha256Hex(data));
  });

  it('refuses to save mid-block (chunk sizes must be multiples of 64)', () => {
    expect(() => new Sha256().update(new Uint8Array(10)).save()).toThrow(/mid-block/);
  });
});
