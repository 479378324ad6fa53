/**
 * Primary images: extracted once into `<dataDir>/images/<itemId>.jpg`, tagged with a short hash of their
 * bytes (clients cache by tag), and resized on request into `<dataDir>/images/cache/<itemId>/`. Photos are
 * their own image and are never copied. Every failure here is reported as "no image", never thrown into a
 * scan.
 */
import { execFile } from 'node:child_process';
import { trackChild } from '../convert/childRecords.js';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MediaStream } from '../../shared/api/items.js';
import { TICKS_PER_SECOND } from '../../shared/api/items.js';
import { FOLDER_IMAGE_NAMES } from './layout.js';

export interface LibraryLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
}

export const silentLogger: LibraryLogger = { info() {}, warn() {}, error() {}, debug() {} };

export interface StoredImage {
  path: string;
  tag: string;
}

/** What extraction needs to know about one file item. */
export interface ImageSubject {
  id: string;
  type: string;
  path: string;
  runTimeTicks?: number;
  streams: readonly MediaStream[];
}

export interface ImageVariantOptions {
  maxWidth?: number;
  maxHeight?: number;
  width?: number;
  height?: number;
  /** 1–100, as Emby clients send it. */
  quality?: number;
}

export interface ImageServiceOptions {
  ffmpegPath: string;
  dataDir: string;
  logger?: LibraryLogger;
  timeoutMs?: number;
}

const IMAGE_EXTS = ['jpg', 'jpeg', 'png', 'webp'];
const MAX_EXTRACT_WIDTH = 1280;

export function contentTypeOf(file: string): string {
  switch (path.extname(file).slice(1).toLowerCase()) {
    case 'png':
      return 'image/png';
    case 'webp':
      return 'image/webp';
    case 'gif':
      return 'image/gif';
    case 'heic':
      return 'image/heic';
    default:
      return 'image/jpeg';
  }
}

/** Bounded, even-free scale expression for ffmpeg; undefined when no size was asked for. */
export function scaleFilter(o: ImageVariantOptions): string | undefined {
  const w = pos(o.width);
  const h = pos(o.height);
  const mw = pos(o.maxWidth);
  const mh = pos(o.maxHeight);
  if (w && h) return `scale=${w}:${h}`;
  if (w) return `scale=${w}:-1`;
  if (h) return `scale=-1:${h}`;
  // Never upscale for max* bounds: a 320-wide frame asked at maxWidth=1920 stays 320.
  if (mw && mh) return `scale='min(iw,${mw})':'min(ih,${mh})':force_original_aspect_ratio=decrease`;
  if (mw) return `scale='min(iw,${mw})':-1`;
  if (mh) return `scale=-1:'min(ih,${mh})'`;
  return undefined;
}

/** Emby quality 1–100 → mjpeg -q:v 2 (best) … 31 (worst). */
export function jpegQscale(quality: number | undefined): number {
  const q = Math.min(100, Math.max(1, quality ?? 90));
  return Math.round(31 - (q / 100) * 29);
}

export function variantKey(tag: string, o: ImageVariantOptions): string | undefined {
  const filter = scaleFilter(o);
  if (!filter && o.quality === undefined) return undefined;
  const parts = [
    tag,
    `w${pos(o.width) ?? ''}`,
    `h${pos(o.height) ?? ''}`,
    `mw${pos(o.maxWidth) ?? ''}`,
    `mh${pos(o.maxHeight) ?? ''}`,
    `q${jpegQscale(o.quality)}`,
  ];
  return parts.join('-');
}

function pos(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n > 0 ? Math.min(Math.round(n), 8192) : undefined;
}

