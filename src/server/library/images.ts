/**
 * Primary images: extracted once into `<dataDir>/images/<itemId>.jpg`, tagged with a short hash of their
 * bytes (clients cache by tag), and resized on request into `<dataDir>/images/cache/<itemId>/`. Photos a
 * browser shows are their own image and are never copied; other photos (HEIC) get a JPEG rendering.
 * Stills go through sharp (upright by their EXIF orientation); frames of video and embedded cover art
 * through ffmpeg. Requested sizes snap to a ladder (imageLadder.ts), encodes run a few at a time
 * (EncodeLimit) and the resized copies live within a byte budget (DiskLru). Every failure here is
 * reported as "no image", never thrown into a scan.
 */
import { execFile } from 'node:child_process';
import { trackChild } from '../convert/childRecords.js';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MediaStream } from '../../shared/api/items.js';
import { TICKS_PER_SECOND } from '../../shared/api/items.js';
import { FOLDER_IMAGE_NAMES } from './layout.js';
import { DiskLru } from './diskLru.js';
import { EncodeLimit } from './encodeLimit.js';
import { heicDecoder, sharpVersion, writeJpeg, type HeicDecoder } from './imageCodec.js';
import { snapVariant, variantKey, type ImageVariantOptions } from './imageLadder.js';

export type { ImageVariantOptions } from './imageLadder.js';

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

export interface ImageServiceOptions {
  ffmpegPath: string;
  dataDir: string;
  logger?: LibraryLogger;
  timeoutMs?: number;
  /** Disk budget of the resized copies (STOWAWAY_IMAGE_CACHE_MB; default 256 MiB). */
  cacheBytes?: number;
  /** Image encodes at once (default 2: one per core of a small box). */
  encodeConcurrency?: number;
}

export const DEFAULT_IMAGE_CACHE_BYTES = 256 * 1024 * 1024;
const IMAGE_EXTS = ['jpg', 'jpeg', 'png', 'webp'];
const MAX_EXTRACT_WIDTH = 1280;
/** Photos browsers show as they are; others (HEIC, TIFF, AVIF for older Safari) get a JPEG rendering. */
const BROWSER_PHOTO_EXTS = new Set(['jpg', 'jpeg', 'png', 'webp', 'gif']);
const MAX_PHOTO_RENDER = 2560;

export interface ImageStats {
  encodesRunning: number;
  /** Most image encodes that ran at the same time since start. */
  peakEncodes: number;
  encodeLimit: number;
  cacheBytes: number;
  cacheFiles: number;
  cacheBudget: number;
}

export function contentTypeOf(file: string): string {
  switch (path.extname(file).slice(1).toLowerCase()) {
    case 'png':
      return 'image/png';
    case 'webp':
      return 'image/webp';
    case 'gif':
      return 'image/gif';
    case 'heic':
    case 'heif':
      return 'image/heic';
    case 'avif':
      return 'image/avif';
    default:
      return 'image/jpeg';
  }
}

export class ImageService {
  readonly dir: string;
  private readonly cacheDir: string;
  private readonly log: LibraryLogger;
  private readonly timeoutMs: number;
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly limit: EncodeLimit;
  private readonly lru: DiskLru;
  private readonly cacheBudget: number;

  constructor(private readonly opts: ImageServiceOptions) {
    this.dir = path.join(opts.dataDir, 'images');
    this.cacheDir = path.join(this.dir, 'cache');
    this.log = opts.logger ?? silentLogger;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.limit = new EncodeLimit(Math.max(1, opts.encodeConcurrency ?? 2));
    this.cacheBudget = opts.cacheBytes ?? DEFAULT_IMAGE_CACHE_BYTES;
    this.lru = new DiskLru(this.cacheDir, this.cacheBudget);
  }

  /** What images are read with, for System/Info. */
  capabilities(): { Sharp: string; HeicDecoder: HeicDecoder } {
    return { Sharp: sharpVersion(), HeicDecoder: heicDecoder() };
  }

  stats(): ImageStats {
    return {
      encodesRunning: this.limit.running,
      peakEncodes: this.limit.peak,
      encodeLimit: this.limit.limit,
      cacheBytes: this.lru.bytes,
      cacheFiles: this.lru.files,
      cacheBudget: this.cacheBudget,
    };
  }

  /** The primary image of a file item, by the rules of its kind; undefined when there is none. */
  async extractForFile(item: ImageSubject): Promise<StoredImage | undefined> {
    try {
      if (item.type === 'Photo') {
        if (BROWSER_PHOTO_EXTS.has(path.extname(item.path).slice(1).toLowerCase()))
          return { path: item.path, tag: await hashFile(item.path) };
        return await this.importImage(item.id, item.path, MAX_PHOTO_RENDER);
      }
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

  /** A resized copy, made once per (image tag, ladder size, ladder quality) and kept within the budget. */
  async variant(itemId: string, image: StoredImage, o: ImageVariantOptions): Promise<{ path: string; key: string }> {
    const snapped = snapVariant(o);
    if (!snapped) return { path: image.path, key: image.tag };
    const key = variantKey(image.tag, snapped);
    const out = path.join(this.cacheDir, itemId, `${key}.jpg`);
    if (await this.lru.hit(out)) return { path: out, key };
    let job = this.inFlight.get(out);
    if (!job) {
      job = this.limit
        .run(() => writeJpeg(image.path, out, snapped))
        .then(async (size) => {
          await this.lru.add(out, size);
          return out;
        })
        .finally(() => this.inFlight.delete(out));
      this.inFlight.set(out, job);
    }
    return { path: await job, key };
  }

  /** Forgets the resized copies of an item whose image is about to be replaced (their tag is stale). */
  async clearVariants(id: string): Promise<void> {
    this.lru.forgetUnder(path.join(this.cacheDir, id));
    await fs.promises.rm(path.join(this.cacheDir, id), { recursive: true, force: true }).catch(() => undefined);
  }

  /** Drops the stored image and cached variants of removed items (photos' own files are left alone). */
  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      await fs.promises.rm(path.join(this.dir, `${id}.jpg`), { force: true }).catch(() => undefined);
      this.lru.forgetUnder(path.join(this.cacheDir, id));
      await fs.promises.rm(path.join(this.cacheDir, id), { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Copies a JPEG as is; anything else (PNG covers, WebP posters, HEIC photos) becomes an upright JPEG. */
  private async importImage(itemId: string, source: string, maxSize = MAX_EXTRACT_WIDTH): Promise<StoredImage | undefined> {
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
    const out = path.join(this.dir, `${itemId}.jpg`);
    try {
      await this.limit.run(() => writeJpeg(source, out, { width: maxSize, height: maxSize, quality: 90 }));
    } catch (err) {
      this.log.debug({ err, item: itemId, source }, 'image not readable here; no rendering');
      return undefined;
    }
    return { path: out, tag: await hashFile(out) };
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
      await this.limit.run(() => this.ffmpeg(args));
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
