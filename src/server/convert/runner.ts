/**
 * Produces one output: ffmpeg from a ConversionPlan into a temporary file, fsync + rename when complete,
 * text subtitles as WebVTT sidecars, SHA-256 and a probe of the result. No database: the same code runs in
 * the server (in-process queue) and in a BullMQ worker on another machine, which report the result back.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import type { MediaSourceInfo } from '../../shared/api/items.js';
import { TICKS_PER_SECOND } from '../../shared/api/items.js';
import type { ConversionPlan, SubtitleAction } from '../../shared/profile/decision.js';
import { MediaProber, type ProbeResult } from '../library/probe.js';
import type { MediaBinaries } from '../media/binaries.js';
import { BlockDigests, DEFAULT_BLOCK_SIZE, writeBlockHashes } from './blockHashes.js';
import type { ConversionJob, ConversionResult, SubtitleFile } from './conversionTypes.js';
import { buildFfmpegArgs, buildSubtitleExtractArgs, type SubtitleOutput } from './ffmpegArgs.js';
import { outTimeSeconds, ProgressReader, ProgressTracker } from './ffmpegProgress.js';
import { incompleteReason, TruncationWatch, unreadableSourceReason } from './completeness.js';
import { filterSupport } from './ffmpegFilters.js';
import { AbortedError, FfmpegError, runProcess } from './ffmpegProcess.js';
import { isBareName, partialName } from './outputLayout.js';
import { decodeSubtitleBytes } from './subtitleText.js';

export interface RunConversionOptions {
  output: ConversionJob;
  binaries: MediaBinaries;
  /** TranscodingCpuCoreLimit: encoder threads, 0 = ffmpeg decides. */
  threads: number;
  fullSpeed: boolean;
  signal?: AbortSignal;
  /** 0–100; rising; 100 only once everything is written, hashed and probed. */
  onProgress?: (percent: number) => void;
  /**
   * ffmpeg is done with the media: what is left (hashing, probing, fsync, sidecars) is light, so the queue
   * may start the next conversion beside it instead of leaving the cores idle for that tail.
   */
  onHeavyWorkDone?: () => void;
  log?: Logger;
}

/** A sidecar the run writes: where ffmpeg writes it first, and its final bare name. */
interface PlannedSidecar {
  action: SubtitleAction;
  format: string;
  name: string;
  partial: string;
}

export async function runConversion(o: RunConversionOptions): Promise<ConversionResult> {
  const started = Date.now();
  const { output: job, signal } = o;
  const plan = job.plan;
  const temps: string[] = [];
  const prober = new MediaProber(o.binaries.ffprobe);
  let lastPct = -1;
  const report = (pct: number) => {
    const p = Math.round(Math.min(100, pct) * 10) / 10;
    if (p > lastPct) {
      lastPct = p;
      o.onProgress?.(p);
    }
  };
  try {
    await fs.promises.mkdir(job.outputDir, { recursive: true });
    const sidecars = planSidecars(job, plan);
    temps.push(...sidecars.map((s) => s.partial));
    const embedded = sidecars.filter((s) => !s.action.external);
    const external = sidecars.filter((s) => s.action.external);

    const blocks = new BlockDigests(DEFAULT_BLOCK_SIZE);
    const ctx: MediaStep = { o, prober, blocks, embedded, temps, report };
    const { size, sha256, probed } = plan.kind === 'direct' ? await serveSource(ctx) : await convertMedia(ctx);

    await writeBlockHashes(job.outputDir, DEFAULT_BLOCK_SIZE, blocks.finish());
    for (const s of external) await convertSidecar(o, job, s, temps, signal);
    for (const s of sidecars) await commit(s.partial, path.join(job.outputDir, s.name));
    await fsyncDir(job.outputDir);
    report(99);

    const mediaSource = toMediaSource(job, probed, size);
    const subtitleFiles: SubtitleFile[] = sidecars.map((s) => ({
      Name: s.name,
      ...(s.action.language ? { Language: s.action.language } : {}),
      IsForced: s.action.forced,
      Codec: s.format,
      Index: s.action.index,
    }));
    report(100);
    return {
      fileName: job.fileName,
      size,
      sha256,
      mediaSource,
      subtitleFiles,
      servesSource: plan.kind === 'direct',
      elapsedMs: Date.now() - started,
    };
  } catch (err) {
    await Promise.all(temps.map((t) => fs.promises.rm(t, { force: true })));
    throw describeDiskFailure(err, path.dirname(job.outputDir));
  }
}

