/**
 * SHA-256 of every fixed-size block of a served file, so a client can check each downloaded chunk the
 * moment it arrives (README "Integrity").
 *
 * Why blocks as well as the whole-file `Sha256`: a browser has no streaming SHA-256, and a service worker
 * cannot start a Worker, so a whole-file hash must run in WebAssembly on the worker's only thread — measured
 * as the limit of every download (~100 MB/s on 2 cores). `crypto.subtle.digest` is native and off-thread
 * but one-shot: per block it is ~5× faster, and a bad block is fetched again alone instead of the file.
 * Each block is checked against the server's digest, which proves the same bytes as the whole-file hash.
 *
 * The default block size is computed in the conversion's own hashing pass and kept next to the output
 * (`blocks-<size>.sha256`, the raw 32-byte digests back to back); any other size, and originals served from
 * the library, are computed on first request and kept the same way; concurrent requests share one
 * computation.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { partialName } from './outputLayout.js';

export const DEFAULT_BLOCK_SIZE = 4 * 1024 * 1024;
export const MIN_BLOCK_SIZE = 64 * 1024;
export const MAX_BLOCK_SIZE = 64 * 1024 * 1024;
const DIGEST = 32;

export function blockHashesName(blockSize: number): string {
  return `blocks-${blockSize}.sha256`;
}

/** Feeds a byte stream and cuts it into blocks, keeping each block's digest. */
export class BlockDigests {
  private readonly digests: Buffer[] = [];
  private current = crypto.createHash('sha256');
  private fill = 0;

  constructor(readonly blockSize: number) {}

  update(data: Buffer): void {
    let offset = 0;
    while (offset < data.length) {
      const take = Math.min(this.blockSize - this.fill, data.length - offset);
      this.current.update(data.subarray(offset, offset + take));
      this.fill += take;
      offset += take;
      if (this.fill === this.blockSize) this.cut();
    }
  }

  /** The digests, the last (short) block included; an empty file has none. */
  finish(): Buffer {
    if (this.fill > 0) this.cut();
    return Buffer.concat(this.digests);
  }

  private cut(): void {
    this.digests.push(this.current.digest());
    this.current = crypto.createHash('sha256');
    this.fill = 0;
  }
}

/** The file's size changed while it was read: its ETag no longer describes the bytes. */
export class FileChangedError extends Error {
  constructor(file: string) {
    super(`${file} changed while its blocks were hashed`);
    this.name = 'FileChangedError';
  }
}

export function blockCount(size: number, blockSize: number): number {
  return Math.ceil(size / blockSize);
}

/** Writes the digests next to an output under a temporary name first (a crash leaves no torn list). */
export async function writeBlockHashes(dir: string, blockSize: number, digests: Buffer): Promise<void> {
  await writeList(path.join(dir, blockHashesName(blockSize)), digests);
}

async function writeList(final: string, digests: Buffer): Promise<void> {
  const temp = path.join(path.dirname(final), partialName(path.basename(final)));
  try {
    await fs.promises.writeFile(temp, digests);
    await fs.promises.rename(temp, final);
  } catch (err) {
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
}

export interface ServedFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** The output's directory, where the list is kept; undefined for a file served straight from the library. */
  cacheDir?: string;
}

/**
 * Block digests of served files, from the kept list when it is current (as long, and not older than the
 * file), else computed by streaming the file once. Lists of files served straight from the library (an
 * original that plays as it is) are kept in `libraryCacheDir`, one per file and block size, so a restart
 * does not read a large original again.
 */
export class BlockHashService {
  private readonly inFlight = new Map<string, Promise<Buffer>>();

  constructor(private readonly libraryCacheDir?: string) {}

  async get(file: ServedFile, blockSize: number): Promise<Buffer> {
    const listPath = this.listPath(file, blockSize);
    const cached = listPath ? await readCurrent(listPath, file, blockSize) : undefined;
    if (cached) return cached;
    const key = `${file.path}\0${file.size}\0${file.mtimeMs}\0${blockSize}`;
    let running = this.inFlight.get(key);
    if (!running) {
      running = this.compute(file, blockSize, listPath).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }

  private listPath(file: ServedFile, blockSize: number): string | undefined {
    if (file.cacheDir) return path.join(file.cacheDir, blockHashesName(blockSize));
    if (!this.libraryCacheDir) return undefined;
    const id = crypto.createHash('sha256').update(file.path).digest('hex').slice(0, 32);
    return path.join(this.libraryCacheDir, `${id}-${blockHashesName(blockSize)}`);
  }

  private async compute(file: ServedFile, blockSize: number, listPath: string | undefined): Promise<Buffer> {
    const blocks = new BlockDigests(blockSize);
    let size = 0;
    await pipeline(fs.createReadStream(file.path, { highWaterMark: 1 << 20 }), async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        size += chunk.length;
        blocks.update(chunk);
      }
    });
    const digests = blocks.finish();
    // Changed while read: the caller's ETag no longer describes these bytes; let the client ask again.
    if (size !== file.size) throw new FileChangedError(file.path);
    if (listPath) {
      // Keeping the list is an optimisation: a full disk or a read-only directory only costs a re-read.
      await fs.promises
        .mkdir(path.dirname(listPath), { recursive: true })
        .then(() => writeList(listPath, digests))
        .catch(() => undefined);
    }
    return digests;
  }
}

async function readCurrent(listPath: string, file: ServedFile, blockSize: number): Promise<Buffer | undefined> {
  try {
    const stat = await fs.promises.stat(listPath);
    if (stat.size !== blockCount(file.size, blockSize) * DIGEST || stat.mtimeMs < file.mtimeMs) return undefined;
    return await fs.promises.readFile(listPath);
  } catch {
    return undefined;
  }
}
