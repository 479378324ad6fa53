/**
 * Walks the media folders, probes what is new or changed, and hands the results to the LibraryWriter.
 * A bad file or folder never stops a scan: it is skipped and listed in scan_issues with a reason.
 * Emits `changed` ({ added, updated, removed } item ids) when the library changed, so the sync core can
 * re-expand SyncNewContent jobs at once, and `scanned` (ScanReport) after every scan.
 */
import { EventEmitter } from 'node:events';
import type { MediaStream } from '../../shared/api/items.js';
import type { ImageService, LibraryLogger } from './images.js';
import { silentLogger } from './images.js';
import { forEachLimited, walkRoots, type Candidate } from './mediaWalk.js';
import type { LibraryWriter, ScanIssue, WrittenItem } from './libraryWriter.js';
import type { MediaProber } from './probe.js';
import { ScanPass } from './scanPass.js';
import { ScanProgress } from './scanProgress.js';

export interface LibraryChange {
  added: string[];
  updated: string[];
  removed: string[];
}

export interface ScanReport {
  scanId: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  roots: string[];
  /** Media files found (new, changed and unchanged). */
  files: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Files probed with ffprobe (the rest were unchanged). */
  probed: number;
  imagesExtracted: number;
  issues: ScanIssue[];
}

export interface LibraryScannerOptions {
  roots: readonly string[];
  prober: MediaProber;
  writer: LibraryWriter;
  images?: ImageService;
  logger?: LibraryLogger;
  /** ffprobe/ffmpeg processes at once: 2 keeps a small home server responsive during a scan. */
  concurrency?: number;
  /** Files written per transaction. */
  batchSize?: number;
}

export interface LibraryScannerEvents {
  changed: [LibraryChange];
  scanned: [ScanReport];
}

export class LibraryScanner extends EventEmitter<LibraryScannerEvents> {
  private readonly log: LibraryLogger;
  private readonly concurrency: number;
  private readonly batchSize: number;
  private running: Promise<ScanReport> | undefined;
  private queued: Promise<ScanReport> | undefined;
  private last: ScanReport | undefined;
  private imagesCheckedOnce = false;
  /** Live phase and files done of total; the demo generator reports here too (wireLibrary.ts). */
  readonly progress = new ScanProgress();

  constructor(private readonly opts: LibraryScannerOptions) {
    super();
    this.log = opts.logger ?? silentLogger;
    this.concurrency = Math.max(1, opts.concurrency ?? 2);
    this.batchSize = Math.max(1, opts.batchSize ?? 25);
  }

  get roots(): readonly string[] {
    return this.opts.roots;
  }

  get isScanning(): boolean {
    return this.running !== undefined;
  }

  get lastReport(): ScanReport | undefined {
    return this.last;
  }

  issues(): ScanIssue[] {
    return this.opts.writer.issues();
  }

  /**
   * Starts a scan, or joins one. Requests during a scan coalesce into a single follow-up scan: the change
   * that prompted them may have happened after the running scan passed that folder.
   */
  scan(): Promise<ScanReport> {
    if (!this.running) return this.start();
    if (!this.queued) {
      this.queued = this.running
        .catch(() => undefined)
        .then(() => {
          this.queued = undefined;
          return this.start();
        });
    }
    return this.queued;
  }

  private start(): Promise<ScanReport> {
    const run = this.runScan().finally(() => {
      if (this.running === run) this.running = undefined;
      this.progress.idle();
    });
    this.running = run;
    return run;
  }

