/**
 * How a download proves its bytes are the server's, one chunk at a time (README "Integrity"):
 *   - blocks: each chunk's SHA-256 against the server's digest of that block (GET …/Blocks). Native
 *     `crypto.subtle.digest` runs off the worker's thread at ~1 GB/s, a bad chunk is fetched again alone,
 *     and nothing has to be saved between chunks.
 *   - stream: one running SHA-256 of the whole file (hash-wasm on the worker's own thread, ~100–300 MB/s),
 *     compared with the announced `Sha256` at the end; its state is saved with every chunk. For a server
 *     that offers no block digests.
 */
import type { HashState, LocalItem } from '../db';
import { FileHasher } from './fileHasher';
import type { BlockList } from './ports';
import { bytesOf } from './chunkBytes';

export class IntegrityError extends Error {
  constructor(
    message: string,
    /** The one chunk that failed, when the fault is known to be there (block mode). */
    readonly chunk?: number,
  ) {
    super(message);
    this.name = 'IntegrityError';
  }
}

export interface ChunkVerifier {
  readonly kind: 'blocks' | 'stream';
  /**
   * Checks chunk `index` before it is stored; throws IntegrityError. Returns the hash state to store with
   * it (stream mode), or undefined.
   */
  check(index: number, data: Blob, last: boolean, expectedSha256: string | undefined): Promise<HashState | undefined>;
}

export async function sha256Hex(data: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

export class BlockVerifier implements ChunkVerifier {
  readonly kind = 'blocks';
  constructor(readonly list: BlockList) {}

  async check(index: number, data: Blob): Promise<undefined> {
    if (data.size === 0 && this.list.Size === 0) return undefined;
    const expected = this.list.Blocks[index]?.toLowerCase();
    const bytes = await bytesOf(data);
    const actual = await sha256Hex(bytes);
    if (actual !== expected) throw new IntegrityError(`chunk ${index} does not match the server's SHA-256 of that block`, index);
    return undefined;
  }

  /** How many of the first `count` stored chunks match; stops at the first that does not. */
  async verifiedPrefix(count: number, read: (index: number) => Promise<Blob | undefined>): Promise<number> {
    for (let index = 0; index < count; index++) {
      const chunk = await read(index);
      if (!chunk) return index;
      try {
        await this.check(index, chunk);
      } catch {
        return index;
      }
    }
    return count;
  }
}

export class StreamVerifier implements ChunkVerifier {
  readonly kind = 'stream';
  constructor(private readonly hasher: FileHasher) {}

  get bytesHashed(): number {
    return this.hasher.bytesHashed;
  }

  async check(_index: number, data: Blob, last: boolean, expectedSha256: string | undefined): Promise<HashState | undefined> {
    this.hasher.update(await bytesOf(data));
    if (!last) return this.hasher.save();
    const digest = this.hasher.hex();
    if (expectedSha256 && digest !== expectedSha256.toLowerCase()) {
      throw new IntegrityError(`SHA-256 mismatch: expected ${expectedSha256}, got ${digest}`);
    }
    return undefined;
  }

  /**
   * The running hash of what is already stored: the saved state when it loads, else the stored chunks
   * hashed again (a record from the earlier hasher, or a state another hash-wasm build refuses) — reading
   * IndexedDB is far cheaper than downloading again. Undefined when a chunk is missing: start over.
   */
  static async fresh(): Promise<StreamVerifier> {
    return new StreamVerifier(await FileHasher.fresh());
  }

  static async resume(item: LocalItem, read: (index: number) => Promise<Blob | undefined>): Promise<StreamVerifier | undefined> {
    if (item.bytes === 0) return StreamVerifier.fresh();
    const saved = await FileHasher.resume(item.hash);
    if (saved?.bytesHashed === item.bytes) return new StreamVerifier(saved);
    const hasher = await FileHasher.fresh();
    for (let index = 0; index < item.nextChunk; index++) {
      const chunk = await read(index);
      if (!chunk) return undefined;
      hasher.update(new Uint8Array(await chunk.arrayBuffer()));
    }
    return hasher.bytesHashed === item.bytes ? new StreamVerifier(hasher) : undefined;
  }
}
