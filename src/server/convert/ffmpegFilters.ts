/**
 * Which optional filters an ffmpeg binary has (zscale needs zimg: Debian's 5.1 has it, the npm 4.1 static
 * build does not). Asked once per binary and remembered.
 *
 * The server's toolchain (src/server/media/toolchain.ts) already knows from its self-test (`hasFilter`), and
 * `filterSupport` asks it when given one; a BullMQ worker elsewhere, or a test, hands plain paths and the
 * binary is asked here instead.
 */
import { execFile } from 'node:child_process';
import type { FilterSupport } from './ffmpegArgs.js';

const cache = new Map<string, Promise<Set<string>>>();

function listFilters(ffmpeg: string): Promise<Set<string>> {
  return new Promise((resolve) => {
    execFile(ffmpeg, ['-hide_banner', '-filters'], { timeout: 15_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout) => {
      // A binary that can't list its filters gets the fallbacks, never a failed conversion.
      if (err) return resolve(new Set());
      // Lines look like " TSC zscale            V->V       Apply resizing, colorspace and bit depth conversion."
      const names = stdout
        .split('\n')
        .map((line) => /^\s*[A-Z.|]{2,3}\s+(\S+)\s+\S+->\S+/.exec(line)?.[1])
        .filter((n): n is string => n !== undefined);
      resolve(new Set(names));
    });
  });
}

export async function hasFilter(ffmpeg: string, name: string): Promise<boolean> {
  let filters = cache.get(ffmpeg);
  if (!filters) {
    filters = listFilters(ffmpeg);
    cache.set(ffmpeg, filters);
  }
  return (await filters).has(name);
}

export async function filterSupport(binaries: { ffmpeg: string; hasFilter?: (name: string) => boolean }): Promise<FilterSupport> {
  const has = binaries.hasFilter ? async (name: string) => binaries.hasFilter!(name) : (name: string) => hasFilter(binaries.ffmpeg, name);
  return { zscale: (await has('zscale')) && (await has('tonemap')) };
}
