import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface MediaBinaries {
  ffmpeg: string;
  ffprobe: string;
}

export type ToolKind = keyof MediaBinaries;

/** Where the npm packages put their static build, or undefined when the platform's package is missing. */
export function npmBinary(kind: ToolKind): string | undefined {
  try {
    const pkg = kind === 'ffmpeg' ? '@ffmpeg-installer/ffmpeg' : '@ffprobe-installer/ffprobe';
    const bin = (require(pkg) as { path: string }).path;
    ensureExecutable(bin);
    return bin;
  } catch {
    return undefined;
  }
}

/** The ffprobe package installs its binary as mode 0744, which is not executable for other users. */
export function ensureExecutable(bin: string): void {
  try {
    const mode = fs.statSync(bin).mode;
    if ((mode & 0o111) !== 0o111) fs.chmodSync(bin, mode | 0o111);
  } catch {
    // A system binary we may not chmod, or a missing one: spawning it reports the real error.
  }
}

/**
 * FFMPEG_PATH/FFPROBE_PATH, else the npm packages, with no self-test.
 * @deprecated Nothing in the tree uses it any more: the server, the worker, the tests and the benchmarks choose
 * with `selectToolchain` (media/toolchain.ts; tests: `testToolchain()`), which skips an ffprobe that crashes on
 * MPEG-TS. Kept one round for branches written against it.
 */
export function resolveMediaBinaries(overrides: { ffmpegPath?: string; ffprobePath?: string } = {}): MediaBinaries {
  const ffmpeg = overrides.ffmpegPath ?? process.env.FFMPEG_PATH ?? npmBinary('ffmpeg') ?? 'ffmpeg';
  const ffprobe = overrides.ffprobePath ?? process.env.FFPROBE_PATH ?? npmBinary('ffprobe') ?? 'ffprobe';
  return { ffmpeg, ffprobe };
}
