import { describe, expect, it } from 'vitest';
import { clock } from '../../../src/shared/clock.js';
import { incompleteReason, TruncationWatch, unreadableSourceReason } from '../../../src/server/convert/completeness.js';

describe('completeness of a conversion', () => {
  it('fails an output more than a second shorter than its source, saying where it ends', () => {
    expect(incompleteReason(10, 5.04, {})).toBe('the file ends at 0:05 of 0:10 — it is incomplete');
    expect(incompleteReason(3725, 60, {})).toBe('the file ends at 1:00 of 1:02:05 — it is incomplete');
  });

  it('accepts an output within a second of its source', () => {
    expect(incompleteReason(10, 9.2, {})).toBeUndefined();
    expect(incompleteReason(undefined, 9.2, {})).toBeUndefined();
  });

  it("fails on ffmpeg's partial-file line even when the lengths agree", () => {
    const watch = new TruncationWatch();
    watch.push('[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0c] stream 1, offset 0x4e1f: par');
    watch.push('tial file\nother\n');
    watch.finish();
    expect(watch.truncation).toBe('stream 1, offset 0x4e1f: partial file');
    expect(incompleteReason(10, 9.9, watch)).toMatch(/^the file is incomplete: .*partial file\)$/);
  });

  it('names a decode error only as the explanation of a short output', () => {
    const watch = new TruncationWatch();
    watch.push('[h264 @ 0x1] error while decoding MB 3 4\n');
    expect(incompleteReason(10, 9.9, watch)).toBeUndefined();
    expect(incompleteReason(10, 4, watch)).toBe('the file ends at 0:04 of 0:10 — it is incomplete (ffmpeg: error while decoding MB 3 4)');
  });

  it('explains a source ffmpeg refuses to open', () => {
    expect(unreadableSourceReason('[mov @ 0x1] moov atom not found\nx.mp4: Invalid data found when processing input')).toMatch(
      /no index \(moov atom not found\)/,
    );
    expect(unreadableSourceReason('notes.mp4: Invalid data found when processing input')).toMatch(/not media/);
    expect(clock(0)).toBe('0:00');
  });
});
