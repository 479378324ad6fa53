/**
 * Legacy-encoded sidecar subtitles beside a real clip come out as UTF-8 WebVTT with the right words
 * (real scan, real ffmpeg conversion).
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaStream } from '../../../src/shared/api/items.js';
import { openDatabase, type Db } from '../../../src/server/db/connection.js';
import { stableId } from '../../../src/server/ids.js';
import { ItemsRepo } from '../../../src/server/library/itemsRepo.js';
import { LibraryWriter } from '../../../src/server/library/libraryWriter.js';
import { MediaProber } from '../../../src/server/library/probe.js';
import { LibraryScanner } from '../../../src/server/library/scanner.js';
import { SubtitleVttCache } from '../../../src/server/playback/subtitleVtt.js';
import { makeClip, mediaBinaries, tempDir } from '../../helpers/media.js';

/** File language code → [encoding, line]; the scanner reports the ISO 639-2 code. */
const LINES: Record<string, [string, string, string]> = {
  ru: ['windows-1251', 'Мы встретимся завтра утром у старого моста.', 'rus'],
  pl: ['iso-8859-2', 'Dzień dobry, jak się masz? Żółć gęślą jaźń.', 'pol'],
  zh: ['big5', '你好，今天天氣很好。我們明天早上在老橋見面。', 'chi'],
  ja: ['shift_jis', 'こんにちは、元気ですか。明日の朝、古い橋で会いましょう。', 'jpn'],
};
const byIso = Object.fromEntries(Object.values(LINES).map(([, line, iso]) => [iso, line]));

let media: string;
let dataDir: string;
let db: Db;
let items: ItemsRepo;
let id: string;

beforeAll(async () => {
  media = tempDir();
  dataDir = tempDir('stowaway-data-');
  const video = await makeClip(media, 'Movies/Polyglot (2020).mp4', { seconds: 3 });
  for (const [lang, [encoding, line]] of Object.entries(LINES)) {
    const srt = `1\r\n00:00:00,500 --> 00:00:02,000\r\n${line}\r\n`;
    fs.writeFileSync(video.replace(/\.mp4$/, `.${lang}.srt`), iconv.encode(srt, encoding));
  }
  db = openDatabase(path.join(dataDir, 'db.sqlite'));
  await new LibraryScanner({ roots: [media], prober: new MediaProber(mediaBinaries().probers), writer: new LibraryWriter(db) }).scan();
  items = new ItemsRepo(db);
  id = stableId(video);
});

afterAll(() => {
  db?.close();
  fs.rmSync(media, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('legacy-encoded sidecar subtitles', () => {
  it('become UTF-8 WebVTT with the original words, one per language', async () => {
    const row = items.get(id)!;
    const subs = (JSON.parse(row.media_streams) as MediaStream[]).filter((s) => s.Type === 'Subtitle' && s.IsExternal);
    expect(subs.map((s) => s.Language).sort()).toEqual(Object.keys(byIso).sort());
    const vtt = new SubtitleVttCache(path.join(dataDir, 'vtt'), mediaBinaries().ffmpeg);
    for (const s of subs) {
      const text = fs.readFileSync(await vtt.vttFor(row, s.Index), 'utf8');
      expect(text.startsWith('WEBVTT')).toBe(true);
      expect(text).toContain(byIso[s.Language!]);
      expect(text).not.toContain('\r');
    }
  });
});