/** What the media step of a run shares with the rest of it. */
interface MediaStep {
  o: RunConversionOptions;
  prober: MediaProber;
  blocks: BlockDigests;
  /** Embedded text subtitles to write as sidecars (same pass as the media, or one by one beside a direct source). */
  embedded: PlannedSidecar[];
  temps: string[];
  report: (pct: number) => void;
}

interface MediaDone {
  size: number;
  sha256: string;
  probed: ProbeResult;
}

/** A direct plan: the original as is; its embedded text subtitles read out one by one (no video decode). */
async function serveSource({ o, prober, blocks, embedded, report }: MediaStep): Promise<MediaDone> {
  const job = o.output;
  for (const s of embedded) {
    const args = buildSubtitleExtractArgs({
      inputPath: job.sourcePath,
      streamIndex: s.action.index,
      format: s.format,
      outputPath: s.partial,
    });
    await runProcess(o.binaries.ffmpeg, args, { signal: o.signal });
  }
  report(10);
  // One read for SHA-256 and block digests, beside the probe and the completeness check.
  const [hashed, probed] = await Promise.all([
    hashFile(job.sourcePath, o.signal, blocks),
    prober.probe(job.sourcePath),
    job.plan.kind === 'direct' && job.plan.mediaType === 'Photo' ? undefined : checkSourceComplete(o, job.sourcePath, job.durationSeconds),
  ]);
  return { ...hashed, probed };
}

/** ffmpeg into a temporary file, checked for completeness, hashed and probed, then given its final name. */
async function convertMedia({ o, prober, blocks, embedded, temps, report }: MediaStep): Promise<MediaDone> {
  const job = o.output;
  const plan = job.plan;
  const duration = job.durationSeconds ?? (await probeDuration(prober, job.sourcePath, o.log));
  const partial = path.join(job.outputDir, partialName(job.fileName));
  temps.push(partial);
  const subtitleOutputs: SubtitleOutput[] = embedded.map((s) => ({ streamIndex: s.action.index, format: s.format, path: s.partial }));
  const args = buildFfmpegArgs(plan, {
    inputPath: job.sourcePath,
    outputPath: partial,
    threads: o.threads,
    fullSpeed: o.fullSpeed,
    subtitleOutputs,
    ...(plan.kind === 'transcode' && plan.video.toneMap ? { filters: await filterSupport(o.binaries) } : {}),
  });
  // The last few percent are hashing and probing: the encoder's 100 % is not "done".
  const tracker = new ProgressTracker(duration, (pct) => report(Math.min(pct, 99) * 0.97));
  const watch = new TruncationWatch();
  o.log?.debug({ key: job.key, args }, 'ffmpeg start');
  // Conversions run at a lower priority than playback and the API (nice, not a thread cap: a cap only
  // idles cores), unless the admin asked for full speed.
  await runProcess(o.binaries.ffmpeg, args, {
    signal: o.signal,
    niceness: o.fullSpeed ? 0 : 10,
    onStdout: (chunk) => tracker.reader.push(chunk),
    onStderr: (chunk) => watch.push(chunk),
  }).catch(throwWithPlainReason);
  watch.finish();
  o.onHeavyWorkDone?.();
  report(97);
  // The output is read once for both digests while ffprobe looks at it and the disk flushes it, before it
  // takes its final name: the three overlap instead of adding up at the end of every conversion.
  const [hashed, probed] = await Promise.all([hashFile(partial, o.signal, blocks), prober.probe(partial), syncFile(partial)]);
  const incomplete = incompleteReason(duration, probed.runTimeTicks ? probed.runTimeTicks / TICKS_PER_SECOND : undefined, watch);
  if (incomplete) throw new Error(incomplete);
  await fs.promises.rename(partial, path.join(job.outputDir, job.fileName));
  return { ...hashed, probed };
}

