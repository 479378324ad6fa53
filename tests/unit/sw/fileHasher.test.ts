/** The download's running SHA-256 (sw/sync/fileHasher.ts) against Node's, including save/resume at any byte. */
import { describe, expect, it } from 'vitest';
import { FileHasher } from '../../../sw/sync/fileHasher';
import { bytesOf, sha256Hex } from './fakes';

describe('FileHasher', () => {
  it('matches Node for lengths around the padding boundaries, fed in uneven pieces', async () => {
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 70_001]) {
      const data = bytesOf(n, n + 1);
      const h = await FileHasher.fresh();
      for (let i = 0; i < n; i += 37) h.update(data.subarray(i, i + 37));
      expect(h.bytesHashed).toBe(n);
      expect(h.hex(), `length ${n}`).toBe(sha256Hex(data));
    }
  });

  it('continues from a saved state exactly as if never interrupted, even mid-block and after a structured clone', async () => {
    const data = bytesOf(5 * 4096 + 11);
    for (const cut of [0, 1, 63, 2 * 4096, 2 * 4096 + 5]) {
      const first = (await FileHasher.fresh()).update(data.subarray(0, cut));
      // IndexedDB stores the record by structured clone.
      const saved = structuredClone(first.save());
      const resumed = (await FileHasher.resume(saved))!;
      expect(resumed.bytesHashed).toBe(cut);
      expect(resumed.update(data.subarray(cut)).hex(), `cut at ${cut}`).toBe(sha256Hex(data));
    }
  });

  it('declines states it cannot continue (the earlier hasher’s words, foreign bytes, none)', async () => {
    expect(await FileHasher.resume({ length: 64, h: [1, 2, 3, 4, 5, 6, 7, 8] })).toBeUndefined();
    expect(await FileHasher.resume({ length: 64, state: new Uint8Array([9, 9, 9]) })).toBeUndefined();
    expect(await FileHasher.resume(undefined)).toBeUndefined();
  });
});