export class ImageService {
  readonly dir: string;
  private readonly cacheDir: string;
  private readonly log: LibraryLogger;
  private readonly timeoutMs: number;
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly opts: ImageServiceOptions) {
    this.dir = path.join(opts.dataDir, 'images');
    this.cacheDir = path.join(this.dir, 'cache');
    this.log = opts.logger ?? silentLogger;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** The primary image of a file item, by the rules of its kind; undefined when there is none. */
  async extractForFile(item: ImageSubject): Promise<StoredImage | undefined> {
    try {
      if (item.type === 'Photo') return { path: item.path, tag: await hashFile(item.path) };
      if (item.type === 'Audio') {
        const pic = item.streams.find((s) => s.Type === 'EmbeddedImage');
        if (pic) {
          const got = await this.render(item.id, ['-i', item.path, '-map', `0:${pic.Index}`]);
          if (got) return got;
        }
        const folderImage = findFolderImage(path.dirname(item.path));
        return folderImage ? await this.importImage(item.id, folderImage) : undefined;
      }
      const video = item.streams.find((s) => s.Type === 'Video');
      const poster = findOwnPoster(item.path);
      if (poster) return await this.importImage(item.id, poster);
      if (!video) return undefined;
      // 10% in skips black lead-ins and studio cards; a short clip falls back to its first frame.
      const seconds = item.runTimeTicks ? (item.runTimeTicks / TICKS_PER_SECOND) * 0.1 : 0;
      const grab = (at: number) => this.render(item.id, ['-ss', at.toFixed(3), '-i', item.path, '-map', `0:${video.Index}`]);
      return (await grab(seconds)) ?? (seconds > 0 ? await grab(0) : undefined);
    } catch (err) {
      this.log.warn({ err, item: item.id }, 'image extraction failed');
      return undefined;
    }
  }

  /** A series/season/album image: folder.jpg/poster.jpg/cover.jpg in its folder, else a child's image. */
  async extractForContainer(itemId: string, folder: string | undefined, childImage: string | undefined): Promise<StoredImage | undefined> {
    try {
      const own = folder ? findFolderImage(folder) : undefined;
      if (own) return await this.importImage(itemId, own);
      if (childImage) return await this.importImage(itemId, childImage);
    } catch (err) {
      this.log.warn({ err, item: itemId }, 'container image failed');
    }
    return undefined;
  }

  /** A resized copy, made once per (image tag, size, quality) and kept on disk. */
  async variant(itemId: string, image: StoredImage, o: ImageVariantOptions): Promise<{ path: string; key: string }> {
    const key = variantKey(image.tag, o);
    if (!key) return { path: image.path, key: image.tag };
    const out = path.join(this.cacheDir, itemId, `${key}.jpg`);
    if (fs.existsSync(out)) return { path: out, key };
    let job = this.inFlight.get(out);
    if (!job) {
      job = this.makeVariant(image.path, out, o).finally(() => this.inFlight.delete(out));
      this.inFlight.set(out, job);
    }
    return { path: await job, key };
  }

  /** Forgets the resized copies of an item whose image is about to be replaced (their tag is stale). */
  async clearVariants(id: string): Promise<void> {
    await fs.promises.rm(path.join(this.cacheDir, id), { recursive: true, force: true }).catch(() => undefined);
  }

  /** Drops the stored image and cached variants of removed items (photos' own files are left alone). */
  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      await fs.promises.rm(path.join(this.dir, `${id}.jpg`), { force: true }).catch(() => undefined);
      await fs.promises.rm(path.join(this.cacheDir, id), { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private async makeVariant(source: string, out: string, o: ImageVariantOptions): Promise<string> {
    await fs.promises.mkdir(path.dirname(out), { recursive: true });
    const tmp = tempBeside(out);
    const filter = scaleFilter(o);
    const args = [
      '-v',
      'error',
      '-y',
      '-i',
      source,
      '-frames:v',
      '1',
      ...(filter ? ['-vf', filter] : []),
      '-q:v',
      String(jpegQscale(o.quality)),
      '-f',
      'image2',
      '-c:v',
      'mjpeg',
      tmp,
    ];
    try {
      await this.ffmpeg(args);
      await fs.promises.rename(tmp, out);
      return out;
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
  }

  /** Copies a JPEG as is; converts anything else (PNG covers, WebP posters) to JPEG. */
  private async importImage(itemId: string, source: string): Promise<StoredImage | undefined> {
    if (/\.jpe?g$/i.test(source)) {
      await fs.promises.mkdir(this.dir, { recursive: true });
      const out = path.join(this.dir, `${itemId}.jpg`);
      const tmp = tempBeside(out);
      try {
        await fs.promises.copyFile(source, tmp);
        await fs.promises.rename(tmp, out);
      } finally {
        await fs.promises.rm(tmp, { force: true });
      }
      return { path: out, tag: await hashFile(out) };
    }
    return this.render(itemId, ['-i', source]);
  }

  /** One frame of the given input → `<itemId>.jpg`, at most MAX_EXTRACT_WIDTH wide. */
  private async render(itemId: string, input: string[]): Promise<StoredImage | undefined> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const out = path.join(this.dir, `${itemId}.jpg`);
    const tmp = tempBeside(out);
    const args = [
      '-v',
      'error',
      '-y',
      ...input,
      '-frames:v',
      '1',
      '-an',
      '-sn',
      '-vf',
      `scale='min(${MAX_EXTRACT_WIDTH},iw)':-2`,
      '-q:v',
      '3',
      '-f',
      'image2',
      '-c:v',
      'mjpeg',
      tmp,
    ];
    try {
      await this.ffmpeg(args);
      const st = await fs.promises.stat(tmp).catch(() => undefined);
      if (!st || st.size === 0) return undefined;
      await fs.promises.rename(tmp, out);
      return { path: out, tag: await hashFile(out) };
    } catch (err) {
      this.log.debug({ err, item: itemId }, 'ffmpeg produced no image');
      return undefined;
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
  }

  private ffmpeg(args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      trackChild(
        execFile(
          this.opts.ffmpegPath,
          args,
          { timeout: this.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 },
          (err, _o, stderr) => {
            if (err) reject(new Error(`ffmpeg: ${String(stderr).trim().split('\n').pop() || err.message}`));
            else resolve();
          },
        ),
        this.opts.ffmpegPath,
      );
    });
  }
}

function tempBeside(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 16);
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** folder.jpg, poster.png, cover.jpg… (any case), best name first. */
export function findFolderImage(folder: string): string | undefined {
  const names = listDir(folder);
  for (const want of FOLDER_IMAGE_NAMES) {
    const hit = names.find((n) => {
      const { name, ext } = path.parse(n);
      return name.toLowerCase() === want && IMAGE_EXTS.includes(ext.slice(1).toLowerCase());
    });
    if (hit) return path.join(folder, hit);
  }
  return undefined;
}

/** `Movie (2010)-poster.jpg` or `Movie (2010).jpg` beside the video. */
function findOwnPoster(videoFile: string): string | undefined {
  const dir = path.dirname(videoFile);
  const base = path.parse(videoFile).name.toLowerCase();
  const names = listDir(dir);
  for (const suffix of ['-poster', '.poster', '']) {
    const hit = names.find((n) => {
      const { name, ext } = path.parse(n);
      return name.toLowerCase() === base + suffix && IMAGE_EXTS.includes(ext.slice(1).toLowerCase());
    });
    if (hit) return path.join(dir, hit);
  }
  return undefined;
}
