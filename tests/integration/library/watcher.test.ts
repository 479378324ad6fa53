import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/server/db/connection.js';
import { LibraryWriter } from '../../../src/server/library/libraryWriter.js';
import { MediaProber } from '../../../src/server/library/probe.js';
import { LibraryScanner, type LibraryChange } from '../../../src/server/library/scanner.js';
import { silentLogger } from '../../../src/server/library/images.js';
import { LibraryWatcher } from '../../../src/server/library/watcher.js';
import { makeClip, mediaBinaries, tempDir } from '../../helpers/media.js';

describe('LibraryWatcher', () => {
  let media: string;
  let staging: string;
  let dataDir: string;
  let db: Db;
  let scanner: LibraryScanner;
  let watcher: LibraryWatcher;
  let scans = 0;
  const seen: string[] = [];

  beforeAll(async () => {
    media = tempDir();
    staging = tempDir('stowaway-staging-');
    dataDir = tempDir('stowaway-data-');
    await makeClip(media, 'Movies/First (2001).mp4');
    // Made outside the watched tree, so that arriving is one rename, as a finished copy would be.
    await makeClip(staging, 'Second (2002).mp4');
    db = openDatabase(path.join(dataDir, 'db.sqlite'));
    scanner = new LibraryScanner({ roots: [media], prober: new MediaProber(mediaBinaries().ffprobe), writer: new LibraryWriter(db) });
    await scanner.scan();
    watcher = new LibraryWatcher({
      roots: [media],
      debounceMs: 300,
      // Every path the watcher reports, as it logs them.
      logger: { ...silentLogger, debug: (obj) => void seen.push((obj as { path: string }).path) },
      onChange: () => {
        scans++;
        return scanner.scan();
      },
    });
    await watcher.ready();
  });

  afterAll(async () => {
    await watcher?.close();
    db?.close();
    for (const d of [media, staging, dataDir]) fs.rmSync(d, { recursive: true, force: true });
  });

  const nextChange = () =>
    new Promise<LibraryChange>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no library change within 10 s')), 10_000);
      scanner.once('changed', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });

  it('rescans once after a burst of changes settles', async () => {
    const change = nextChange();
    fs.renameSync(path.join(staging, 'Second (2002).mp4'), path.join(media, 'Movies/Second (2002).mp4'));
    fs.writeFileSync(path.join(media, 'Movies/notes.txt'), 'not media');
    fs.writeFileSync(path.join(media, 'Movies/notes.txt'), 'still not media');
    const c = await change;
    expect(c.added).toHaveLength(1);
    expect(scans).toBe(1);
    expect(db.prepare("SELECT name FROM items WHERE type = 'Movie' ORDER BY name").pluck().all()).toEqual(['First', 'Second']);
  });

  it('sees deletions', async () => {
    const change = nextChange();
    fs.rmSync(path.join(media, 'Movies/First (2001).mp4'));
    const c = await change;
    expect(c.removed).toHaveLength(1);
  });

  it('ignores hidden temp files', async () => {
    const before = scans;
    const hidden = path.join(media, 'Movies/.Third.mp4.partial');
    const marker = path.join(media, 'Movies/marker.txt');
    const scanned = new Promise<void>((resolve) => scanner.once('scanned', () => resolve()));
    fs.writeFileSync(hidden, 'x');
    // A visible change after it: its debounced rescan comes only once every earlier event has settled, so
    // when it has run, the watcher has had every chance to report the hidden file too.
    fs.writeFileSync(marker, 'x');
    await scanned;
    expect(scans).toBe(before + 1);
    expect(seen).toContain(marker);
    expect(seen).not.toContain(hidden);
  });

  it('stops after close', async () => {
    await watcher.close();
    const before = scans;
    // A second watcher on the same folder witnesses that the change was delivered and has settled. Its
    // quiet period is twice the closed one's, so had that one still been listening, it would have asked
    // for its rescan before the witness reacts.
    let witnessed!: () => void;
    const settled = new Promise<void>((resolve) => (witnessed = resolve));
    const witness = new LibraryWatcher({ roots: [media], debounceMs: 600, onChange: () => witnessed() });
    await witness.ready();
    try {
      fs.writeFileSync(path.join(media, 'Movies/late.txt'), 'x');
      await settled;
      expect(scans).toBe(before);
    } finally {
      await witness.close();
    }
  });
});
