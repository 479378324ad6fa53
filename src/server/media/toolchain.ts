/**
 * The media toolchain: which ffmpeg and ffprobe this process uses, chosen at start-up (README
 * "Media toolchain"). Candidates are tried best first (media/candidates.ts); each must pass its self-test
 * (media/selfTest.ts) or it is skipped with a log line that says why. Verdicts are cached per binary, so
 * after the first start choosing costs a few stat calls.
 *
 * Other modules use the result through `Toolchain`: the chosen paths (it is a `MediaBinaries`), versions,
 * and `hasEncoder` / `hasFilter` (zscale + tonemap for HDR, bwdif/yadif for deinterlacing).
 */
import path from 'node:path';
import type { MediaBinaries, ToolKind } from './binaries.js';
import { npmBinary } from './binaries.js';
import { listCandidates, type Candidate, type CandidateSource } from './candidates.js';
import { testFfmpeg, testFfprobe, type Verdict } from './selfTest.js';
import { samplesPresent } from './selfTestSamples.js';
import { readVerdicts, saveVerdict, verdictKey } from './verdictCache.js';

export interface ToolReport {
  kind: ToolKind;
  path: string;
  source: CandidateSource;
  version?: string;
  /** passed; failed (skipped, or used only because nothing passed); untested (nothing to test it with). */
  selfTest: 'passed' | 'failed' | 'untested';
  reason?: string;
}

export interface Toolchain extends MediaBinaries {
  readonly ffmpegInfo: ToolReport;
  readonly ffprobeInfo: ToolReport;
  /** ffprobe binaries to try in turn on a file that crashes the chosen one (chosen first). */
  readonly probers: readonly string[];
  /** Candidates tried and not chosen, with the reason. */
  readonly skipped: readonly ToolReport[];
  readonly encoders: readonly string[];
  readonly filters: readonly string[];
  hasEncoder(name: string): boolean;
  hasFilter(name: string): boolean;
  /** Wall time the choice took in this process. */
  readonly selectedInMs: number;
}

