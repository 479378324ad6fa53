/**
 * Conversion through the server against bare ffmpeg running the very same command:
 *  1. job-to-ready ÷ bare ffmpeg, for a remux and for a transcode (the engine's overhead: queueing,
 *     probing, hashing, fsync, events; target ≤ 1.10),
 *  2. transcode ÷ remux of the same source (why the play decision matters),
 *  3. a second device with the same profile: new ffmpeg runs (target 0) and time to ready.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildFfmpegArgs } from '../src/server/convert/ffmpegArgs.js';
import { SqlSyncLibrary } from '../src/server/sync/sqlSyncLibrary.js';
import { decideConversion, planKey, type ConversionPlan } from '../src/shared/profile/decision.js';
import type { SyncQualityId as QualityId } from '../src/shared/quality.js';
import { benchTempDir, BROWSER_PROFILE, startBenchServer, type BenchServer } from './harness.js';
import { makeVideo, timeFfmpeg } from './media.js';
import { median, ratioOf, type BenchResult } from './report.js';

const SOURCE = 'Bench Source (2020).mkv';
const REMUX_RUNS = 3;
/** Below the ~3–5 Mbps of the generated 720p source, so the plan is a real x264 encode. */
const TRANSCODE_BITRATE = 1_500_000;

/** The plan decideConversion gives for the item, exactly as the job-item processor asks for it. */
function planFor(srv: BenchServer, quality: QualityId, bitrate?: number): { plan: ConversionPlan; sourcePath: string } {
  const { db } = srv.built.deps;
  const admin = db.prepare(`SELECT id FROM users WHERE name = 'admin'`).get() as { id: string };
  const none = () => [];
  const lib = new SqlSyncLibrary(db, { latest: none, resume: none, nextUp: none });
  const item = lib.getItem(admin.id, srv.ids['Bench Source'])!;
  const source = lib.mediaSource(item)!;
  const plan = decideConversion({
    mediaType: 'Video',
    source,
    profile: BROWSER_PROFILE,
    quality,
    bitrate,
    enableTranscoding: true,
    context: 'Static',
  });
  return { plan, sourcePath: item.path! };
}

/** The plan the server really ran for a job (to check the bare run repeats the same work). */
function serverPlan(srv: BenchServer, jobId: string): ConversionPlan | undefined {
  const row = srv.built.deps.db
    .prepare('SELECT o.plan FROM sync_job_items i JOIN conversion_outputs o ON o.key = i.output_key WHERE i.job_id = ?')
    .get(jobId) as { plan: string } | undefined;
  return row ? (JSON.parse(row.plan) as ConversionPlan) : undefined;
}

async function bareRun(srv: BenchServer, plan: ConversionPlan, sourcePath: string, scratch: string): Promise<number> {
  const opts = srv.built.deps.syncSettings.get();
  const out = path.join(scratch, `bare-${Date.now()}.${plan.kind === 'direct' ? 'bin' : plan.container}`);
  try {
    return await timeFfmpeg(
      buildFfmpegArgs(plan, {
        inputPath: sourcePath,
        outputPath: out,
        threads: opts.TranscodingCpuCoreLimit,
        fullSpeed: opts.EnableFullSpeedTranscoding,
      }),
    );
  } finally {
    fs.rmSync(out, { force: true });
  }
}

interface Pair {
  server: number[];
  bare: number[];
  jobId?: string;
  planMatches: boolean;
}