const UNWRITABLE = new Set(['ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EEXIST']);

/**
 * Disk faults in the administrator's words: a raw `ENOTDIR: …, mkdir '<key path>'` or ffmpeg's stderr tail
 * names neither the cause nor the fix, and this message is what the item's ErrorMessage shows.
 */
export function describeDiskFailure(err: unknown, workDir: string): unknown {
  if (!(err instanceof Error) || err.name === 'AbortError') return err;
  const e = err as NodeJS.ErrnoException;
  const firstLine = err.message.split('\n')[0]!;
  if (e.code === 'ENOSPC' || /No space left on device/i.test(err.message)) {
    return new Error(`No space left on device in the sync work folder ${workDir} (${firstLine})`);
  }
  if (e.code && UNWRITABLE.has(e.code) && typeof e.path === 'string' && e.path.startsWith(workDir)) {
    const why = e.code === 'ENOTDIR' || e.code === 'EEXIST' ? 'a file is in the way of a folder' : 'permission denied';
    return new Error(`The sync work folder ${workDir} cannot be written: ${why} (${e.code})`);
  }
  return err;
}

/** Sidecar names: `<media stem>.<source index>[.<lang>][.forced].<format>` — bare, unique per stream. */
function planSidecars(job: ConversionJob, plan: ConversionPlan): PlannedSidecar[] {
  if (plan.kind === 'audio-remux' || plan.kind === 'audio-transcode') return [];
  const stem = path.basename(job.fileName, path.extname(job.fileName));
  return plan.subtitles
    .filter((a) => a.action === 'extract')
    .map((action) => {
      const format = action.format ?? 'vtt';
      const lang = action.language ? `.${action.language.replace(/[^A-Za-z0-9-]/g, '')}` : '';
      const name = `${stem}.${action.index}${lang}${action.forced ? '.forced' : ''}.${format}`;
      return { action, format, name, partial: path.join(job.outputDir, partialName(name)) };
    });
}

/** A sidecar next to the source: decode in Node, hand ffmpeg a UTF-8 copy (see subtitleText.ts). */
async function convertSidecar(
  o: RunConversionOptions,
  job: ConversionJob,
  s: PlannedSidecar,
  temps: string[],
  signal?: AbortSignal,
): Promise<void> {
  const bare = s.action.path;
  if (!bare || !isBareName(bare)) throw new Error(`sidecar subtitle ${s.action.index} has no usable file name (${JSON.stringify(bare)})`);
  const sourceFile = path.join(path.dirname(job.sourcePath), bare);
  const { text, encoding } = decodeSubtitleBytes(await fs.promises.readFile(sourceFile));
  const ext = path.extname(bare).toLowerCase() || `.${s.action.codec}`;
  const utf8Copy = path.join(job.outputDir, partialName(`source-${s.action.index}${ext}`));
  temps.push(utf8Copy);
  await fs.promises.writeFile(utf8Copy, text, 'utf8');
  o.log?.debug({ key: job.key, sidecar: bare, encoding }, 'sidecar subtitle decoded');
  try {
    const args = buildSubtitleExtractArgs({ inputPath: utf8Copy, format: s.format, outputPath: s.partial });
    await runProcess(o.binaries.ffmpeg, args, { signal });
  } finally {
    await fs.promises.rm(utf8Copy, { force: true });
  }
}

