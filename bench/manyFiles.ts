/**
 * With the default settings, a job of ~20 small mixed files and one long transcode through the server,
 * against bare ffmpeg running the ideal commands — the same plans, every core, no niceness — one after
 * another, measured side by side in this run. Targets: the many-file job ≤ 1.05 ×, the long one ≤ 1.02 ×.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildFfmpegArgs } from '../src/server/convert/ffmpegArgs.js';
import { SqlSyncLibrary } from '../src/server/sync/sqlSyncLibrary.js';
import { decideConversion, needsConversion, type ConversionPlan } from '../src/shared/profile/decision.js';
import { benchTempDir, BROWSER_PROFILE, startBenchServer, type BenchServer } from './harness.js';
import { makeVideo, timeFfmpeg } from './media.js';
import { median, ratioOf, type BenchResult } from './report.js';

const LONG_BITRATE = 1_500_000;
const RUNS = 3;

interface Source {
  name: string;
  make: (out: string) => Promise<string>;
}

const clip =
  (codec: 'h264' | 'hevc', audio: 'aac' | 'ac3', seconds: number, size = '640x360') =>
  (out: string) =>
    makeVideo(out, { seconds, video: { codec, size, fps: 25 }, audio: { codec: audio, channels: 2 } });

/** 20 files as a small library mixes them: remuxes (MKV/AC3), transcodes (HEVC), direct MP4s, songs. */
function mixedLibrary(): Source[] {
  const out: Source[] = [];
  for (let i = 1; i <= 8; i++) out.push({ name: `Movies/Remux ${i} (2020).mkv`, make: clip('h264', 'ac3', 6) });
  for (let i = 1; i <= 6; i++) out.push({ name: `Movies/Transcode ${i} (2021).mkv`, make: clip('hevc', 'aac', 5) });
  for (let i = 1; i <= 3; i++) out.push({ name: `Movies/Direct ${i} (2022).mp4`, make: clip('h264', 'aac', 6) });
  for (let i = 1; i <= 3; i++)
    out.push({ name: `Music/Artist/Album/0${i} Song ${i}.flac`, make: (o) => makeVideo(o, { seconds: 20, audio: { codec: 'flac' } }) });
  return out;
}

function plansOf(
  srv: BenchServer,
  quality: 'high' | 'custom',
  bitrate?: number,
): Array<{ id: string; plan: ConversionPlan; path: string }> {
  const { db } = srv.built.deps;
  const admin = db.prepare(`SELECT id FROM users WHERE name = 'admin'`).get() as { id: string };
  const none = () => [];
  const lib = new SqlSyncLibrary(db, { latest: none, resume: none, nextUp: none });
  const rows = db.prepare(`SELECT id FROM items WHERE type IN ('Movie', 'Audio')`).all() as { id: string }[];
  return rows.map(({ id }) => {
    const item = lib.getItem(admin.id, id)!;
    const source = lib.mediaSource(item)!;
    const plan = decideConversion({
      mediaType: item.type === 'Audio' ? 'Audio' : 'Video',
      source,
      profile: BROWSER_PROFILE,
      quality,
      bitrate,
      enableTranscoding: true,
      context: 'Static',
    });
    return { id, plan, path: item.path! };
  });
}

/**
 * The ideal: each plan's ffmpeg command, every core, one after another — at normal priority, or at the
 * server's nice 10 (on a box shared with other work the niceness alone changes the wall time; comparing at
 * equal priority leaves the engine's own costs).
 */
async function bare(plans: ReturnType<typeof plansOf>, scratch: string, niceness = 0): Promise<number> {
  let total = 0;
  for (const { plan, path: input } of plans) {
    if (!needsConversion(plan) || plan.kind === 'direct') continue;
    const out = path.join(scratch, `bare.${plan.container}`);
    total += await timeFfmpeg(buildFfmpegArgs(plan, { inputPath: input, outputPath: out, threads: 0, fullSpeed: true }), niceness);
    fs.rmSync(out, { force: true });
  }
  return total;
}