/** Alternates server and bare runs so neither always gets the warmer page cache. */
async function measure(
  srv: BenchServer,
  scratch: string,
  quality: QualityId,
  runs: number,
  bitrate?: number,
  keepLast = false,
): Promise<Pair> {
  const { plan, sourcePath } = planFor(srv, quality, bitrate);
  const pair: Pair = { server: [], bare: [], planMatches: true };
  for (let i = 0; i < runs; i++) {
    pair.bare.push(await bareRun(srv, plan, sourcePath, scratch));
    const job = await srv.syncUntilReady(srv.admin, {
      ItemIds: srv.ids['Bench Source'],
      Quality: quality,
      ...(bitrate ? { Bitrate: bitrate } : {}),
    });
    pair.server.push(job.ms);
    const ran = serverPlan(srv, job.jobId);
    if (!ran || planKey(ran) !== planKey(plan)) pair.planMatches = false;
    if (keepLast && i === runs - 1) pair.jobId = job.jobId;
    else await srv.cancelJob(srv.admin, job.jobId);
  }
  return pair;
}

function overheadResult(label: string, p: Pair): BenchResult {
  const server = median(p.server);
  const bare = median(p.bare);
  const ratio = ratioOf(server, bare);
  return {
    name: `conversion: ${label}, job-to-ready ÷ bare ffmpeg`,
    value: Math.round(server),
    unit: 'ms',
    baseline: Math.round(bare),
    ratio,
    target: '≤ 1.10',
    met: ratio <= 1.1,
    note: `median of ${p.server.length}; server ${p.server.map(Math.round).join('/')} ms, bare ${p.bare.map(Math.round).join('/')} ms${p.planMatches ? '' : '; WARNING: the server ran a different plan'}`,
  };
}

export async function runConversionBench(): Promise<BenchResult[]> {
  const media = benchTempDir('conv-media');
  const scratch = benchTempDir('conv-scratch');
  await makeVideo(path.join(media, 'Movies', SOURCE), {
    seconds: 20,
    video: { codec: 'h264', size: '1280x720', fps: 25 },
    audio: { codec: 'ac3', channels: 2 },
  });
  const srv = await startBenchServer(media);
  try {
    const results: BenchResult[] = [];
    // Remux: H.264 copied into MP4, AC3 → AAC (the device plays neither MKV nor AC3).
    const remux = await measure(srv, scratch, 'high', REMUX_RUNS, undefined, true);
    results.push(overheadResult('remux 20 s 720p MKV/AC3 → MP4/AAC', remux));

    // Convert once, share everywhere: a second device with the same profile reuses the output.
    const runs = () =>
      (srv.built.deps.db.prepare('SELECT COALESCE(SUM(attempts), 0) AS n FROM conversion_outputs').get() as { n: number }).n;
    const before = runs();
    const tablet = await srv.device('bench-tablet');
    const second = await srv.syncUntilReady(tablet, { ItemIds: srv.ids['Bench Source'], Quality: 'high' });
    const newRuns = runs() - before;
    results.push({
      name: 'conversion: second device, same profile: new ffmpeg runs',
      value: newRuns,
      unit: 'runs',
      target: '0',
      met: newRuns === 0,
    });
    results.push({
      name: 'conversion: second device, same profile: time to ready',
      value: Math.round(second.ms * 10) / 10,
      unit: 'ms',
      baseline: Math.round(median(remux.server)),
      ratio: ratioOf(second.ms, median(remux.server)),
      note: 'baseline: the first device, which waited for the remux',
    });
    await srv.cancelJob(tablet, second.jobId);
    if (remux.jobId) await srv.cancelJob(srv.admin, remux.jobId);

    // Transcode: x264 at 1.5 Mbps with the default settings (one thread: TranscodingCpuCoreLimit = 1).
    const transcode = await measure(srv, scratch, 'custom', 2, TRANSCODE_BITRATE);
    results.push(overheadResult('transcode 20 s 720p → H.264 1.5 Mbps', transcode));

    results.push({
      name: 'conversion: transcode ÷ remux, same source (bare ffmpeg)',
      value: Math.round(median(transcode.bare)),
      unit: 'ms',
      baseline: Math.round(median(remux.bare)),
      ratio: ratioOf(median(transcode.bare), median(remux.bare)),
      note: 'what choosing a remux over a transcode saves',
    });
    return results;
  } finally {
    await srv.close();
    fs.rmSync(media, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
