import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaStream } from '../../../src/shared/api/items.js';
import { openDatabase, type Db } from '../../../src/server/db/connection.js';
import { ensureDemoLibrary } from '../../../src/server/library/demoLibrary.js';
import { LibraryWriter } from '../../../src/server/library/libraryWriter.js';
import { MediaProber } from '../../../src/server/library/probe.js';
import { LibraryScanner } from '../../../src/server/library/scanner.js';
import { mediaBinaries, tempDir } from '../../helpers/media.js';

describe('demo library', () => {
  let dataDir: string;
  let dir: string;
  let db: Db;
  let wallMs: number;

  beforeAll(async () => {
    dataDir = tempDir('stowaway-demo-');
    const t = Date.now();
    dir = await ensureDemoLibrary({ ffmpegPath: mediaBinaries().ffmpeg, dataDir });
    wallMs = Date.now() - t;
    console.log(`demo library generated in ${wallMs} ms`);
    db = openDatabase(path.join(dataDir, 'db.sqlite'));
    await new LibraryScanner({ roots: [dir], prober: new MediaProber(mediaBinaries().ffprobe), writer: new LibraryWriter(db) }).scan();
  }, 120_000);

  afterAll(() => {
    db?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is generated under <dataDir>/demo-media in well under a minute', () => {
    expect(dir).toBe(path.join(dataDir, 'demo-media'));
    expect(wallMs).toBeLessThan(60_000);
  });

  it('is idempotent: a second call finds the marker and does nothing', async () => {
    const before = fs.statSync(path.join(dir, 'Movies/Big Buck Test (2021)/Big Buck Test (2021).mp4')).mtimeMs;
    const t = Date.now();
    await ensureDemoLibrary({ ffmpegPath: mediaBinaries().ffmpeg, dataDir });
    expect(Date.now() - t).toBeLessThan(500);
    expect(fs.statSync(path.join(dir, 'Movies/Big Buck Test (2021)/Big Buck Test (2021).mp4')).mtimeMs).toBe(before);
  });

  it('leaves no temp files behind and scans without issues', () => {
    const all = fs.readdirSync(dir, { recursive: true }) as string[];
    expect(all.filter((f) => /partial|\.work-/.test(f))).toEqual([]);
    expect(db.prepare('SELECT * FROM scan_issues').all()).toEqual([]);
  });

  it('holds every case the play decision needs', () => {
    const movies = db
      .prepare("SELECT name, container, bitrate, media_streams FROM items WHERE type = 'Movie' ORDER BY name")
      .all() as Array<{
      name: string;
      container: string;
      bitrate: number;
      media_streams: string;
    }>;
    const codecs = Object.fromEntries(
      movies.map((m) => {
        const s = JSON.parse(m.media_streams) as MediaStream[];
        return [m.name, `${m.container}:${s.find((x) => x.Type === 'Video')?.Codec}/${s.find((x) => x.Type === 'Audio')?.Codec}`];
      }),
    );
    expect(codecs).toEqual({
      'Big Buck Test': 'mp4:h264/aac',
      'Colour Bars': 'mkv:h264/ac3',
      'High Rate Sample': 'mp4:h264/aac',
      'Mandelbrot Dreams': 'mkv:hevc/aac',
      'Test Card Nights': 'mkv:vp9/opus',
    });
    expect(movies.find((m) => m.name === 'High Rate Sample')!.bitrate).toBeGreaterThan(4_000_000);
    expect(movies.find((m) => m.name === 'Big Buck Test')!.bitrate).toBeLessThan(4_000_000);
  });

  it('has a two-season series with embedded and sidecar subtitles', () => {
    const eps = db
      .prepare("SELECT parent_index_number s, index_number e, name, media_streams FROM items WHERE type = 'Episode' ORDER BY s, e")
      .all() as Array<{ s: number; e: number; name: string; media_streams: string }>;
    expect(eps.map((e) => `S${e.s}E${e.e} ${e.name}`)).toEqual([
      'S1E1 Pilot',
      'S1E2 The Signal',
      'S1E3 Subtitles Included',
      'S2E1 Second Wind',
      'S2E2 Bars and Tones',
    ]);
    const subs = (i: number) => (JSON.parse(eps[i]!.media_streams) as MediaStream[]).filter((s) => s.Type === 'Subtitle');
    expect(subs(0)).toEqual([expect.objectContaining({ IsExternal: true, Language: 'eng', Path: 'Demo Show - S01E01 - Pilot.en.srt' })]);
    expect(subs(2)).toEqual([expect.objectContaining({ IsExternal: false, Codec: 'subrip' })]);
    expect(subs(3)).toEqual([expect.objectContaining({ IsExternal: false, Codec: 'mov_text' })]);
  });

  it('has a tagged album with cover art, genres and studios', () => {
    const tracks = db
      .prepare(
        "SELECT name, index_number, album, album_artist, production_year, media_streams FROM items WHERE type = 'Audio' ORDER BY index_number",
      )
      .all() as Array<{
      name: string;
      media_streams: string;
    }>;
    expect(tracks).toHaveLength(3);
    expect(tracks[0]).toMatchObject({
      name: 'Opening Tone',
      index_number: 1,
      album: 'Sine Language',
      album_artist: 'Test Pattern Orchestra',
      production_year: 2020,
    });
    expect((JSON.parse(tracks[0]!.media_streams) as MediaStream[]).some((s) => s.Type === 'EmbeddedImage')).toBe(true);
    const names = (type: string) => db.prepare('SELECT name FROM items WHERE type = ? ORDER BY name').pluck().all(type);
    expect(names('MusicGenre')).toEqual(['Electronic']);
    expect(names('Genre')).toEqual(expect.arrayContaining(['Comedy', 'Documentary', 'Science Fiction']));
    expect(names('Studio')).toEqual(expect.arrayContaining(['Test Pattern Studios', 'Fractal Pictures']));
    expect(names('Photo')).toHaveLength(2);
  });
});
