/**
 * Images through sharp on real files: EXIF orientation, HEIC photos, the size ladder, the bound on
 * concurrent encodes and the byte budget of the variant cache.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/server/db/connection.js';
import { stableId } from '../../../src/server/ids.js';
import { ImageService, type StoredImage } from '../../../src/server/library/images.js';
import { LibraryWriter } from '../../../src/server/library/libraryWriter.js';
import { MediaProber } from '../../../src/server/library/probe.js';
import { LibraryScanner } from '../../../src/server/library/scanner.js';
import { mediaBinaries, tempDir } from '../../helpers/media.js';

let media: string;
let dataDir: string;
let db: Db;
let writer: LibraryWriter;
let images: ImageService;
let big: StoredImage;

/** 200×100 stored, left half red and right half blue, with EXIF Orientation 6 (shot holding the phone upright). */
async function sidewaysJpeg(file: string): Promise<void> {
  const red = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#ff0000' } })
    .png()
    .toBuffer();
  await sharp({ create: { width: 200, height: 100, channels: 3, background: '#0000ff' } })
    .composite([{ input: red, left: 0, top: 0 }])
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toFile(file);
}

async function pixel(file: string, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

beforeAll(async () => {
  media = tempDir();
  dataDir = tempDir('stowaway-data-');
  fs.mkdirSync(path.join(media, 'Photos'), { recursive: true });
  await sidewaysJpeg(path.join(media, 'Photos/Portrait.jpg'));
  // A HEVC-coded HEIC, as phones write them (heif-enc: Debian's libheif-examples, which .ci/run installs).
  const png = path.join(dataDir, 'heic-source.png');
  await sharp({ create: { width: 320, height: 240, channels: 3, background: '#00ff00' } })
    .png()
    .toFile(png);
  execFileSync('heif-enc', ['-q', '60', '-o', path.join(media, 'Photos/Phone.heic'), png]);
  await sharp({ create: { width: 300, height: 200, channels: 3, background: '#0000ff' } })
    .avif({ quality: 50 })
    .toFile(path.join(media, 'Photos/Modern.avif'));
  const bigPng = path.join(dataDir, 'big.png');
  execFileSync(mediaBinaries().ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=2400x1600', '-frames:v', '1', bigPng]);
  db = openDatabase(path.join(dataDir, 'db.sqlite'));
  writer = new LibraryWriter(db);
  images = new ImageService({ ffmpegPath: mediaBinaries().ffmpeg, dataDir });
  await new LibraryScanner({ roots: [media], prober: new MediaProber(mediaBinaries().probers), writer, images }).scan();
  big = { path: bigPng, tag: 'big' };
});

afterAll(() => {
  db?.close();
  fs.rmSync(media, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const streamsOf = (id: string) =>
  JSON.parse((db.prepare('SELECT media_streams FROM items WHERE id = ?').get(id) as { media_streams: string }).media_streams) as Array<{
    Width?: number;
    Height?: number;
  }>;

describe('photos', () => {
  it('reports a phone photo with EXIF orientation 6 as portrait and makes its thumbnails upright', async () => {
    const id = stableId(path.join(media, 'Photos/Portrait.jpg'));
    expect(streamsOf(id)[0]).toMatchObject({ Width: 100, Height: 200 });
    const image = writer.imageOf(id)!;
    const thumb = await images.variant(id, { path: image.imagePath, tag: image.imageTag }, { maxWidth: 120 });
    const meta = await sharp(thumb.path).metadata();
    expect([meta.width, meta.height]).toEqual([100, 200]);
    // Turned a quarter clockwise: the stored left half (red) is now the top.
    const [r, , b] = await pixel(thumb.path, 50, 20);
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(60);
    // And the thumbnail carries no orientation tag that a viewer would apply a second time.
    expect(meta.orientation ?? 1).toBe(1);
  });

  it('scans a HEIC photo and gives it an upright JPEG primary image, keeping the original as is', async () => {
    const file = path.join(media, 'Photos/Phone.heic');
    const id = stableId(file);
    expect(streamsOf(id)[0]).toMatchObject({ Width: 320, Height: 240 });
    const image = writer.imageOf(id)!;
    expect(image.imagePath).not.toBe(file);
    const meta = await sharp(image.imagePath).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([320, 240]);
    const [r, g] = await pixel(image.imagePath, 100, 100);
    expect(g).toBeGreaterThan(200);
    expect(r).toBeLessThan(60);
    expect(images.capabilities().HeicDecoder).not.toBe('none');
  });

  it('scans an AVIF photo and gives it a JPEG image that every browser shows', async () => {
    const id = stableId(path.join(media, 'Photos/Modern.avif'));
    expect(streamsOf(id)[0]).toMatchObject({ Width: 300, Height: 200, Codec: 'av1' });
    const meta = await sharp(writer.imageOf(id)!.imagePath).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 300, 200]);
  });
});

describe('image variants', () => {
  it('snaps nearby sizes and qualities to one variant on disk', async () => {
    const keys = new Set<string>();
    for (const maxWidth of [130, 150, 200, 239]) keys.add((await images.variant('ladder', big, { maxWidth, quality: 85 })).key);
    for (const quality of [80, 88, 90]) keys.add((await images.variant('ladder', big, { maxWidth: 240, quality })).key);
    expect(keys.size).toBe(1);
    expect(fs.readdirSync(path.join(dataDir, 'images', 'cache', 'ladder'))).toHaveLength(1);
    const out = await images.variant('ladder', big, { width: 5000 });
    const meta = await sharp(out.path).metadata();
    expect(meta.width).toBe(2400); // the top rung, and never enlarged past the source
  });

  it('runs at most two encodes at once however many requests arrive together', async () => {
    const service = new ImageService({ ffmpegPath: mediaBinaries().ffmpeg, dataDir: tempDir('stowaway-burst-') });
    const sizes = [120, 240, 360, 480, 720, 960, 1280, 1920];
    const results = await Promise.all(sizes.map((maxWidth) => service.variant('burst', big, { maxWidth })));
    expect(new Set(results.map((r) => r.path)).size).toBe(sizes.length);
    const stats = service.stats();
    expect(stats.peakEncodes).toBeGreaterThanOrEqual(1);
    expect(stats.peakEncodes).toBeLessThanOrEqual(2);
    expect(stats.encodesRunning).toBe(0);
  });

  it('keeps the variant cache within its byte budget, evicting the least recently used', async () => {
    const widths = [120, 240, 360, 480, 720];
    // Sizes of these variants, unbounded, to set a budget that holds about half of them.
    const scratch = new ImageService({ ffmpegPath: mediaBinaries().ffmpeg, dataDir: tempDir('stowaway-lru-scratch-') });
    for (const maxWidth of widths) await scratch.variant('a', big, { maxWidth });
    const budget = Math.floor(scratch.stats().cacheBytes * 0.6);
    const dir = tempDir('stowaway-lru-');
    const service = new ImageService({ ffmpegPath: mediaBinaries().ffmpeg, dataDir: dir, cacheBytes: budget });
    const cacheDir = path.join(dir, 'images', 'cache');
    const onDisk = () =>
      fs
        .readdirSync(cacheDir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .reduce((sum, e) => sum + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
    const first = await service.variant('a', big, { maxWidth: 120 });
    let total = 0;
    for (const maxWidth of widths.slice(1)) {
      await service.variant('a', big, { maxWidth });
      // The first one stays in use: it must survive while older unused ones go.
      await service.variant('a', big, { maxWidth: 120 });
      total = onDisk();
      expect(total).toBeLessThanOrEqual(budget);
    }
    expect(fs.existsSync(first.path)).toBe(true);
    expect(service.stats().cacheBytes).toBe(total);
    const left = fs.readdirSync(path.join(cacheDir, 'a'));
    expect(left.length).toBeLessThan(widths.length);
    // After a restart the folder is still counted against the budget.
    const again = new ImageService({ ffmpegPath: mediaBinaries().ffmpeg, dataDir: dir, cacheBytes: budget });
    await again.variant('a', big, { maxWidth: 240, quality: 60 });
    expect(onDisk()).toBeLessThanOrEqual(budget);
  });
});
