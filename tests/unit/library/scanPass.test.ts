import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MediaStream } from '../../../src/shared/api/items.js';
import type { KnownFile, ScannedFile, WrittenItem } from '../../../src/server/library/libraryWriter.js';
import type { ProbeResult } from '../../../src/server/library/probe.js';
import { ScanPass, type ScanPassContext } from '../../../src/server/library/scanPass.js';
import type { Candidate } from '../../../src/server/library/mediaWalk.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

const videoProbe = (streams: MediaStream[] = [{ Type: 'Video', Index: 0, Codec: 'h264' } as MediaStream]): ProbeResult => ({
  formatName: 'mov,mp4',
  container: 'mp4',
  streams,
  tags: {},
});

/** A writer that records batches and can refuse files by name. */
class FakeWriter {
  batches: string[][] = [];
  layouts: ScannedFile['layout'][] = [];
  sidecarUpdates: string[] = [];
  refuse = new Set<string>();
  writeFiles(files: ScannedFile[]): WrittenItem[] {
    this.batches.push(files.map((f) => path.basename(f.path)));
    this.layouts.push(...files.map((f) => f.layout));
    const bad = files.find((f) => this.refuse.has(path.basename(f.path)));
    if (bad) throw new Error(`constraint failed for ${path.basename(bad.path)}`);
    return files.map((f) => ({ id: `id:${path.basename(f.path)}`, change: 'added' as const }));
  }
  updateSidecars(id: string): void {
    this.sidecarUpdates.push(id);
  }
}

describe('ScanPass', () => {
  let dir: string;
  let writer: FakeWriter;
  let probed: string[];
  let probe: (file: string) => ProbeResult;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-pass-'));
    writer = new FakeWriter();
    probed = [];
    probe = () => videoProbe();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function file(name: string, bytes = 'not really media, but the fake prober says so'): Candidate {
    const full = path.join(dir, name);
    fs.writeFileSync(full, bytes);
    return { path: full, kind: 'video', siblings: fs.readdirSync(dir) };
  }

  function pass(known: ReadonlyMap<string, KnownFile> = new Map(), batchSize = 25): ScanPass {
    const ctx: ScanPassContext = {
      writer,
      scanId: 7,
      known,
      roots: [dir],
      prober: {
        probe: async (f) => {
          probed.push(path.basename(f));
          return probe(f);
        },
        lastPacketSeconds: async () => undefined,
      },
      batchSize,
      log: silent,
    };
    return new ScanPass(ctx, [{ path: '/gone', reason: 'media folder unavailable: ENOENT' }]);
  }

  it('keeps the walk’s issues and adds an empty file as one, without probing it', async () => {
    const p = pass();
    await p.visit(file('Empty (2020).mp4', ''));
    expect(probed).toEqual([]);
    expect(p.issues).toEqual([
      { path: '/gone', reason: 'media folder unavailable: ENOENT' },
      { path: path.join(dir, 'Empty (2020).mp4'), reason: 'empty file (0 bytes)' },
    ]);
  });

  it('does not probe a file whose size and time are unchanged, and counts it as seen', async () => {
    const c = file('Known (2020).mp4');
    const st = fs.statSync(c.path);
    const known = new Map([[c.path, { id: 'k1', size: st.size, mtimeMs: Math.floor(st.mtimeMs), sidecarKey: '', hasImage: true }]]);
    const p = pass(known);
    await p.visit(c);
    p.flush();
    expect(probed).toEqual([]);
    expect(p.seen).toEqual(['k1']);
    expect(writer.batches).toEqual([]);
  });

  it('writes only the sidecar change of an unchanged video that gained a subtitle', async () => {
    const c = file('Known (2020).mp4');
    const st = fs.statSync(c.path);
    fs.writeFileSync(path.join(dir, 'Known (2020).en.srt'), '1\n00:00:01,000 --> 00:00:02,000\nHi\n');
    const known = new Map([[c.path, { id: 'k1', size: st.size, mtimeMs: Math.floor(st.mtimeMs), sidecarKey: '', hasImage: true }]]);
    const p = pass(known);
    await p.visit({ ...c, siblings: fs.readdirSync(dir) });
    expect(writer.sidecarUpdates).toEqual(['k1']);
    expect(p.written).toEqual([{ id: 'k1', change: 'updated' }]);
    expect(p.seen).toEqual([]);
  });

  it('lists an unchanged file that was cut short as an issue again, and as incomplete', async () => {
    const c = file('Cut (2020).mp4');
    const st = fs.statSync(c.path);
    const reason = 'the file ends at 0:05 of 0:10 — it is incomplete';
    const known = new Map([
      [c.path, { id: 'k1', size: st.size, mtimeMs: Math.floor(st.mtimeMs), sidecarKey: '', hasImage: true, incomplete: reason }],
    ]);
    const p = pass(known);
    await p.visit(c);
    expect(p.issues.at(-1)).toEqual({ path: c.path, reason });
    expect(p.incompletePaths.has(c.path)).toBe(true);
  });

  it('refuses a video file without audio or video streams', async () => {
    probe = () => videoProbe([]);
    const p = pass();
    const c = file('Words (2020).mp4');
    await p.visit(c);
    p.flush();
    expect(p.issues.at(-1)).toEqual({ path: c.path, reason: 'no audio or video streams' });
    expect(writer.batches).toEqual([]);
    expect(p.probed).toBe(1);
  });

  it('writes in batches of batchSize, parsing the layout from the path', async () => {
    const p = pass(new Map(), 2);
    for (const name of ['A (2001).mp4', 'B (2002).mp4', 'C (2003).mp4']) await p.visit(file(name));
    expect(writer.batches).toEqual([['A (2001).mp4', 'B (2002).mp4']]);
    p.flush();
    expect(writer.batches).toEqual([['A (2001).mp4', 'B (2002).mp4'], ['C (2003).mp4']]);
    expect(p.written.map((w) => w.id)).toEqual(['id:A (2001).mp4', 'id:B (2002).mp4', 'id:C (2003).mp4']);
    expect(writer.layouts[0]).toEqual({ type: 'Movie', name: 'A', year: 2001 });
  });

  it('retries a failed batch one file at a time, so one bad row costs only itself', async () => {
    writer.refuse.add('B (2002).mp4');
    const p = pass(new Map(), 3);
    for (const name of ['A (2001).mp4', 'B (2002).mp4', 'C (2003).mp4']) await p.visit(file(name));
    expect(p.written.map((w) => w.id)).toEqual(['id:A (2001).mp4', 'id:C (2003).mp4']);
    expect(p.issues.at(-1)).toEqual({
      path: path.join(dir, 'B (2002).mp4'),
      reason: 'could not be saved: constraint failed for B (2002).mp4',
    });
  });
});
