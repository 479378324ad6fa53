import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MediaStream } from '../../../src/shared/api/items.js';
import { openDatabase, type Db } from '../../../src/server/db/connection.js';
import { stableId } from '../../../src/server/ids.js';
import { ImageService } from '../../../src/server/library/images.js';
import { externalSubtitlePath, LibraryWriter, viewId } from '../../../src/server/library/libraryWriter.js';
import { MediaProber } from '../../../src/server/library/probe.js';
import { LibraryScanner, type LibraryChange } from '../../../src/server/library/scanner.js';
import {
  makeClip,
  makeEmptyFile,
  makeImage,
  makeSrt,
  makeTextFile,
  makeTruncatedCopy,
  mediaBinaries,
  tempDir,
} from '../../helpers/media.js';

interface Row {
  id: string;
  type: string;
  name: string;
  parent_id: string | null;
  top_parent_id: string | null;
  path: string | null;
  container: string | null;
  media_streams: string;
  extra: string;
  index_number: number | null;
  parent_index_number: number | null;
  series_id: string | null;
  season_id: string | null;
  album_id: string | null;
  date_created: string;
  date_modified: string;
  image_path: string | null;
  image_tag: string | null;
  run_time_ticks: number | null;
}

describe('LibraryScanner on real files', () => {
  let media: string;
  let dataDir: string;
  let db: Db;
  let scanner: LibraryScanner;
  let writer: LibraryWriter;
  const changes: LibraryChange[] = [];
  const byPath = (p: string) => db.prepare('SELECT * FROM items WHERE path = ?').get(path.join(media, p)) as Row | undefined;
  const byTypeName = (type: string, name: string) =>
    db.prepare('SELECT * FROM items WHERE type = ? AND name = ?').get(type, name) as Row | undefined;
  const streams = (r: Row) => JSON.parse(r.media_streams) as MediaStream[];
  const issueReason = (p: string) =>
    (db.prepare('SELECT reason FROM scan_issues WHERE path = ?').pluck().get(path.join(media, p)) as string | undefined) ?? null;

  beforeAll(async () => {
    media = tempDir();
    dataDir = tempDir('stowaway-data-');
    const cover = await makeImage(dataDir, 'cover-src.png', 'rgbtestsrc=size=200x200');
    await Promise.all([
      makeClip(media, 'Movies/Big Buck Test (2021)/Big Buck Test (2021).mp4', {
        metadata: { genre: 'Animation;Comedy', studio: 'Test Pattern Studios', director: 'Ada Lovelace', date: '2021-03-14' },
      }),
      makeClip(media, 'Movies/Colour Bars (2019).mkv', { acodec: 'ac3', source: 'smptebars' }),
      makeClip(media, 'TV/Demo Show (2018)/Season 01/Demo Show - S01E01 - Pilot.mp4'),
      makeClip(media, 'TV/Demo Show (2018)/Season 01/Demo Show - S01E02 - The Signal.mkv', { subtitles: 'srt' }),
      makeClip(media, 'TV/Demo Show (2018)/Season 02/Demo Show - S02E01 - Second Wind.mp4', { subtitles: 'mov_text' }),
      makeClip(media, 'Music/Test Pattern Orchestra/Sine Language/01 - Opening Tone.mp3', {
        vcodec: null,
        acodec: 'mp3',
        cover,
        metadata: {
          title: 'Opening Tone',
          artist: 'Test Pattern Orchestra',
          album_artist: 'Test Pattern Orchestra',
          album: 'Sine Language',
          track: '1/2',
          genre: 'Electronic',
          date: '2020',
        },
      }),
      makeClip(media, 'Music/Test Pattern Orchestra/Sine Language/02 - Perfect Fifth.mp3', {
        vcodec: null,
        acodec: 'mp3',
        metadata: {
          title: 'Perfect Fifth',
          artist: 'Test Pattern Orchestra',
          album_artist: 'Test Pattern Orchestra',
          album: 'Sine Language',
          track: '2/2',
          genre: 'Electronic',
          date: '2020',
        },
      }),
      makeImage(media, 'Photos/Beach.jpg'),
      makeClip(media, `Home Videos/Odd 'quotes' "and" émoji 🎬.mp4`),
      makeClip(media, '.hidden/Secret.mp4'),
    ]);
    makeSrt(media, 'Movies/Colour Bars (2019).en.srt');
    makeSrt(media, 'Movies/Colour Bars (2019).eng.forced.srt');
    makeEmptyFile(media, 'Broken/Zero.mp4');
    makeTruncatedCopy(path.join(media, 'TV/Demo Show (2018)/Season 01/Demo Show - S01E01 - Pilot.mp4'), media, 'Broken/Truncated.mp4');
    makeTextFile(media, 'Broken/Shopping List.mp4');
    fs.symlinkSync(path.join(media, 'nowhere.mkv'), path.join(media, 'Broken/Dangling.mkv'));

    db = openDatabase(path.join(dataDir, 'db.sqlite'));
    writer = new LibraryWriter(db);
    const bins = mediaBinaries();
    scanner = new LibraryScanner({
      roots: [media],
      prober: new MediaProber(bins.ffprobe),
      writer,
      images: new ImageService({ ffmpegPath: bins.ffmpeg, dataDir }),
    });
    scanner.on('changed', (c) => changes.push(c));
    const t = Date.now();
    await scanner.scan();
    console.log(`first scan of ${scanner.lastReport?.files} files: ${Date.now() - t} ms`);
  });

  afterAll(() => {
    db?.close();
    fs.rmSync(media, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates one view per kind of content, and every item hangs from its view', () => {
    const views = db.prepare("SELECT name, collection_type FROM items WHERE type = 'CollectionFolder' ORDER BY name").all();
    expect(views).toEqual([
      { name: 'Movies', collection_type: 'movies' },
      { name: 'Music', collection_type: 'music' },
      { name: 'Photos', collection_type: 'photos' },
      { name: 'TV Shows', collection_type: 'tvshows' },
    ]);
    const orphans = db
      .prepare(
        `SELECT type, name FROM items WHERE type IN ('Movie','Video','Episode','Season','Series','Audio','MusicAlbum','Photo')
         AND (top_parent_id IS NULL OR top_parent_id NOT IN (SELECT id FROM items WHERE type = 'CollectionFolder'))`,
      )
      .all();
    expect(orphans).toEqual([]);
  });

  it('builds movies with stable ids, containers, genres, studios and people', () => {
    const movie = byPath('Movies/Big Buck Test (2021)/Big Buck Test (2021).mp4')!;
    expect(movie).toMatchObject({ type: 'Movie', name: 'Big Buck Test', container: 'mp4', parent_id: viewId('movies') });
    expect(movie.id).toBe(stableId(movie.path!));
    expect(movie.run_time_ticks).toBeGreaterThan(1.5e7);
    const links = db
      .prepare(
        'SELECT l.kind, i.type, i.name, l.role FROM item_links l JOIN items i ON i.id = l.target_id WHERE l.item_id = ? ORDER BY l.kind, i.name',
      )
      .all(movie.id);
    expect(links).toEqual([
      { kind: 'genre', type: 'Genre', name: 'Animation', role: null },
      { kind: 'genre', type: 'Genre', name: 'Comedy', role: null },
      { kind: 'person', type: 'Person', name: 'Ada Lovelace', role: 'Director' },
      { kind: 'studio', type: 'Studio', name: 'Test Pattern Studios', role: null },
    ]);
    expect(byTypeName('Genre', 'Comedy')!.id).toBe(stableId('Genre:comedy'));
    const video = byPath(`Home Videos/Odd 'quotes' "and" émoji 🎬.mp4`)!;
    expect(video).toMatchObject({ type: 'Video', name: `Odd 'quotes' "and" émoji 🎬` });
  });

  it('builds Series → Season → Episode with numbers', () => {
    const series = byTypeName('Series', 'Demo Show')!;
    expect(series.id).toBe(stableId(path.join(media, 'TV/Demo Show (2018)')));
    const seasons = db.prepare("SELECT name, index_number, parent_id FROM items WHERE type = 'Season' ORDER BY index_number").all();
    expect(seasons).toEqual([
      { name: 'Season 1', index_number: 1, parent_id: series.id },
      { name: 'Season 2', index_number: 2, parent_id: series.id },
    ]);
    const ep = byPath('TV/Demo Show (2018)/Season 01/Demo Show - S01E02 - The Signal.mkv')!;
    expect(ep).toMatchObject({ type: 'Episode', name: 'The Signal', index_number: 2, parent_index_number: 1, series_id: series.id });
    expect(ep.parent_id).toBe(ep.season_id);
    expect(ep.top_parent_id).toBe(viewId('tvshows'));
  });

  it('reads embedded streams: H.264 + AC3, SRT in MKV, mov_text in MP4', () => {
    const bars = streams(byPath('Movies/Colour Bars (2019).mkv')!);
    expect(bars.find((s) => s.Type === 'Video')).toMatchObject({ Codec: 'h264', Width: 320, Height: 180, BitDepth: 8, IsExternal: false });
    expect(bars.find((s) => s.Type === 'Audio')).toMatchObject({ Codec: 'ac3', Channels: 2, SampleRate: 48000 });
    const signal = streams(byPath('TV/Demo Show (2018)/Season 01/Demo Show - S01E02 - The Signal.mkv')!);
    expect(signal.find((s) => s.Type === 'Subtitle')).toMatchObject({
      Codec: 'subrip',
      IsTextSubtitleStream: true,
      IsExternal: false,
      Language: 'eng',
    });
    const wind = streams(byPath('TV/Demo Show (2018)/Season 02/Demo Show - S02E01 - Second Wind.mp4')!);
    expect(wind.find((s) => s.Type === 'Subtitle')).toMatchObject({ Codec: 'mov_text', IsTextSubtitleStream: true });
  });

  it('adds sidecar subtitles as external streams: bare name on the wire, full path server-side', () => {
    const row = byPath('Movies/Colour Bars (2019).mkv')!;
    const subs = streams(row).filter((s) => s.IsExternal);
    expect(subs).toEqual([
      expect.objectContaining({
        Type: 'Subtitle',
        Index: 2,
        Codec: 'srt',
        Language: 'eng',
        IsForced: false,
        Path: 'Colour Bars (2019).en.srt',
      }),
      expect.objectContaining({
        Type: 'Subtitle',
        Index: 3,
        Codec: 'srt',
        Language: 'eng',
        IsForced: true,
        Path: 'Colour Bars (2019).eng.forced.srt',
      }),
    ]);
    expect(externalSubtitlePath(row.extra, 2)).toBe(path.join(media, 'Movies/Colour Bars (2019).en.srt'));
    expect(externalSubtitlePath(row.extra, 0)).toBeUndefined();
  });

  it('builds albums from tags, with artists, genres and embedded cover art', () => {
    const album = byTypeName('MusicAlbum', 'Sine Language')!;
    const tracks = db.prepare("SELECT name, index_number, album_id, parent_id FROM items WHERE type = 'Audio' ORDER BY index_number").all();
    expect(tracks).toEqual([
      { name: 'Opening Tone', index_number: 1, album_id: album.id, parent_id: album.id },
      { name: 'Perfect Fifth', index_number: 2, album_id: album.id, parent_id: album.id },
    ]);
    const one = byPath('Music/Test Pattern Orchestra/Sine Language/01 - Opening Tone.mp3')!;
    expect(streams(one).map((s) => s.Type)).toEqual(['Audio', 'EmbeddedImage']);
    const linked = db.prepare('SELECT kind FROM item_links WHERE item_id = ? ORDER BY kind').pluck().all(one.id);
    expect(linked).toEqual(['albumartist', 'artist', 'musicgenre']);
    expect(byTypeName('MusicArtist', 'Test Pattern Orchestra')!.id).toBe(stableId('MusicArtist:test pattern orchestra'));
  });

  it('adds photos', () => {
    expect(byPath('Photos/Beach.jpg')).toMatchObject({ type: 'Photo', parent_id: viewId('photos'), container: 'jpg' });
  });

  it('skips hidden files and lists broken ones with a reason, and still finishes', () => {
    expect(byPath('.hidden/Secret.mp4')).toBeUndefined();
    expect(issueReason('Broken/Zero.mp4')).toMatch(/empty file/);
    expect(issueReason('Broken/Truncated.mp4')).toMatch(/unreadable media|no audio or video/);
    expect(issueReason('Broken/Shopping List.mp4')).toMatch(/unreadable media|no audio or video/);
    expect(issueReason('Broken/Dangling.mkv')).toMatch(/broken link/);
    for (const p of ['Broken/Zero.mp4', 'Broken/Truncated.mp4', 'Broken/Shopping List.mp4']) expect(byPath(p)).toBeUndefined();
    expect(scanner.lastReport).toMatchObject({ added: 9, files: 9 });
    expect(scanner.lastReport!.issues).toHaveLength(4);
  });

  it('extracts primary images: video frames, embedded covers, photos, and parents from children', () => {
    const movie = byPath('Movies/Big Buck Test (2021)/Big Buck Test (2021).mp4')!;
    expect(movie.image_path).toBe(path.join(dataDir, 'images', `${movie.id}.jpg`));
    expect(movie.image_tag).toMatch(/^[0-9a-f]{16}$/);
    expect(fs.statSync(movie.image_path!).size).toBeGreaterThan(1000);
    const track = byPath('Music/Test Pattern Orchestra/Sine Language/01 - Opening Tone.mp3')!;
    expect(track.image_tag).toBeTruthy();
    // The second track has no cover of its own and no cover.jpg beside it.
    expect(byPath('Music/Test Pattern Orchestra/Sine Language/02 - Perfect Fifth.mp3')!.image_tag).toBeNull();
    const photo = byPath('Photos/Beach.jpg')!;
    expect(photo.image_path).toBe(photo.path);
    for (const parent of [
      byTypeName('Series', 'Demo Show')!,
      byTypeName('Season', 'Season 1')!,
      byTypeName('MusicAlbum', 'Sine Language')!,
    ]) {
      expect(parent.image_tag, parent.name).toBeTruthy();
    }
    expect(byTypeName('MusicAlbum', 'Sine Language')!.image_tag).toBe(track.image_tag);
  });

  it('reported the first scan as a change', () => {
    expect(changes[0]!.added).toContain(byPath('Photos/Beach.jpg')!.id);
  });

  describe('rescans', () => {
    it('does not probe unchanged files again', async () => {
      const report = await scanner.scan();
      expect(report).toMatchObject({ probed: 2, added: 0, updated: 0, removed: 0, unchanged: 9 });
      // The two broken files ffprobe saw are retried (they may have been fixed); nothing else is.
    });

    it('coalesces concurrent requests into one follow-up scan', async () => {
      const a = scanner.scan();
      const b = scanner.scan();
      const c = scanner.scan();
      expect(b).toBe(c);
      expect(a).not.toBe(b);
      const [ra, rb] = await Promise.all([a, b]);
      expect(rb.scanId).toBeGreaterThan(ra.scanId);
    });

    it('updates DateModified (and keeps DateCreated) when a file changes, and says so', async () => {
      const rel = 'TV/Demo Show (2018)/Season 01/Demo Show - S01E01 - Pilot.mp4';
      const before = byPath(rel)!;
      await new Promise((r) => setTimeout(r, 20));
      await makeClip(media, rel, { seconds: 3, source: 'smptebars' });
      changes.length = 0;
      const report = await scanner.scan();
      const after = byPath(rel)!;
      expect(report.updated).toBe(1);
      expect(after.id).toBe(before.id);
      expect(after.date_created).toBe(before.date_created);
      expect(after.date_modified > before.date_modified).toBe(true);
      expect(after.run_time_ticks).toBeGreaterThan(before.run_time_ticks!);
      expect(after.image_tag).not.toBe(before.image_tag);
      expect(changes).toEqual([{ added: [], updated: [before.id], removed: [] }]);
    });

    it('picks up a new sidecar beside an unchanged video without probing it', async () => {
      const rel = 'TV/Demo Show (2018)/Season 01/Demo Show - S01E02 - The Signal.mkv';
      makeSrt(media, 'TV/Demo Show (2018)/Season 01/Demo Show - S01E02 - The Signal.fr.srt');
      const report = await scanner.scan();
      expect(report.updated).toBe(1);
      const ext = streams(byPath(rel)!).filter((s) => s.IsExternal);
      expect(ext).toEqual([expect.objectContaining({ Language: 'fre', Path: 'Demo Show - S01E02 - The Signal.fr.srt' })]);
    });

    it('removes vanished files, then empty seasons and unlinked genres, and clears fixed issues', async () => {
      const wind = byPath('TV/Demo Show (2018)/Season 02/Demo Show - S02E01 - Second Wind.mp4')!;
      const season2 = byTypeName('Season', 'Season 2')!;
      const movie = byPath('Movies/Big Buck Test (2021)/Big Buck Test (2021).mp4')!;
      fs.rmSync(path.join(media, 'TV/Demo Show (2018)/Season 02'), { recursive: true });
      fs.rmSync(path.join(media, 'Movies/Big Buck Test (2021)'), { recursive: true });
      fs.rmSync(path.join(media, 'Broken/Zero.mp4'));
      await makeClip(media, 'Broken/Shopping List.mp4');
      changes.length = 0;
      const report = await scanner.scan();
      expect(report.removed).toBeGreaterThanOrEqual(3);
      expect(changes[0]!.removed).toEqual(expect.arrayContaining([wind.id, season2.id, movie.id]));
      expect(changes[0]!.added).toEqual([byPath('Broken/Shopping List.mp4')!.id]);
      expect(byTypeName('Season', 'Season 2')).toBeUndefined();
      expect(byTypeName('Series', 'Demo Show')).toBeDefined();
      expect(byTypeName('Genre', 'Animation')).toBeUndefined();
      expect(byTypeName('Person', 'Ada Lovelace')).toBeUndefined();
      expect(fs.existsSync(path.join(dataDir, 'images', `${movie.id}.jpg`))).toBe(false);
      expect(issueReason('Broken/Zero.mp4')).toBeNull();
      expect(issueReason('Broken/Shopping List.mp4')).toBeNull();
      expect(issueReason('Broken/Truncated.mp4')).not.toBeNull();
    });

    it('keeps the items of a media folder that went missing (an unmounted disk)', async () => {
      const disk = tempDir('stowaway-disk-');
      await makeClip(disk, 'Movies/Far Away (2001).mp4');
      const both = new LibraryScanner({ roots: [media, disk], prober: new MediaProber(mediaBinaries().ffprobe), writer });
      await both.scan();
      const far = db.prepare('SELECT id FROM items WHERE path = ?').pluck().get(path.join(disk, 'Movies/Far Away (2001).mp4'));
      expect(far).toBeTruthy();
      const unmounted = disk + '-unmounted';
      fs.renameSync(disk, unmounted);
      try {
        const report = await both.scan();
        expect(report.removed).toBe(0);
        expect(db.prepare('SELECT id FROM items WHERE id = ?').pluck().get(far)).toBe(far);
        expect(report.issues.find((i) => i.path === disk)?.reason).toMatch(/media folder unavailable/);
      } finally {
        fs.renameSync(unmounted, disk);
      }
      // Once the folder is no longer configured, its items go.
      const report = await scanner.scan();
      expect(report.removed).toBeGreaterThanOrEqual(1);
      fs.rmSync(disk, { recursive: true, force: true });
    });
  });
});

describe('LibraryScanner edge cases', () => {
  it('reports an ffprobe that hangs as a timeout instead of waiting forever', async () => {
    const dir = tempDir('stowaway-fakeprobe-');
    const fake = path.join(dir, 'ffprobe');
    fs.writeFileSync(fake, '#!/bin/sh\nsleep 10\n', { mode: 0o755 });
    const t = Date.now();
    await expect(new MediaProber(fake, { timeoutMs: 200 }).probe('/x.mp4')).rejects.toThrow(/timed out after 200 ms/);
    expect(Date.now() - t).toBeLessThan(3000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists an unreadable folder and keeps the items it held', async () => {
    const media = tempDir();
    const dataDir = tempDir('stowaway-data-');
    await makeClip(media, 'Locked/Inside (2000).mp4');
    const db = openDatabase(path.join(dataDir, 'db.sqlite'));
    const scanner = new LibraryScanner({ roots: [media], prober: new MediaProber(mediaBinaries().ffprobe), writer: new LibraryWriter(db) });
    await scanner.scan();
    const locked = path.join(media, 'Locked');
    fs.chmodSync(locked, 0o000);
    // Root reads through mode 000 (CI runs as root): there, the kernel's answer for others is injected.
    const realReaddir = fs.promises.readdir;
    const spy =
      process.getuid?.() === 0
        ? vi.spyOn(fs.promises, 'readdir').mockImplementation(((dir: fs.PathLike, opts: unknown) => {
            if (String(dir) === locked)
              return Promise.reject(Object.assign(new Error(`EACCES: permission denied, scandir '${locked}'`), { code: 'EACCES' }));
            return (realReaddir as any)(dir, opts);
          }) as any)
        : undefined;
    try {
      const report = await scanner.scan();
      expect(report.removed).toBe(0);
      expect(report.issues).toEqual([
        expect.objectContaining({ path: path.join(media, 'Locked'), reason: expect.stringMatching(/cannot read folder: EACCES/) }),
      ]);
    } finally {
      spy?.mockRestore();
      fs.chmodSync(path.join(media, 'Locked'), 0o755);
      db.close();
      fs.rmSync(media, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