  private async runScan(): Promise<ScanReport> {
    const started = Date.now();
    const { writer, roots, prober } = this.opts;
    const scanId = writer.nextScanId();
    const known = writer.knownFiles();
    this.progress.begin('Walking');
    const walk = await walkRoots(roots);
    this.progress.begin('Probing', walk.candidates.length);
    const pass = new ScanPass({ writer, scanId, known, roots, prober, batchSize: this.batchSize, log: this.log }, walk.issues);
    await forEachLimited(walk.candidates, this.concurrency, async (c) => {
      try {
        await pass.visit(c);
      } catch (err) {
        this.log.error({ err, path: c.path }, 'unexpected error scanning a file');
        pass.issues.push({ path: c.path, reason: `scan error: ${(err as Error).message}` });
      }
      this.progress.step();
    });
    pass.flush();
    writer.markSeen(pass.seen, scanId);
    const removed = writer.removeUnseen(scanId, walk.unreadable);
    writer.replaceIssues(pass.issues);

    const imagesExtracted = await this.extractImages(pass.written, removed);
    const change: LibraryChange = {
      added: pass.written.filter((w) => w.change === 'added').map((w) => w.id),
      updated: pass.written.filter((w) => w.change === 'updated').map((w) => w.id),
      removed,
    };
    const report = this.reportOf({ scanId, started, candidates: walk.candidates, pass, change, imagesExtracted });
    this.last = report;
    this.log.info(
      { added: report.added, updated: report.updated, removed: report.removed, issues: report.issues.length, ms: report.durationMs },
      'library scan finished',
    );
    if (change.added.length || change.updated.length || change.removed.length) this.safeEmit('changed', change);
    this.safeEmit('scanned', report);
    return report;
  }

  private reportOf(scan: {
    scanId: number;
    started: number;
    candidates: readonly Candidate[];
    pass: ScanPass;
    change: LibraryChange;
    imagesExtracted: number;
  }): ScanReport {
    const { pass, change } = scan;
    const candidatePaths = new Set(scan.candidates.map((c) => c.path));
    // Files the library holds: every candidate but those refused (a cut file is both an issue and an item).
    const refused = pass.issues.filter((i) => candidatePaths.has(i.path) && !pass.incompletePaths.has(i.path)).length;
    const finished = Date.now();
    return {
      scanId: scan.scanId,
      startedAt: new Date(scan.started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - scan.started,
      roots: [...this.opts.roots],
      files: scan.candidates.length - refused,
      added: change.added.length,
      updated: change.updated.length,
      unchanged: pass.seen.length,
      removed: change.removed.length,
      probed: pass.probed,
      imagesExtracted: scan.imagesExtracted,
      issues: this.opts.writer.issues(),
    };
  }

  /** Listeners are other subsystems: their failure must not turn a finished scan into a failed one. */
  private safeEmit<K extends keyof LibraryScannerEvents>(event: K, ...payload: LibraryScannerEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: LibraryScannerEvents[K]) => boolean)(event, ...payload);
    } catch (err) {
      this.log.error({ err, event }, 'library event listener failed');
    }
  }

  private async extractImages(written: readonly WrittenItem[], removed: readonly string[]): Promise<number> {
    const images = this.opts.images;
    if (!images) return 0;
    const writer = this.opts.writer;
    let count = 0;
    try {
      await images.remove(removed);
      const ids = new Set(written.map((w) => w.id));
      // After a restart, retry items whose image never came (ffmpeg missing then, say); once per process.
      if (!this.imagesCheckedOnce) for (const id of writer.fileItemsWithoutImage()) ids.add(id);
      this.imagesCheckedOnce = true;
      this.progress.begin('Images', ids.size);
      await forEachLimited([...ids], this.concurrency, async (id) => {
        const row = writer.imageSource(id);
        if (!row?.path) return;
        if (row.image_tag) await images.clearVariants(id);
        const got = await images.extractForFile({
          id,
          type: row.type,
          path: row.path,
          runTimeTicks: row.run_time_ticks ?? undefined,
          streams: JSON.parse(row.media_streams) as MediaStream[],
        });
        writer.setImage(id, got?.path ?? null, got?.tag ?? null);
        if (got) count++;
        this.progress.step();
      });
      for (const c of writer.containersWithoutImage()) {
        const got = await images.extractForContainer(c.id, c.folder, c.firstChildImage);
        if (got) {
          writer.setImage(c.id, got.path, got.tag);
          count++;
        }
      }
    } catch (err) {
      this.log.warn({ err }, 'image extraction stopped early');
    }
    return count;
  }
}
