import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ConversionEngine } from '../../../src/server/convert/conversionEngine.js';
import { InProcessQueue } from '../../../src/server/convert/inProcessQueue.js';
import { OutputStore } from '../../../src/server/convert/outputStore.js';
import { SyncSettings } from '../../../src/server/sync/syncSettings.js';
import { SettingsRepo } from '../../../src/server/system/settingsRepo.js';
import type { ConversionPlan } from '../../../src/shared/profile/decision.js';
import { addJobItem, aRemuxPlan, binaries, extractSub, makeClips, tempDir, testDb, type Clips } from '../../helpers/convertMedia.js';

const log = pino({ level: 'silent' });
let clips: Clips;

beforeAll(async () => {
  clips = await makeClips({ hevcMkv: false, flac: false, longMkv: false, corruptMkv: false });
});

describe('ConversionEngine (the sync core port)', () => {
  it('ensure → schedule → ready → file paths → release deletes once nothing references the key', async () => {
    const dir = tempDir();
    const db = testDb(dir);
    const store = new OutputStore(db, path.join(dir, 'sync'), log);
    const queue = new InProcessQueue({ store, binaries, settings: new SyncSettings(new SettingsRepo(db), dir), log });
    const engine = new ConversionEngine(store, queue, log);
    await queue.start();
    try {
      const st = fs.statSync(clips.h264Ac3Mkv);
      const input = {
        itemId: 'i1',
        source: { path: clips.h264Ac3Mkv, size: st.size, mtimeMs: st.mtimeMs },
        plan: aRemuxPlan({ subtitles: [extractSub(2)] }),
        priority: 1,
        ownerUserId: 'u1',
      };
      const out = engine.ensureOutput(input);
      expect(out).toMatchObject({ status: 'queued', progress: 0, fileName: 'Movie One.mp4', subtitleFiles: [] });
      expect(engine.ensureOutput(input).key).toBe(out.key);
      const itemId = addJobItem(db, out.key);

      const ready = new Promise((r) => engine.events.once('ready', r));
      engine.schedule(out.key, 1);
      await ready;
      const state = engine.getOutput(out.key)!;
      expect(state).toMatchObject({
        status: 'ready',
        fileName: 'Movie One.mp4',
        subtitleFiles: [{ Name: 'Movie One.2.vtt', Index: 2, Codec: 'vtt' }],
      });
      expect(fs.statSync(engine.outputFilePath(out.key)!).size).toBe(state.size);
      expect(fs.readFileSync(engine.outputFilePath(out.key, 'Movie One.2.vtt')!, 'utf8')).toMatch(/^WEBVTT/);
      expect(engine.outputFilePath(out.key, '../../etc/passwd')).toBeUndefined();

      // A direct plan: the source is served, so no fileName/size — only the hash and sidecars.
      const directPlan: ConversionPlan = { kind: 'direct', mediaType: 'Video', subtitles: [], reasons: [] };
      const ds = fs.statSync(clips.directMp4);
      const direct = engine.ensureOutput({
        ...input,
        source: { path: clips.directMp4, size: ds.size, mtimeMs: ds.mtimeMs },
        plan: directPlan,
      });
      addJobItem(db, direct.key);
      const directReady = new Promise((r) => engine.events.once('ready', r));
      engine.schedule(direct.key, 1);
      await directReady;
      const d = engine.getOutput(direct.key)!;
      expect(d.fileName).toBeUndefined();
      expect(d.size).toBeUndefined();
      expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(engine.outputFilePath(direct.key)).toBe(clips.directMp4);

      db.prepare(`UPDATE sync_job_items SET status = 'Cancelled' WHERE id = ?`).run(itemId);
      engine.release(out.key);
      // Release works after the current call (cancel, then files, then the row): wait for the row to go.
      await vi.waitFor(() => expect(engine.getOutput(out.key)).toBeUndefined(), { timeout: 15_000, interval: 20 });
      expect(fs.existsSync(store.layout.dir(out.key))).toBe(false);
      expect(fs.existsSync(clips.h264Ac3Mkv)).toBe(true);
    } finally {
      await queue.stop();
    }
  });
});
