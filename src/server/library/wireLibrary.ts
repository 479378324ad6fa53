import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.js';
import type { Db } from '../db/connection.js';
import type { Toolchain } from '../media/toolchain.js';
import { ensureDemoLibrary } from './demoLibrary.js';
import { ImageService } from './images.js';
import { LibraryWriter } from './libraryWriter.js';
import { MediaProber } from './probe.js';
import { LibraryScanner } from './scanner.js';
import { LibraryWatcher } from './watcher.js';
import { cameraUploadsRoot } from '../uploads/uploadPaths.js';

/** The library services a server wires once (app.ts) and the library routes use. */
export interface LibraryServices {
  scanner: LibraryScanner;
  writer: LibraryWriter;
  images: ImageService;
}

export interface Library extends LibraryServices {
  /** First run with no media folder: the demo library; then the first scan and the watcher. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The configured media folders, or the generated demo library when none is configured; plus the camera
 * uploads folder, so uploaded photos and videos are scanned like any other media.
 */
export function libraryRoots(config: ServerConfig): string[] {
  const media = config.mediaDirs.length ? config.mediaDirs : [path.join(config.dataDir, 'demo-media')];
  return [...media, cameraUploadsRoot(config.dataDir)];
}

export function wireLibrary(
  config: ServerConfig,
  db: Db,
  binaries: Pick<Toolchain, 'ffmpeg' | 'ffprobe' | 'probers'>,
  log: Logger,
): Library {
  const writer = new LibraryWriter(db);
  const images = new ImageService({
    ffmpegPath: binaries.ffmpeg,
    dataDir: config.dataDir,
    logger: log,
    cacheBytes: config.imageCacheBytes,
  });
  const roots = libraryRoots(config);
  // Created up front: a missing root reads as an unmounted disk in the scan report.
  fs.mkdirSync(cameraUploadsRoot(config.dataDir), { recursive: true });
  const scanner = new LibraryScanner({ roots, prober: new MediaProber(binaries.probers), writer, images, logger: log });
  let watcher: LibraryWatcher | undefined;
  return {
    scanner,
    writer,
    images,
    async start() {
      if (!config.mediaDirs.length) {
        const started = Date.now();
        const progress = scanner.progress;
        try {
          await ensureDemoLibrary({
            ffmpegPath: binaries.ffmpeg,
            dataDir: config.dataDir,
            logger: log,
            onProgress: (done, total) => (done === 0 ? progress.begin('GeneratingDemo', total) : progress.step()),
          });
        } finally {
          progress.idle();
        }
        log.info({ ms: Date.now() - started }, 'demo library ready');
      }
      const report = await scanner.scan();
      log.info({ report: { ...report, issues: undefined } }, 'library scanned');
      if (config.watch) {
        watcher = new LibraryWatcher({
          roots,
          onChange: () => void scanner.scan().catch((err) => log.error({ err }, 'scan failed')),
          logger: log,
        });
      }
    },
    async close() {
      await watcher?.close();
    },
  };
}
