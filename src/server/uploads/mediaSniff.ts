/**
 * What a camera upload really is, from its first bytes (pure). A declared MIME type alone is the client's
 * word; the scanner decides by extension, so a text file named .jpg must be refused before it is stored.
 */

export type SniffedKind = 'image' | 'video';

export interface Sniffed {
  kind: SniffedKind;
  /** Canonical extension for the format (used when the file name has none the library knows). */
  ext: string;
  mime: string;
}

/** Bytes needed to decide every format below. */
export const SNIFF_BYTES = 32;

const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif']);
const MOV_BRANDS = new Set(['qt  ']);

export function sniffMedia(head: Uint8Array): Sniffed | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
    return { kind: 'image', ext: 'jpg', mime: 'image/jpeg' };
  if (head.length >= 8 && ascii(head, 1, 3) === 'PNG' && head[0] === 0x89) return { kind: 'image', ext: 'png', mime: 'image/png' };
  if (head.length >= 6 && (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a'))
    return { kind: 'image', ext: 'gif', mime: 'image/gif' };
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP')
    return { kind: 'image', ext: 'webp', mime: 'image/webp' };
  if (head.length >= 12 && ascii(head, 4, 4) === 'ftyp') {
    const brand = ascii(head, 8, 4);
    if (HEIC_BRANDS.has(brand)) return { kind: 'image', ext: 'heic', mime: 'image/heic' };
    if (MOV_BRANDS.has(brand)) return { kind: 'video', ext: 'mov', mime: 'video/quicktime' };
    return { kind: 'video', ext: 'mp4', mime: 'video/mp4' };
  }
  // QuickTime files may start with other atoms before (or without) ftyp.
  if (head.length >= 8 && ['moov', 'mdat', 'wide', 'free', 'skip'].includes(ascii(head, 4, 4)))
    return { kind: 'video', ext: 'mov', mime: 'video/quicktime' };
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    const isWebm = ascii(head, 0, Math.min(head.length, SNIFF_BYTES)).includes('webm');
    return isWebm ? { kind: 'video', ext: 'webm', mime: 'video/webm' } : { kind: 'video', ext: 'mkv', mime: 'video/x-matroska' };
  }
  return undefined;
}

/** The declared type must name an image or a video (parameters and case ignored); octet-stream is "ask the bytes". */
export function declaredKind(mime: string | undefined): SniffedKind | 'unknown' | 'other' {
  const t = (mime ?? '').split(';')[0]!.trim().toLowerCase();
  if (t.startsWith('image/')) return 'image';
  if (t.startsWith('video/')) return 'video';
  if (t === '' || t === 'application/octet-stream') return 'unknown';
  return 'other';
}
