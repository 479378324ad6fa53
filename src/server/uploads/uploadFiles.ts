/**
 * The bytes of an upload on disk: a body streamed into its temp file (metered, hashed on the way, never
 * buffered whole), the first bytes for sniffing, and a SHA-256 re-read when the running hash was lost.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Streams `body` into `file` (`flags`: append or write), hashing on the way, at most `limit` bytes; more
 * fails the pipeline with `overLimit()`. Resolves to the bytes written.
 */
export async function writeMetered(
  body: Readable,
  file: string,
  flags: 'a' | 'w',
  limit: number,
  hash: Hash | undefined,
  overLimit: () => Error,
): Promise<number> {
  let n = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      n += chunk.length;
      if (n > limit) return done(overLimit());
      hash?.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(body, meter, fs.createWriteStream(file, { flags }));
  return n;
}

export async function readHead(file: string, n: number): Promise<Uint8Array> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}
