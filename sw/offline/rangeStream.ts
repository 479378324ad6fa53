/**
 * The offline responder's pure parts, free of service-worker globals so they are unit-tested in Node:
 * how a Range header maps onto a stored file, and the stream that reads it one chunk per pull.
 */

export type RangeDecision = { status: 200; start: 0; end: number } | { status: 206; start: number; end: number } | { status: 416 };

/**
 * One `Range` header against a size (RFC 9110 §14): `a-b`, `a-`, `-n`; anything malformed or several
 * ranges → the whole file (200), as servers may; a start past the end → 416.
 */
export function decideRange(header: string | null, size: number): RangeDecision {
  const whole = { status: 200 as const, start: 0 as const, end: size - 1 };
  const m = header ? /^bytes=(\d*)-(\d*)$/i.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return whole;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { status: 416 };
    return { status: 206, start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return whole;
  if (start >= size) return { status: 416 };
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return { status: 206, start, end };
}

/**
 * Bytes [start, end] of a stored file, read chunk by chunk as the consumer pulls. A chunk is a Blob (only
 * the slice wanted is read into memory) or, when stored by an earlier version, an ArrayBuffer.
 */
export function chunkStream(
  readChunk: (index: number) => Promise<Blob | ArrayBuffer | undefined>,
  chunkSize: number,
  start: number,
  end: number,
): ReadableStream<Uint8Array> {
  let position = start;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (position > end) return controller.close();
        const index = Math.floor(position / chunkSize);
        const data = await readChunk(index);
        if (!data) return controller.error(new Error(`chunk ${index} is missing`));
        const length = data instanceof Blob ? data.size : data.byteLength;
        const from = position - index * chunkSize;
        const to = Math.min(length, end - index * chunkSize + 1);
        if (to <= from) return controller.error(new Error(`chunk ${index} is shorter than the file says`));
        const bytes =
          data instanceof Blob ? new Uint8Array(await data.slice(from, to).arrayBuffer()) : new Uint8Array(data, from, to - from);
        controller.enqueue(bytes);
        position = index * chunkSize + to;
        if (position > end) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}
