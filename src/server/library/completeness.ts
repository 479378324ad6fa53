/**
 * Is a media file whole? A faststart MP4 cut in the middle keeps its index, so ffprobe reports the full
 * duration and the scan used to accept it; its data just ends early. Containers declare how long their
 * outer structure is — MP4/MOV top-level boxes, the Matroska/WebM Segment, AVI/WAV RIFF chunks — so a file
 * shorter than its own declaration is cut. Then the last packet that is really there says where it ends.
 * Formats without such declarations (MPEG-TS, MP3, FLAC, Ogg) are taken as they are: ffprobe's duration
 * for them is measured from the data.
 */
import { clock } from '../../shared/clock.js';
import fs from 'node:fs';
import path from 'node:path';

export interface CutFile {
  /** Bytes the container says the file has. */
  declaredBytes: number;
  /** What declared it, for logs ("mdat box", "Segment", "RIFF chunk"). */
  declaredBy: string;
}

type ReadAt = (position: number, length: number) => Promise<Buffer>;

const MP4_EXTS = new Set(['mp4', 'm4v', 'm4a', 'm4b', 'mov', '3gp', '3g2']);
const MATROSKA_EXTS = new Set(['mkv', 'mka', 'webm']);
const RIFF_EXTS = new Set(['avi', 'wav']);

/** Undefined when the file holds everything its container declares (or the container declares nothing). */
export async function findCut(file: string, size: number): Promise<CutFile | undefined> {
  const ext = path.extname(file).slice(1).toLowerCase();
  const kind = MP4_EXTS.has(ext) ? 'mp4' : MATROSKA_EXTS.has(ext) ? 'mkv' : RIFF_EXTS.has(ext) ? 'riff' : undefined;
  if (!kind) return undefined;
  const fh = await fs.promises.open(file, 'r');
  try {
    const readAt: ReadAt = async (position, length) => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, position);
      return buf.subarray(0, bytesRead);
    };
    if (kind === 'mp4') return await mp4Cut(readAt, size);
    if (kind === 'mkv') return await matroskaCut(readAt, size);
    return await riffCut(readAt, size);
  } finally {
    await fh.close();
  }
}

/** Box types an ISO-BMFF file can start with. */
const FIRST_BOXES = new Set(['ftyp', 'styp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'uuid']);

const DATA_BOXES = new Set(['mdat', 'moov', 'moof']);

/** Walks the top-level boxes; a box that ends past the end of the file is cut. */
export async function mp4Cut(readAt: ReadAt, size: number): Promise<CutFile | undefined> {
  let offset = 0;
  for (let i = 0; i < 100_000 && offset + 8 <= size; i++) {
    const head = await readAt(offset, 16);
    if (head.length < 8) return undefined;
    let boxSize = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8);
    // Not a box (or not an ISO file at all): nothing we can say.
    if (!/^[\x20-\x7e]{4}$/.test(type) || (offset === 0 && !FIRST_BOXES.has(type))) return undefined;
    if (boxSize === 1) {
      if (head.length < 16) return undefined;
      boxSize = Number(head.readBigUInt64BE(8));
    } else if (boxSize === 0) {
      return undefined; // "to the end of the file": declares no length
    }
    if (boxSize < 8) return undefined;
    if (offset + boxSize > size) {
      // Only the boxes that hold the movie count: a stray trailing box with a bogus size is not a cut.
      return DATA_BOXES.has(type) ? { declaredBytes: offset + boxSize, declaredBy: `${type} box` } : undefined;
    }
    offset += boxSize;
  }
  return undefined;
}

/** EBML variable-length integer at `buf[at]`: its length and value (undefined value = "unknown size"). */
function vint(buf: Buffer, at: number, isId: boolean): { length: number; value: number | undefined } | undefined {
  const first = buf[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (at + length > buf.length) return undefined;
  let value = isId ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + buf[at + i]!;
    if (buf[at + i] !== 0xff) allOnes = false;
  }
  return { length, value: !isId && allOnes ? undefined : value };
}

/** The EBML header, then the Segment: a Segment of known size that ends past the file is cut. */
export async function matroskaCut(readAt: ReadAt, size: number): Promise<CutFile | undefined> {
  const head = await readAt(0, 64);
  if (head.readUInt32BE(0) !== 0x1a45dfa3) return undefined;
  const headerSize = vint(head, 4, false);
  if (!headerSize?.value) return undefined;
  const segmentAt = 4 + headerSize.length + headerSize.value;
  const seg = await readAt(segmentAt, 12);
  const id = vint(seg, 0, true);
  if (!id || id.value !== 0x18538067) return undefined;
  const segSize = vint(seg, id.length, false);
  if (!segSize || segSize.value === undefined) return undefined; // live recordings write "unknown size"
  const end = segmentAt + id.length + segSize.length + segSize.value;
  return end > size ? { declaredBytes: end, declaredBy: 'Segment' } : undefined;
}

/** RIFF chunks in a row (AVI over 1 GiB continues in RIFF AVIX chunks); one ending past the file is cut. */
export async function riffCut(readAt: ReadAt, size: number): Promise<CutFile | undefined> {
  let offset = 0;
  for (let i = 0; i < 10_000 && offset + 8 <= size; i++) {
    const head = await readAt(offset, 8);
    if (head.length < 8 || head.toString('latin1', 0, 4) !== 'RIFF') return undefined;
    const chunk = 8 + head.readUInt32LE(4);
    const end = offset + chunk + (chunk % 2);
    // Writers may omit the pad byte of the very last chunk.
    if (offset + chunk > size) return { declaredBytes: offset + chunk, declaredBy: 'RIFF chunk' };
    offset = end;
  }
  return undefined;
}

/** The reason an incomplete file carries into the scan report and onto its sync job items. */
export function incompleteReason(cut: CutFile, size: number, endsAt: number | undefined, duration: number | undefined): string {
  // The time form only when it tells something: a cut AVI without its index reports a duration measured from
  // the data that is there (measured: 5.04 s for half of a 10 s file, last packet at 4.3 s), so "ends at 0:04
  // of 0:05" would mislead; the share of declared bytes does not.
  if (endsAt !== undefined && duration !== undefined && duration > 0 && endsAt < duration - 1) {
    return `the file ends at ${clock(endsAt)} of ${clock(duration)} — it is incomplete`;
  }
  const pct = Math.floor((size / cut.declaredBytes) * 100);
  return `the file holds ${pct} % of the bytes its ${cut.declaredBy} declares — it is incomplete`;
}

/**
 * The scan's question: undefined for a whole file, else the reason it is incomplete. `lastPacketSeconds`
 * (the prober's) is only run on a file already found cut.
 */
export async function incompleteness(
  file: string,
  size: number,
  durationSeconds: number | undefined,
  lastPacketSeconds: (file: string) => Promise<number | undefined>,
): Promise<string | undefined> {
  const cut = await findCut(file, size).catch(() => undefined);
  if (!cut) return undefined;
  const endsAt = await lastPacketSeconds(file).catch(() => undefined);
  return incompleteReason(cut, size, endsAt, durationSeconds);
}
