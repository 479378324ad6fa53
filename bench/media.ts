/** Bench media, generated on the spot with ffmpeg's lavfi sources (never committed, like test media). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeClip, type ClipSpec } from '../src/server/library/clipWriter.js';
import type { MediaBinaries } from '../src/server/media/binaries.js';
import { testToolchain } from '../tests/helpers/toolchain.js';

// The toolchain the server picks (same selection and verdict cache as the tests), so a baseline of bare
// ffmpeg runs the same binary as the engine it is compared with.
const chosen: MediaBinaries = await testToolchain();
export function binaries(): MediaBinaries {
  return chosen;
}

export async function makeVideo(out: string, spec: ClipSpec): Promise<string> {
  await writeClip(binaries().ffmpeg, spec, out);
  return out;
}

/**
 * Runs ffmpeg with `args` and resolves with the wall time in ms. stdout and stderr are drained as the
 * runner drains them (`-progress pipe:1` would otherwise block on a full pipe).
 */
export function timeFfmpeg(args: readonly string[], niceness = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(binaries().ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    if (niceness && child.pid) os.setPriority(child.pid, niceness);
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`ffmpeg exited ${code}: ${stderr}`)),
    );
  });
}

/** `clip` repeated (stream copy, no re-encode) until the file is at least `minBytes`: a big file in seconds. */
export async function loopToSize(clip: string, out: string, minBytes: number): Promise<string> {
  const loops = Math.ceil(minBytes / fs.statSync(clip).size);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await timeFfmpeg([
    '-v',
    'error',
    '-y',
    '-nostdin',
    '-stream_loop',
    String(loops - 1),
    '-i',
    clip,
    '-c',
    'copy',
    '-movflags',
    '+faststart',
    out,
  ]);
  return out;
}
