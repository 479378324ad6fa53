/**
 * The real selection on real binaries: the chosen ffmpeg/ffprobe, a prober that crashes on MPEG-TS (as
 * every npm ffprobe does on this machine kind) skipped at start-up and on a single file, and the verdict
 * cache that keeps the second start cheap.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaProber } from '../../../src/server/library/probe.js';
import { selectToolchain, type Toolchain } from '../../../src/server/media/toolchain.js';
import { tempDir } from '../../helpers/media.js';
import { TEST_TOOLCHAIN_CACHE, testToolchain } from '../../helpers/toolchain.js';
import { samplesDir } from '../../../src/server/media/selfTestSamples.js';

let real: Toolchain;
let dir: string;
let crasher: string;
let crasherLog: string;
let tsFile: string;

beforeAll(async () => {
  real = await testToolchain();
  dir = tempDir('stowaway-toolchain-');
  crasherLog = path.join(dir, 'crasher.log');
  // A prober that dies of SIGSEGV on any .ts input and behaves like the real one otherwise.
  crasher = path.join(dir, 'ffprobe-crashes-on-ts');
  fs.writeFileSync(
    crasher,
    `#!/bin/sh\necho run >> '${crasherLog}'\nfor a; do case "$a" in *.ts) kill -SEGV $$ ;; esac; done\nexec '${real.ffprobe}' "$@"\n`,
    { mode: 0o755 },
  );
  tsFile = path.join(dir, 'Recording.ts');
  execFileSync(real.ffmpeg, [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=160x90:rate=25:duration=1',
    '-c:v',
    'mpeg2video',
    '-f',
    'mpegts',
    tsFile,
  ]);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A fresh verdict cache with the shared samples in it (writing them again would only cost time). */
function freshCache(name: string): string {
  const cacheDir = path.join(dir, name);
  fs.cpSync(samplesDir(TEST_TOOLCHAIN_CACHE), samplesDir(cacheDir), { recursive: true });
  return cacheDir;
}

const runs = () => (fs.existsSync(crasherLog) ? fs.readFileSync(crasherLog, 'utf8').split('\n').filter(Boolean).length : 0);

describe('media toolchain selection', () => {
  it('chooses binaries that passed the self-test and knows their version, encoders and filters', () => {
    expect(real.ffmpegInfo.selfTest).toBe('passed');
    expect(real.ffprobeInfo.selfTest).toBe('passed');
    expect(real.ffmpegInfo.version).toMatch(/\S/);
    expect(real.hasEncoder('libx264')).toBe(true);
    expect(real.hasEncoder('no-such-encoder')).toBe(false);
    expect(real.hasFilter('scale')).toBe(true);
    expect(real.hasFilter('no-such-filter')).toBe(false);
  });

  it('skips a configured ffprobe that crashes on the MPEG-TS sample, says why, and takes the next', async () => {
    const warnings: string[] = [];
    const cacheDir = freshCache('cache-skip');
    const chosen = await selectToolchain({
      ffprobePath: crasher,
      cacheDir,
      log: { info() {}, warn: (_o, msg) => warnings.push(String(msg)) },
    });
    expect(chosen.ffprobe).not.toBe(crasher);
    expect(chosen.ffprobeInfo.selfTest).toBe('passed');
    expect(chosen.skipped).toContainEqual(
      expect.objectContaining({ kind: 'ffprobe', path: crasher, source: 'configured', reason: 'crashed (SIGSEGV) on the MPEG-TS sample' }),
    );
    expect(warnings).toContain('ffprobe skipped: crashed (SIGSEGV) on the MPEG-TS sample');
    // The crashing binary stays last in line for per-file retries, never first.
    expect(chosen.probers[0]).toBe(chosen.ffprobe);
  });

  it('uses only the configured binaries when discovery is off, even if they do not run', async () => {
    const gone = path.join(dir, 'nowhere', 'ffprobe');
    const chosen = await selectToolchain({ ffprobePath: gone, discover: false, cacheDir: freshCache('cache-strict') });
    expect(chosen.ffprobe).toBe(gone);
    expect(chosen.ffprobeInfo).toMatchObject({ selfTest: 'failed', reason: 'cannot be started (ENOENT)' });
    expect(chosen.probers).toEqual([gone]);
    // No FFMPEG_PATH and no discovery: the bare name, left to the system's PATH when it is spawned.
    expect(chosen.ffmpeg).toBe('ffmpeg');
  });

  it('remembers a verdict per binary and tests it again when the binary changes', async () => {
    const cacheDir = freshCache('cache-verdicts');
    await selectToolchain({ ffprobePath: crasher, cacheDir });
    const afterFirst = runs();
    await selectToolchain({ ffprobePath: crasher, cacheDir });
    expect(runs()).toBe(afterFirst);
    // A replaced binary (new size and mtime) is a new binary.
    fs.appendFileSync(crasher, '# upgraded\n');
    fs.utimesSync(crasher, new Date(), new Date(Date.now() + 5000));
    await selectToolchain({ ffprobePath: crasher, cacheDir });
    expect(runs()).toBeGreaterThan(afterFirst);
  });

  it('retries a file that crashes one prober with the next before calling it unreadable', async () => {
    const probe = await new MediaProber([crasher, real.ffprobe]).probe(tsFile);
    expect(probe.container).toBe('ts');
    expect(probe.streams.map((s) => s.Codec)).toEqual(['mpeg2video']);
    await expect(new MediaProber([crasher]).probe(tsFile)).rejects.toThrow(/every ffprobe crashed on this file: .* crashed \(SIGSEGV\)/);
  });
});
