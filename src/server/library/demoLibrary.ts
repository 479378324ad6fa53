/**
 * The demo library: when no media folder is configured, a small library is generated with ffmpeg's test
 * sources so every play decision can be seen at once — direct play (H.264/AAC MP4), remux (H.264 + AC3
 * in MKV), transcode (HEVC, VP9), a bitrate over the Medium cap, embedded and sidecar subtitles, and a
 * tagged album with cover art (the files: demoCatalog.ts). Seconds-long clips at small sizes: generated in
 * well under a minute on 2 cores. Files are written under hidden temp names and renamed, so a scan never
 * sees half a file, and a marker makes a second call free.
 */
import fs from 'node:fs';
import path from 'node:path';
import { demoFiles, type DemoFile } from './demoCatalog.js';
import type { LibraryLogger } from './images.js';
import { silentLogger } from './images.js';

/** Bump when the generated content changes: an older demo folder is then rebuilt. */
export const DEMO_LIBRARY_VERSION = 1;
const MARKER = '.stowaway-demo.json';

export interface DemoLibraryOptions {
  ffmpegPath: string;
  dataDir: string;
  logger?: LibraryLogger;
  /** ffmpeg processes at once (2 fits a 2-core box). */
  concurrency?: number;
  /** Called with (files written, files to write) as generation goes. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Ensures `<dataDir>/demo-media` holds the current demo library and returns it. Idempotent: a complete
 * folder of this version is returned untouched; an older or interrupted one is completed.
 */
export async function ensureDemoLibrary(opts: DemoLibraryOptions): Promise<string> {
  const dir = path.join(opts.dataDir, 'demo-media');
  const log = opts.logger ?? silentLogger;
  const markerPath = path.join(dir, MARKER);
  const marker = readMarker(markerPath);
  if (marker?.version === DEMO_LIBRARY_VERSION && marker.complete) return dir;
  if (marker && marker.version !== DEMO_LIBRARY_VERSION) {
    // Our own folder: an older demo is replaced as a whole, not merged.
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = await fs.promises.mkdtemp(path.join(dir, '.work-'));
  const started = Date.now();
  try {
    const files = byCostFirst(demoFiles(opts.ffmpegPath)).filter((f) => !fs.existsSync(path.join(dir, f.rel)));
    let next = 0;
    let done = 0;
    opts.onProgress?.(0, files.length);
    const worker = async () => {
      while (next < files.length) {
        const f = files[next++]!;
        const out = path.join(dir, f.rel);
        await fs.promises.mkdir(path.dirname(out), { recursive: true });
        const t0 = Date.now();
        await f.make(out, tmp);
        log.debug({ file: f.rel, ms: Date.now() - t0 }, 'demo file written');
        opts.onProgress?.(++done, files.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
  await fs.promises.writeFile(
    markerPath,
    JSON.stringify({ version: DEMO_LIBRARY_VERSION, complete: true, date: new Date().toISOString() }),
  );
  log.info({ dir, ms: Date.now() - started }, 'demo library generated');
  return dir;
}

/**
 * The costliest encodes first, so two workers finish together instead of one starting the 720p clip last
 * (measured order: the 7 Mbps 720p H.264, HEVC, VP9, the 8 s movie, then the 4–5 s clips and stills).
 */
function byCostFirst(files: DemoFile[]): DemoFile[] {
  const heavy = ['High Rate Sample', 'Mandelbrot Dreams', 'Test Card Nights', 'Big Buck Test'];
  const rank = (f: DemoFile) => {
    const i = heavy.findIndex((h) => f.rel.includes(h));
    return i < 0 ? heavy.length : i;
  };
  return [...files].sort((a, b) => rank(a) - rank(b));
}

function readMarker(file: string): { version: number; complete: boolean } | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number; complete: boolean };
  } catch {
    return undefined;
  }
}