export interface SelectToolchainOptions {
  /** FFMPEG_PATH / FFPROBE_PATH. */
  ffmpegPath?: string;
  ffprobePath?: string;
  /** Where samples and verdicts are kept (`<data dir>/cache/toolchain`). */
  cacheDir: string;
  /** Defaults to process.env.PATH. */
  pathEnv?: string;
  /** Defaults to the npm packages' binaries; `null` leaves them out. */
  npm?: { ffmpeg?: string | null; ffprobe?: string | null };
  /** False: only the configured binaries are candidates (no PATH, no npm): STOWAWAY_TOOLCHAIN_DISCOVERY=0. */
  discover?: boolean;
  log?: { info(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void };
}

export type TestFn = (candidate: Candidate) => Promise<Verdict>;

export interface Pick {
  chosen: Candidate;
  verdict: Verdict;
  /** Every candidate tried before (or instead of) the chosen one. */
  tried: Array<{ candidate: Candidate; verdict: Verdict }>;
}

/**
 * The first candidate that passes. When none does: the first that could not be tested (no samples), else
 * the first that at least starts, else the first at all — a server without a working ffmpeg still starts
 * and serves its library, and each conversion or probe then fails with the binary's own error (README
 * "Media toolchain"). Undefined only for an empty list.
 */
export async function pickTool(candidates: readonly Candidate[], test: TestFn): Promise<Pick | undefined> {
  const tried: Pick['tried'] = [];
  for (const candidate of candidates) {
    const verdict = await test(candidate);
    if (verdict.ok) return { chosen: candidate, verdict, tried };
    tried.push({ candidate, verdict });
  }
  const fallback = tried.find((t) => !t.verdict.tested) ?? tried.find((t) => t.verdict.version !== undefined) ?? tried[0];
  return fallback && { chosen: fallback.candidate, verdict: fallback.verdict, tried: tried.filter((t) => t !== fallback) };
}

export async function selectToolchain(opts: SelectToolchainOptions): Promise<Toolchain> {
  const started = Date.now();
  const discover = opts.discover ?? true;
  const lookups = (kind: ToolKind, configured: string | undefined) => {
    const npm = opts.npm?.[kind];
    if (!discover) return { configured };
    return { configured, pathEnv: opts.pathEnv ?? process.env.PATH, npm: npm === null ? undefined : (npm ?? npmBinary(kind)) };
  };
  // With no candidate at all, the bare name: the PATH at spawn time decides, and a failure names it.
  const orBareName = (kind: ToolKind, list: Candidate[]): Candidate[] => (list.length ? list : [{ kind, path: kind, source: 'PATH' }]);
  const ffmpegs = orBareName('ffmpeg', listCandidates('ffmpeg', lookups('ffmpeg', opts.ffmpegPath)));
  const ffprobes = orBareName('ffprobe', listCandidates('ffprobe', lookups('ffprobe', opts.ffprobePath)));
  const test = cachedTest(opts.cacheDir);
  // With the samples already on disk the two chains are independent; otherwise ffprobe waits for an
  // ffmpeg to write them.
  const ffmpegPick = pickTool(ffmpegs, test);
  const ffprobePick = samplesPresent(opts.cacheDir) ? pickTool(ffprobes, test) : ffmpegPick.then(() => pickTool(ffprobes, test));
  const [ffmpeg, ffprobe] = await Promise.all([ffmpegPick, ffprobePick]);
  // Both lists hold at least the bare name, so a pick always exists.
  if (!ffmpeg || !ffprobe) throw new Error('unreachable: no toolchain candidate');

  const skipped = [...ffmpeg.tried, ...ffprobe.tried].map((t) => report(t.candidate, t.verdict));
  for (const s of skipped) opts.log?.warn({ path: s.path, source: s.source, version: s.version }, `${s.kind} skipped: ${s.reason}`);
  const ffmpegInfo = report(ffmpeg.chosen, ffmpeg.verdict);
  const ffprobeInfo = report(ffprobe.chosen, ffprobe.verdict);
  for (const info of [ffmpegInfo, ffprobeInfo])
    if (info.selfTest !== 'passed')
      opts.log?.warn(
        { path: info.path },
        `no ${info.kind} passed its self-test; using this one (${info.reason}). Install one: apt-get install ffmpeg, or set FFMPEG_PATH/FFPROBE_PATH`,
      );
  const encoders = ffmpeg.verdict.encoders ?? [];
  const filters = ffmpeg.verdict.filters ?? [];
  const encoderSet = new Set(encoders);
  const filterSet = new Set(filters);
  const toolchain: Toolchain = {
    ffmpeg: ffmpeg.chosen.path,
    ffprobe: ffprobe.chosen.path,
    ffmpegInfo,
    ffprobeInfo,
    probers: [ffprobe.chosen.path, ...ffprobes.filter((c) => c !== ffprobe.chosen).map((c) => c.path)],
    skipped,
    encoders,
    filters,
    hasEncoder: (name) => encoderSet.has(name),
    hasFilter: (name) => filterSet.has(name),
    selectedInMs: Date.now() - started,
  };
  opts.log?.info(
    {
      ffmpeg: { path: ffmpegInfo.path, version: ffmpegInfo.version },
      ffprobe: { path: ffprobeInfo.path, version: ffprobeInfo.version },
      ms: toolchain.selectedInMs,
    },
    'media toolchain chosen',
  );
  return toolchain;
}

function report(c: Candidate, v: Verdict): ToolReport {
  return {
    kind: c.kind,
    path: c.path,
    source: c.source,
    version: v.version,
    selfTest: v.ok ? 'passed' : v.tested ? 'failed' : 'untested',
    reason: v.reason,
  };
}

/** A candidate's verdict from the cache, or its self-test (then cached; untested verdicts are not). */
function cachedTest(cacheDir: string): TestFn {
  const cached = readVerdicts(cacheDir);
  return async (c) => {
    const key = verdictKey(c.kind, c.path);
    const hit = key ? cached[key] : undefined;
    if (hit) return hit;
    const verdict = c.kind === 'ffmpeg' ? await testFfmpeg(c.path, cacheDir) : await testFfprobe(c.path, cacheDir);
    if (key && verdict.tested) await saveVerdict(cacheDir, key, verdict).catch(() => undefined);
    return verdict;
  };
}

/** `<data dir>/cache/toolchain`, where samples and verdicts live. */
export function toolchainCacheDir(dataDir: string): string {
  return path.join(dataDir, 'cache', 'toolchain');
}

/** The server's choice from its configuration (FFMPEG_PATH, FFPROBE_PATH, STOWAWAY_TOOLCHAIN_CACHE, data dir). */
export function selectServerToolchain(
  config: { ffmpegPath?: string; ffprobePath?: string; toolchainCacheDir?: string; toolchainDiscovery?: boolean; dataDir: string },
  log?: SelectToolchainOptions['log'],
): Promise<Toolchain> {
  return selectToolchain({
    ffmpegPath: config.ffmpegPath,
    ffprobePath: config.ffprobePath,
    discover: config.toolchainDiscovery,
    cacheDir: config.toolchainCacheDir ?? toolchainCacheDir(config.dataDir),
    log,
  });
}
