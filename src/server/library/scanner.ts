/**
 * Walks the media folders, probes what is new or changed, and hands the results to the LibraryWriter.
 * A bad file or folder never stops a scan: it is skipped and listed in scan_issues with a reason.
 * Emits `changed` ({ added, updated, removed } item ids) when the library changed, so the sync core can
 * re-expand SyncNewContent jobs at once, and `scanned` (ScanReport) after every scan.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { MediaStream } from '../../shared/api/items.js';
import type { ImageService, LibraryLogger } from './images.js';
import { silentLogger } from './images.js';
import { findSidecarSubtitles, parseAudioPath, parsePhotoPath, parseVideoPath, type FileKind } from './layout.js';
import { errorCode, forEachLimited, walkRoots, type Candidate } from './mediaWalk.js';
import type { LibraryWriter, ScanIssue, ScannedFile, WrittenItem } from './libraryWriter.js';
import { sidecarKeyOf } from './libraryWriter.js';
import type { MediaProber, ProbeResult } from './probe.js';
import { probeImage } from './imageProbe.js';
import { incompleteness } from './completeness.js';
import { ScanProgress } from './scanProgress.js';
import { TICKS_PER_SECOND } from '../../shared/api/items.js';

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
    const writer = this.opts.writer;
    const scanId = writer.nextScanId();
    const known = writer.knownFiles();
    const progress = this.progress;
    progress.begin('Walking');
    const walk = await walkRoots(this.opts.roots);
    progress.begin('Probing', walk.candidates.length);
    const issues = [...walk.issues];
    const written: WrittenItem[] = [];
    const { roots, prober } = this.opts;
    const batchSize = this.batchSize;
    const seen: string[] = [];
    /** Cut files: listed as issues, yet in the library (a partial recording still plays up to its end). */
    const incompletePaths = new Set<string>();
    let pending: ScannedFile[] = [];
    let probed = 0;

    const flush = () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      try {
        written.push(...writer.writeFiles(batch, scanId));
      } catch (err) {
        // One bad row must not cost its batch-mates: retry them one transaction each.
        this.log.warn({ err }, 'batch write failed; writing files one by one');
        for (const f of batch) {
          try {
            written.push(...writer.writeFiles([f], scanId));
          } catch (e) {
            issues.push({ path: f.path, reason: `could not be saved: ${(e as Error).message}` });
          }
        }
      }
    };

    await forEachLimited(walk.candidates, this.concurrency, async (c) => {
      try {
        await visit(c);
      } catch (err) {
        this.log.error({ err, path: c.path }, 'unexpected error scanning a file');
        issues.push({ path: c.path, reason: `scan error: ${(err as Error).message}` });
      }
      progress.step();
    });
    flush();

    async function visit(c: Candidate): Promise<void> {
      let st: fs.Stats;
      try {
        st = await fs.promises.stat(c.path);
      } catch (err) {
        issues.push({ path: c.path, reason: `cannot read file: ${errorCode(err)}` });
        return;
      }
      if (st.size === 0) {
        issues.push({ path: c.path, reason: 'empty file (0 bytes)' });
        return;
      }
      const sidecars = c.kind === 'video' ? findSidecarSubtitles(c.path, c.siblings) : [];
      const prev = known.get(c.path);
      if (prev && prev.size === st.size && prev.mtimeMs === Math.floor(st.mtimeMs)) {
        if (prev.sidecarKey !== sidecarKeyOf(sidecars)) {
          writer.updateSidecars(prev.id, sidecars, scanId);
          written.push({ id: prev.id, change: 'updated' });
        } else {
          seen.push(prev.id);
        }
        if (prev.incomplete) {
          issues.push({ path: c.path, reason: prev.incomplete });
          incompletePaths.add(c.path);
        }
        return;
      }
      let probe: ProbeResult;
      try {
        probed++;
        probe = c.kind === 'image' ? await probeImage(c.path) : await prober.probe(c.path);
      } catch (err) {
        issues.push({ path: c.path, reason: `unreadable media: ${(err as Error).message}` });
        return;
      }
      const problem = checkStreams(c.kind, probe.streams);
      if (problem) {
        issues.push({ path: c.path, reason: problem });
        return;
      }
      const seconds = probe.runTimeTicks && probe.runTimeTicks / TICKS_PER_SECOND;
      const incomplete =
        c.kind === 'image' ? undefined : await incompleteness(c.path, st.size, seconds, (f) => prober.lastPacketSeconds(f));
      if (incomplete) {
        issues.push({ path: c.path, reason: incomplete });
        incompletePaths.add(c.path);
      }
      const root = roots.find((r) => c.path.startsWith(r.endsWith(path.sep) ? r : r + path.sep)) ?? path.dirname(c.path);
      const layout =
        c.kind === 'video'
          ? parseVideoPath(root, c.path, probe.tags)
          : c.kind === 'audio'
            ? parseAudioPath(root, c.path, probe.tags)
            : parsePhotoPath(c.path);
      pending.push({ path: c.path, size: st.size, mtimeMs: Math.floor(st.mtimeMs), layout, probe, sidecars, incomplete });
      if (pending.length >= batchSize) flush();
    }
    writer.markSeen(seen, scanId);
    const missingRoots = walk.unreadable;
    const removed = writer.removeUnseen(scanId, missingRoots);
    writer.replaceIssues(issues);

    const imagesExtracted = await this.extractImages(written, removed);

    const change: LibraryChange = {
      added: written.filter((w) => w.change === 'added').map((w) => w.id),
      updated: written.filter((w) => w.change === 'updated').map((w) => w.id),
      removed,
    };
    const candidatePaths = new Set(walk.candidates.map((c) => c.path));
    const finished = Date.now();
    const report: ScanReport = {
      scanId,
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - started,
      roots: [...this.opts.roots],
      files: walk.candidates.length - issues.filter((i) => candidatePaths.has(i.path) && !incompletePaths.has(i.path)).length,
      added: change.added.length,
      updated: change.updated.length,
      unchanged: seen.length,
      removed: removed.length,
      probed,
      imagesExtracted,
      issues: writer.issues(),
    };
    this.last = report;
    this.log.info(
      { added: report.added, updated: report.updated, removed: report.removed, issues: report.issues.length, ms: report.durationMs },
      'library scan finished',
    );
    if (change.added.length || change.updated.length || change.removed.length) this.safeEmit('changed', change);
    this.safeEmit('scanned', report);
    return report;
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

/** Audio and video files must hold what their extension promises; a text file named .mp4 does not. */
function checkStreams(kind: FileKind, streams: readonly MediaStream[]): string | undefined {
  const has = (t: MediaStream['Type']) => streams.some((s) => s.Type === t);
  if (kind === 'video' && !has('Video') && !has('Audio')) return 'no audio or video streams';
  if (kind === 'audio' && !has('Audio')) return 'no audio stream';
  if (kind === 'image' && !has('Video') && !has('EmbeddedImage')) return 'not a readable image';
  return undefined;
}
