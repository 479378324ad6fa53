/**
 * One scan's pass over the files the walk found: each file is stat-ed, kept as it is when its size and
 * modification time are unchanged, else probed, checked and queued for the writer in batches. A bad file
 * never stops the pass: it becomes an issue with a reason. The scanner (scanner.ts) runs a pass and reports.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TICKS_PER_SECOND, type MediaStream } from '../../shared/api/items.js';
import { incompleteness } from './completeness.js';
import type { LibraryLogger } from './images.js';
import { probeImage } from './imageProbe.js';
import { findSidecarSubtitles, parseAudioPath, parsePhotoPath, parseVideoPath, type FileKind, type SidecarSubtitle } from './layout.js';
import type { KnownFile, LibraryWriter, ScannedFile, WrittenItem } from './libraryWriter.js';
import { sidecarKeyOf } from './libraryWriter.js';
import { errorCode, type Candidate } from './mediaWalk.js';
import type { MediaProber, ProbeResult } from './probe.js';

/** A file or folder the scan skipped (or kept though cut short), and why. */
export interface FoundIssue {
  path: string;
  reason: string;
}

export interface ScanPassContext {
  writer: Pick<LibraryWriter, 'writeFiles' | 'updateSidecars'>;
  scanId: number;
  /** What the library held before this scan, by path. */
  known: ReadonlyMap<string, KnownFile>;
  roots: readonly string[];
  prober: Pick<MediaProber, 'probe' | 'lastPacketSeconds'>;
  /** Files written per transaction. */
  batchSize: number;
  log: LibraryLogger;
}

export class ScanPass {
  readonly issues: FoundIssue[];
  readonly written: WrittenItem[] = [];
  /** Unchanged files (ids), marked seen so the prune keeps them. */
  readonly seen: string[] = [];
  /** Cut files: listed as issues, yet in the library (a partial recording still plays up to its end). */
  readonly incompletePaths = new Set<string>();
  probed = 0;
  private pending: ScannedFile[] = [];

  constructor(
    private readonly ctx: ScanPassContext,
    walkIssues: readonly FoundIssue[],
  ) {
    this.issues = [...walkIssues];
  }

  async visit(c: Candidate): Promise<void> {
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(c.path);
    } catch (err) {
      this.issues.push({ path: c.path, reason: `cannot read file: ${errorCode(err)}` });
      return;
    }
    if (st.size === 0) {
      this.issues.push({ path: c.path, reason: 'empty file (0 bytes)' });
      return;
    }
    const sidecars = c.kind === 'video' ? findSidecarSubtitles(c.path, c.siblings) : [];
    const prev = this.ctx.known.get(c.path);
    if (prev && prev.size === st.size && prev.mtimeMs === Math.floor(st.mtimeMs)) {
      this.keepUnchanged(c, prev, sidecars);
      return;
    }
    const scanned = await this.probeFile(c, st, sidecars);
    if (!scanned) return;
    this.pending.push(scanned);
    if (this.pending.length >= this.ctx.batchSize) this.flush();
  }

  /** Writes the files probed so far; a batch that fails is retried one file per transaction. */
  flush(): void {
    if (this.pending.length === 0) return;
    const { writer, scanId } = this.ctx;
    const batch = this.pending;
    this.pending = [];
    try {
      this.written.push(...writer.writeFiles(batch, scanId));
    } catch (err) {
      // One bad row must not cost its batch-mates: retry them one transaction each.
      this.ctx.log.warn({ err }, 'batch write failed; writing files one by one');
      for (const f of batch) {
        try {
          this.written.push(...writer.writeFiles([f], scanId));
        } catch (e) {
          this.issues.push({ path: f.path, reason: `could not be saved: ${(e as Error).message}` });
        }
      }
    }
  }

  /** Same size and time: not probed again; only a change of its sidecar subtitles is written. */
  private keepUnchanged(c: Candidate, prev: KnownFile, sidecars: SidecarSubtitle[]): void {
    if (prev.sidecarKey !== sidecarKeyOf(sidecars)) {
      this.ctx.writer.updateSidecars(prev.id, sidecars, this.ctx.scanId);
      this.written.push({ id: prev.id, change: 'updated' });
    } else {
      this.seen.push(prev.id);
    }
    if (prev.incomplete) this.markIncomplete(c.path, prev.incomplete);
  }

  /** New or changed: probed, its streams checked, its completeness measured and its layout parsed. */
  private async probeFile(c: Candidate, st: fs.Stats, sidecars: SidecarSubtitle[]): Promise<ScannedFile | undefined> {
    const prober = this.ctx.prober;
    let probe: ProbeResult;
    try {
      this.probed++;
      probe = c.kind === 'image' ? await probeImage(c.path) : await prober.probe(c.path);
    } catch (err) {
      this.issues.push({ path: c.path, reason: `unreadable media: ${(err as Error).message}` });
      return undefined;
    }
    const problem = checkStreams(c.kind, probe.streams);
    if (problem) {
      this.issues.push({ path: c.path, reason: problem });
      return undefined;
    }
    const seconds = probe.runTimeTicks && probe.runTimeTicks / TICKS_PER_SECOND;
    const incomplete = c.kind === 'image' ? undefined : await incompleteness(c.path, st.size, seconds, (f) => prober.lastPacketSeconds(f));
    if (incomplete) this.markIncomplete(c.path, incomplete);
    const layout = layoutOf(c, this.rootOf(c.path), probe);
    return { path: c.path, size: st.size, mtimeMs: Math.floor(st.mtimeMs), layout, probe, sidecars, incomplete };
  }

  private markIncomplete(file: string, reason: string): void {
    this.issues.push({ path: file, reason });
    this.incompletePaths.add(file);
  }

  private rootOf(file: string): string {
    return this.ctx.roots.find((r) => file.startsWith(r.endsWith(path.sep) ? r : r + path.sep)) ?? path.dirname(file);
  }
}

function layoutOf(c: Candidate, root: string, probe: ProbeResult): ScannedFile['layout'] {
  if (c.kind === 'video') return parseVideoPath(root, c.path, probe.tags);
  if (c.kind === 'audio') return parseAudioPath(root, c.path, probe.tags);
  return parsePhotoPath(c.path);
}

/** Audio and video files must hold what their extension promises; a text file named .mp4 does not. */
function checkStreams(kind: FileKind, streams: readonly MediaStream[]): string | undefined {
  const has = (t: MediaStream['Type']) => streams.some((s) => s.Type === t);
  if (kind === 'video' && !has('Video') && !has('Audio')) return 'no audio or video streams';
  if (kind === 'audio' && !has('Audio')) return 'no audio stream';
  if (kind === 'image' && !has('Video') && !has('EmbeddedImage')) return 'not a readable image';
  return undefined;
}
