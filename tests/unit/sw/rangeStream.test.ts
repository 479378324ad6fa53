/** The offline responder's pure parts: Range decisions and the chunk-by-chunk stream (sw/offline/mediaResponder.ts). */
import { describe, expect, it } from 'vitest';
import { chunkStream, decideRange } from '../../../sw/offline/rangeStream';
import { bytesOf } from './fakes';

describe('decideRange', () => {
  it.each([
    [null, 1000, { status: 200, start: 0, end: 999 }],
    ['bytes=0-', 1000, { status: 206, start: 0, end: 999 }],
    ['bytes=100-199', 1000, { status: 206, start: 100, end: 199 }],
    ['bytes=900-5000', 1000, { status: 206, start: 900, end: 999 }],
    ['bytes=-100', 1000, { status: 206, start: 900, end: 999 }],
    ['bytes=-5000', 1000, { status: 206, start: 0, end: 999 }],
    ['bytes=1000-', 1000, { status: 416 }],
    ['bytes=-0', 1000, { status: 416 }],
    ['bytes=5-2', 1000, { status: 200, start: 0, end: 999 }],
    ['bytes=0-1,5-6', 1000, { status: 200, start: 0, end: 999 }],
    ['items=0-1', 1000, { status: 200, start: 0, end: 999 }],
  ])('%s of %i bytes → %o', (header, size, expected) => {
    expect(decideRange(header, size)).toEqual(expected);
  });
});

describe.each([
  ['Blob', (part: Uint8Array) => new Blob([part.slice()])],
  ['ArrayBuffer (stored by earlier versions)', (part: Uint8Array) => part.buffer as ArrayBuffer],
])('chunkStream over %s chunks', (_kind, store) => {
  const chunk = 1024;
  const file = bytesOf(5 * chunk + 300);
  const read = async (index: number) => {
    const part = file.slice(index * chunk, (index + 1) * chunk);
    return part.length ? store(part) : undefined;
  };
  async function collect(start: number, end: number): Promise<{ bytes: Uint8Array; pieces: number }> {
    const reader = chunkStream(read, chunk, start, end).getReader();
    const parts: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
    return { bytes: Buffer.concat(parts), pieces: parts.length };
  }

  it('yields exactly the bytes of any range, one stored chunk per pull', async () => {
    for (const [s, e] of [
      [0, file.length - 1],
      [1000, 1100],
      [1023, 1024],
      [3 * chunk + 5, file.length - 1],
      [file.length - 1, file.length - 1],
    ] as const) {
      const { bytes } = await collect(s, e);
      expect(Buffer.from(bytes).equals(Buffer.from(file.subarray(s, e + 1))), `${s}-${e}`).toBe(true);
    }
    expect((await collect(0, file.length - 1)).pieces).toBe(6);
  });

  it('errors the stream when a chunk is missing rather than sending short data silently', async () => {
    const reader = chunkStream(async () => undefined, chunk, 0, 10).getReader();
    await expect(reader.read()).rejects.toThrow(/missing/);
  });

  it('errors the stream when a stored chunk is shorter than the range needs', async () => {
    const reader = chunkStream(async () => store(file.slice(0, 100)), chunk, 200, 300).getReader();
    await expect(reader.read()).rejects.toThrow(/shorter/);
  });
});