/** ffmpeg's refusal of a broken source, with the plain reason (completeness.ts) as the first line. */
function throwWithPlainReason(err: unknown): never {
  const why = err instanceof FfmpegError ? unreadableSourceReason(err.stderrTail) : undefined;
  throw why ? new Error(`${why}\n${(err as Error).message}`) : err;
}

/**
 * A source served as is gets no conversion to notice that it was cut off, so its packets are read once
 * without decoding (`-c copy` to the null muxer: hundreds of times real time) and judged like an output.
 */
async function checkSourceComplete(o: RunConversionOptions, sourcePath: string, duration: number | undefined): Promise<void> {
  const watch = new TruncationWatch();
  let lastSeconds: number | undefined;
  const reader = new ProgressReader((fields) => {
    const t = outTimeSeconds(fields);
    if (t !== undefined && t > 0) lastSeconds = Math.max(lastSeconds ?? 0, t);
  });
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-progress', 'pipe:1', '-nostats', '-i', sourcePath];
  args.push('-map', '0:v?', '-map', '0:a?', '-c', 'copy', '-f', 'null', '-');
  await runProcess(o.binaries.ffmpeg, args, {
    signal: o.signal,
    onStdout: (chunk) => reader.push(chunk),
    onStderr: (chunk) => watch.push(chunk),
  }).catch(throwWithPlainReason);
  watch.finish();
  const incomplete = incompleteReason(duration, lastSeconds, watch);
  if (incomplete) throw new Error(incomplete);
}

async function probeDuration(prober: MediaProber, file: string, log?: Logger): Promise<number | undefined> {
  try {
    const r = await prober.probe(file);
    return r.runTimeTicks ? r.runTimeTicks / TICKS_PER_SECOND : undefined;
  } catch (err) {
    // ffmpeg will fail on the same file with a better message; progress is just unknown until then.
    log?.debug({ err, file }, 'source probe failed');
    return undefined;
  }
}

/**
 * Streamed SHA-256 (never the whole file in memory) and the size of what was hashed; with `blocks`, the
 * same pass also feeds the per-block digests clients check chunks against.
 */
export async function hashFile(file: string, signal?: AbortSignal, blocks?: BlockDigests): Promise<{ size: number; sha256: string }> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      if (signal?.aborted) throw new AbortedError();
      size += chunk.length;
      hash.update(chunk);
      blocks?.update(chunk);
    }
  });
  return { size, sha256: hash.digest('hex') };
}

/** Data on disk before the name appears: after a power cut the final name never points at a torn file. */
async function commit(partial: string, final: string): Promise<void> {
  await syncFile(partial);
  await fs.promises.rename(partial, final);
}

async function syncFile(file: string): Promise<void> {
  const fh = await fs.promises.open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await fs.promises.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some filesystems (and Windows) can't fsync a directory; the rename is still atomic.
  }
}

function toMediaSource(job: ConversionJob, probed: ProbeResult, size: number): MediaSourceInfo {
  const audio = probed.streams.filter((s) => s.Type === 'Audio');
  const defaultAudio = audio.find((s) => s.IsDefault) ?? audio[0];
  const source: MediaSourceInfo = {
    Id: job.key,
    Protocol: 'File',
    Type: 'Default',
    Size: size,
    Name: path.basename(job.fileName, path.extname(job.fileName)),
    Path: job.fileName,
    IsRemote: false,
    SupportsTranscoding: false,
    SupportsDirectStream: true,
    SupportsDirectPlay: true,
    RequiresOpening: false,
    MediaStreams: probed.streams,
  };
  if (probed.container) source.Container = probed.container;
  if (probed.runTimeTicks) source.RunTimeTicks = probed.runTimeTicks;
  if (probed.bitrate) source.Bitrate = probed.bitrate;
  if (defaultAudio) source.DefaultAudioStreamIndex = defaultAudio.Index;
  return source;
}
