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

/**
 * A toolchain with the given capabilities and no binaries behind it, for unit tests of code that asks
 * `hasFilter('zscale')` or `hasEncoder('libx265')` (integration tests use `testToolchain()`).
 */
export function aToolchain(o: { encoders?: string[]; filters?: string[]; ffmpeg?: string; ffprobe?: string } = {}): Toolchain {
  const encoders = o.encoders ?? ['libx264', 'aac'];
  const filters = o.filters ?? ['scale'];
  const report = (kind: 'ffmpeg' | 'ffprobe', p: string) => ({
    kind,
    path: p,
    source: 'PATH' as const,
    version: 'test',
    selfTest: 'passed' as const,
  });
  const ffmpeg = o.ffmpeg ?? '/test/ffmpeg';
  const ffprobe = o.ffprobe ?? '/test/ffprobe';
  return {
    ffmpeg,
    ffprobe,
    ffmpegInfo: report('ffmpeg', ffmpeg),
    ffprobeInfo: report('ffprobe', ffprobe),
    probers: [ffprobe],
    skipped: [],
    encoders,
    filters,
    hasEncoder: (n) => encoders.includes(n),
    hasFilter: (n) => filters.includes(n),
    selectedInMs: 0,
  };
}
