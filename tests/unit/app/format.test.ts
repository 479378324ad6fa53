/** Words with numbers: bitrates with enough precision (src/app/format.ts), counts with their nouns (src/app/sync/words.ts). */
import { describe, expect, it } from 'vitest';
import { formatBitrate } from '../../../src/app/format';
import { countOf, verbFor } from '../../../src/app/sync/words';

describe('counts', () => {
  it('puts the noun in the plural when the count is not one, and the verb with it', () => {
    expect(countOf(1, 'item')).toBe('1 item');
    expect(countOf(4, 'item')).toBe('4 items');
    expect(countOf(0, 'file')).toBe('0 files');
    expect(countOf(2, 'offline play')).toBe('2 offline plays');
    expect(`${countOf(4, 'item')} ${verbFor(4, 'is')} being prepared`).toBe('4 items are being prepared');
    expect(`${countOf(1, 'item')} ${verbFor(1, 'is')} being prepared`).toBe('1 item is being prepared');
  });
});

describe('bitrates', () => {
  it('keeps the digits that tell two bitrates apart', () => {
    expect(formatBitrate(350_000)).toBe('0.35 Mbps');
    expect(formatBitrate(400_000)).toBe('0.4 Mbps');
    expect(formatBitrate(1_500_000)).toBe('1.5 Mbps');
    expect(formatBitrate(4_000_000)).toBe('4 Mbps');
    expect(formatBitrate(12_345_678)).toBe('12 Mbps');
    expect(formatBitrate(96_000)).toBe('96 kbps');
    expect(formatBitrate(0)).toBeUndefined();
  });
});