async function sideBySide(
  srv: BenchServer,
  scratch: string,
  runs: number,
  ids: string[],
  request: Record<string, unknown>,
  plans: ReturnType<typeof plansOf>,
): Promise<{ server: number[]; bare: number[]; bareNice: number[] }> {
  const r = { server: [] as number[], bare: [] as number[], bareNice: [] as number[] };
  for (let i = 0; i < runs; i++) {
    r.bare.push(await bare(plans, scratch));
    r.bareNice.push(await bare(plans, scratch, 10));
    const job = await srv.syncUntilReady(srv.admin, { ItemIds: ids.join(','), ...request });
    r.server.push(job.ms);
    await srv.cancelJob(srv.admin, job.jobId);
  }
  return r;
}

function result(name: string, r: { server: number[]; bare: number[] }, target: number): BenchResult {
  const server = median(r.server);
  const baseline = median(r.bare);
  const ratio = ratioOf(server, baseline);
  return {
    name,
    value: Math.round(server),
    unit: 'ms',
    baseline: Math.round(baseline),
    ratio,
    target: `≤ ${target.toFixed(2)}`,
    met: ratio <= target,
    note: `default settings; median of ${r.server.length}; server ${r.server.map(Math.round).join('/')} ms, bare ${r.bare.map(Math.round).join('/')} ms`,
  };
}

export async function runManyFilesBench(): Promise<BenchResult[]> {
  const media = benchTempDir('many-media');
  const scratch = benchTempDir('many-scratch');
  const sources = mixedLibrary();
  for (const s of sources) {
    fs.mkdirSync(path.dirname(path.join(media, s.name)), { recursive: true });
    await s.make(path.join(media, s.name));
  }
  await makeVideo(path.join(media, 'Movies', 'Long Transcode (2019).mkv'), {
    seconds: 40,
    // H.264 (quick to generate) made a transcode by a 1.5 Mbps job bitrate, as bench/conversion.ts does.
    video: { codec: 'h264', size: '1280x720', fps: 25 },
    audio: { codec: 'aac', channels: 2 },
  });
  const srv = await startBenchServer(media);
  try {
    const longId = srv.ids['Long Transcode']!;
    const all = plansOf(srv, 'high');
    const many = all.filter((p) => p.id !== longId);
    // Three pairs, not two: the median of two is their mean, and one disturbed pair on a shared box moved it by 30 %.
    const manyRuns = await sideBySide(
      srv,
      scratch,
      RUNS,
      many.map((p) => p.id),
      { Quality: 'high' },
      many,
    );
    const long = plansOf(srv, 'custom', LONG_BITRATE).filter((p) => p.id === longId);
    const longRuns = await sideBySide(srv, scratch, RUNS, [longId], { Quality: 'custom', Bitrate: LONG_BITRATE }, long);
    const kinds = many.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.plan.kind]: (acc[p.plan.kind] ?? 0) + 1 }), {});
    const manyResult = result(`many files: ${many.length}-item mixed job to ready ÷ bare ffmpeg`, manyRuns, 1.05);
    manyResult.note += `; plans ${Object.entries(kinds)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}`;
    const atNice = (name: string, runs: { server: number[]; bareNice: number[] }) => {
      const res = result(name, { server: runs.server, bare: runs.bareNice }, Infinity);
      delete res.target;
      delete res.met;
      return res;
    };
    return [
      manyResult,
      atNice('many files: the same job ÷ bare ffmpeg at the same nice 10', manyRuns),
      result('many files: one 40 s 720p → H.264 1.5 Mbps transcode to ready ÷ bare ffmpeg', longRuns, 1.02),
      atNice('many files: the long transcode ÷ bare ffmpeg at the same nice 10', longRuns),
    ];
  } finally {
    await srv.close();
    fs.rmSync(media, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
