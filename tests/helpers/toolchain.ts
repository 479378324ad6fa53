/**
 * Tests use the toolchain the server would choose, through the same selection code (media/toolchain.ts),
 * with one shared verdict cache so each test server does not repeat the self-test.
 */
import os from 'node:os';
import path from 'node:path';
import { selectToolchain, type Toolchain } from '../../src/server/media/toolchain.js';

/** Shared by every test process of this user; verdicts are keyed by binary, so sharing is safe. */
export const TEST_TOOLCHAIN_CACHE = path.join(os.tmpdir(), `stowaway-test-toolchain-${process.getuid?.() ?? 'user'}`);

let chosen: Promise<Toolchain> | undefined;

export function testToolchain(): Promise<Toolchain> {
  chosen ??= selectToolchain({
    ffmpegPath: process.env.FFMPEG_PATH?.trim() || undefined,
    ffprobePath: process.env.FFPROBE_PATH?.trim() || undefined,
    cacheDir: TEST_TOOLCHAIN_CACHE,
  });
  return chosen;
}
