/**
 * Still images through sharp (libvips): EXIF auto-orientation, JPEG/PNG/WebP/AVIF/GIF/TIFF input,
 * resizing. ffmpeg stays for frames of video and embedded cover art (images.ts).
 *
 * HEIC: the prebuilt libvips sharp ships reads HEIF containers but has no HEVC decoder (only AV1, so
 * AVIF works): `sharp.format.heif.input.fileSuffix` says which. Debian's ffmpeg 5.1 cannot read HEIF
 * either (measured: "moov atom not found"). Where `heif-convert` (Debian: libheif-examples) is on PATH
 * it decodes HEIC to PNG first; without it a HEIC photo has no thumbnail and its original stays
 * downloadable.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

// Encodes are bounded by EncodeLimit (one libvips thread each fits a 2-core box), and image files change
// under us, so libvips' operation cache would only hold stale memory.
sharp.concurrency(1);
sharp.cache(false);

export type HeicDecoder = 'sharp' | 'heif-convert' | 'none';

const HEIF_EXTS = new Set(['heic', 'heif', 'hif']);

function extOf(file: string): string {
  return path.extname(file).slice(1).toLowerCase();
}

export function sharpVersion(): string {
  return sharp.versions.sharp ?? 'unknown';
}

let heifConvert: string | null | undefined;

/** `heif-convert` on PATH, looked up once. */
function findHeifConvert(): string | undefined {
  if (heifConvert === undefined) {
    heifConvert = null;
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      const file = path.join(dir, 'heif-convert');
      try {
        fs.accessSync(file, fs.constants.X_OK);
        heifConvert = file;
        break;
      } catch {
        // not here
      }
    }
  }
  return heifConvert ?? undefined;
}

/** How HEIC (HEVC-coded HEIF) photos are decoded on this machine. */
export function heicDecoder(): HeicDecoder {
  const suffixes = (sharp.format.heif?.input as { fileSuffix?: string[] } | undefined)?.fileSuffix ?? [];
  if (suffixes.includes('.heic')) return 'sharp';
  return findHeifConvert() ? 'heif-convert' : 'none';
}

export interface ImageFacts {
  /** sharp's name: jpeg, png, webp, gif, heif, tiff… */
  format: string;
  /** hevc or av1 for HEIF. */
  compression?: string;
  /** As displayed: EXIF orientations 5–8 swap width and height. */
  width: number;
  height: number;
  orientation?: number;
}

/** Header facts without decoding (works for HEIC even where it cannot be decoded). */
export async function readImageFacts(file: string): Promise<ImageFacts> {
  const m = await sharp(file).metadata();
  if (!m.format || !m.width || !m.height) throw new Error('not an image sharp can read');
  const swap = (m.orientation ?? 1) >= 5;
  return {
    format: m.format,
    compression: m.compression,
    width: swap ? m.height : m.width,
    height: swap ? m.width : m.height,
    orientation: m.orientation,
  };
}

export interface JpegOptions {
  width?: number;
  height?: number;
  quality: number;
}

/**
 * `source` → JPEG at `out`, upright (EXIF orientation applied, the tag dropped), fitted inside the box and
 * never enlarged. Written to a temp name and renamed. Returns the size in bytes.
 */
export async function writeJpeg(source: string, out: string, o: JpegOptions): Promise<number> {
  await fs.promises.mkdir(path.dirname(out), { recursive: true });
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${randomBytes(4).toString('hex')}.tmp`);
  const decoded = await decodable(source);
  try {
    const image = sharp(decoded.file, { failOn: 'none' });
    // heif-convert has applied HEIF's own rotation (irot/imir); an EXIF tag it may copy must not apply twice.
    const info = await (decoded.upright ? image : image.rotate())
      .resize({ width: o.width, height: o.height, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#000000' })
      .jpeg({ quality: o.quality })
      .toFile(tmp);
    await fs.promises.rename(tmp, out);
    return info.size;
  } finally {
    await fs.promises.rm(tmp, { force: true });
    await decoded.cleanup();
  }
}

/** The file itself, or for HEIC that sharp cannot decode, a PNG made by heif-convert (deleted after use). */
async function decodable(source: string): Promise<{ file: string; upright: boolean; cleanup: () => Promise<void> }> {
  const none = { file: source, upright: false, cleanup: async () => undefined };
  if (!HEIF_EXTS.has(extOf(source)) || heicDecoder() !== 'heif-convert') return none;
  const facts = await readImageFacts(source).catch(() => undefined);
  if (facts?.compression !== 'hevc') return none;
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'stowaway-heic-'));
  const cleanup = () => fs.promises.rm(dir, { recursive: true, force: true });
  const png = path.join(dir, 'image.png');
  try {
    await new Promise<void>((resolve, reject) =>
      execFile(findHeifConvert()!, [source, png], { timeout: 60_000, killSignal: 'SIGKILL' }, (err, _o, stderr) =>
        err ? reject(new Error(`heif-convert: ${String(stderr).trim() || err.message}`)) : resolve(),
      ),
    );
    // A file with several top-level images is written as image-1.png, image-2.png…: the first is the primary.
    const file = fs.existsSync(png) ? png : path.join(dir, 'image-1.png');
    return { file, upright: true, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
