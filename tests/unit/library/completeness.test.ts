import { describe, expect, it } from 'vitest';
import { clock } from '../../../src/shared/clock.js';
import { incompleteReason, matroskaCut, mp4Cut, riffCut } from '../../../src/server/library/completeness.js';

const reader = (bytes: Buffer) => async (position: number, length: number) => bytes.subarray(position, position + length);

function box(type: string, size: number, body = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(size, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

describe('mp4Cut', () => {
  it('finds a box that declares more bytes than the file has', async () => {
    // ftyp (16) + moov (24) + an mdat that declares 1000 bytes, of which 100 are there.
    const file = Buffer.concat([box('ftyp', 16, Buffer.alloc(8)), box('moov', 24, Buffer.alloc(16)), box('mdat', 1000, Buffer.alloc(92))]);
    expect(await mp4Cut(reader(file), file.length)).toEqual({ declaredBytes: 1040, declaredBy: 'mdat box' });
  });

  it('accepts a whole file, an mdat "to the end of file", and non-box data', async () => {
    const whole = Buffer.concat([box('ftyp', 16, Buffer.alloc(8)), box('mdat', 108, Buffer.alloc(100))]);
    expect(await mp4Cut(reader(whole), whole.length)).toBeUndefined();
    const open = Buffer.concat([box('ftyp', 16, Buffer.alloc(8)), box('mdat', 0, Buffer.alloc(100))]);
    expect(await mp4Cut(reader(open), open.length)).toBeUndefined();
    const text = Buffer.from('not an mp4 file, just words\n'.repeat(4));
    expect(await mp4Cut(reader(text), text.length)).toBeUndefined();
  });

  it('ignores a stray trailing box that is not movie data', async () => {
    const file = Buffer.concat([box('ftyp', 16, Buffer.alloc(8)), box('mdat', 108, Buffer.alloc(100)), box('skip', 5000, Buffer.alloc(8))]);
    expect(await mp4Cut(reader(file), file.length)).toBeUndefined();
  });

  it('reads 64-bit box sizes', async () => {
    const large = Buffer.alloc(16);
    large.writeUInt32BE(1, 0);
    large.write('mdat', 4, 'latin1');
    large.writeBigUInt64BE(5_000_000_000n, 8);
    const file = Buffer.concat([box('ftyp', 16, Buffer.alloc(8)), large, Buffer.alloc(64)]);
    expect(await mp4Cut(reader(file), file.length)).toEqual({ declaredBytes: 5_000_000_016, declaredBy: 'mdat box' });
  });
});

describe('matroskaCut', () => {
  const ebml = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x84, 1, 2, 3, 4]); // header element with a 4-byte body
  it('finds a Segment that ends past the file', async () => {
    const segment = Buffer.from([0x18, 0x53, 0x80, 0x67, 0x43, 0xe8]); // a 2-byte size: 1000
    const file = Buffer.concat([ebml, segment, Buffer.alloc(200)]);
    expect(await matroskaCut(reader(file), file.length)).toEqual({ declaredBytes: 9 + 6 + 1000, declaredBy: 'Segment' });
  });

  it('accepts a whole Segment and one of unknown size (a live recording)', async () => {
    const whole = Buffer.concat([ebml, Buffer.from([0x18, 0x53, 0x80, 0x67, 0x81, 10]), Buffer.alloc(10)]);
    expect(await matroskaCut(reader(whole), whole.length)).toBeUndefined();
    const unknown = Buffer.concat([
      ebml,
      Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      Buffer.alloc(10),
    ]);
    expect(await matroskaCut(reader(unknown), unknown.length)).toBeUndefined();
  });
});

describe('riffCut', () => {
  const riff = (size: number, form: string) => {
    const b = Buffer.alloc(12);
    b.write('RIFF', 0, 'latin1');
    b.writeUInt32LE(size, 4);
    b.write(form, 8, 'latin1');
    return b;
  };
  it('walks RIFF chunks in a row and finds the one cut short', async () => {
    const file = Buffer.concat([riff(100, 'AVI '), Buffer.alloc(96), riff(500, 'AVIX'), Buffer.alloc(40)]);
    expect(await riffCut(reader(file), file.length)).toEqual({ declaredBytes: 108 + 508, declaredBy: 'RIFF chunk' });
    const whole = Buffer.concat([riff(100, 'AVI '), Buffer.alloc(96)]);
    expect(await riffCut(reader(whole), whole.length)).toBeUndefined();
  });
});

describe('incompleteReason', () => {
  it('says where the file ends when the last packet is known, else how much is there', () => {
    expect(clock(5.9)).toBe('0:05');
    expect(clock(3723)).toBe('1:02:03');
    const cut = { declaredBytes: 1000, declaredBy: 'mdat box' };
    expect(incompleteReason(cut, 500, 5.04, 10)).toBe('the file ends at 0:05 of 0:10 — it is incomplete');
    expect(incompleteReason(cut, 500, undefined, 10)).toBe('the file holds 50 % of the bytes its mdat box declares — it is incomplete');
    // A duration measured from what is there (AVI without its index) makes the time form meaningless.
    expect(incompleteReason(cut, 500, 4.3, 5.04)).toBe('the file holds 50 % of the bytes its mdat box declares — it is incomplete');
  });
});
