/**
 * The bytes behind a chunk's Blob, when the worker already holds them. A chunk read through the body
 * stream (to report progress as bytes arrive) passes through the worker's heap anyway; hashing those bytes
 * saves reading the Blob back (`arrayBuffer()`, a 4 MiB copy back from the browser's blob store per chunk).
 */
const held = new WeakMap<Blob, Uint8Array>();

export function blobWithBytes(bytes: Uint8Array, type: string): Blob {
  const blob = new Blob([bytes as BlobPart], { type });
  held.set(blob, bytes);
  return blob;
}

export async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return held.get(blob) ?? new Uint8Array(await blob.arrayBuffer());
}
