import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface MediaBinaries {
  ffmpeg: string;
  ffprobe: string;
}

/**
 * ffmpeg/ffprobe from FFMPEG_PATH/FFPROBE_PATH, else the npm packages that ship them. The ffprobe package
 * installs its binary as mode 0744, which is not executable for other users: fix that once here.
 */
export function resolveMediaBinaries(overrides: { ffmpegPath?: string; ffprobePath?: string } = {}): MediaBinaries {
  const ffmpeg = overrides.ffmpegPath ?? process.env.FFMPEG_PATH ?? (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  const ffprobe = overrides.ffprobePath ?? process.env.FFPROBE_PATH ?? (require('@ffprobe-installer/ffprobe') as { path: string }).path;
  for (const bin of [ffmpeg, ffprobe]) {
    try {
      const mode = fs.statSync(bin).mode;
      if ((mode & 0o111) !== 0o111) fs.chmodSync(bin, mode | 0o111);
    } catch {
      // A system binary we may not chmod, or a missing one: spawning it reports the real error.
    }
  }
  return { ffmpeg, ffprobe };
}
