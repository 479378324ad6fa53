/**
 * The self-test a candidate binary passes before it is used: ffmpeg must start, have the encoders
 * conversion needs, write the sample set (the first time) and decode every sample; ffprobe must read every
 * sample and report its container and streams correctly. A crash, a timeout or a wrong answer fails the
 * candidate with a reason a log line can show.
 */
import path from 'node:path';
import type { ToolKind } from './binaries.js';
import { parseNameList, parseVersion } from './capabilities.js';
import { describeFailure, runTool } from './runTool.js';
import { SAMPLE_SECONDS, SAMPLE_SPECS, samplesDir, samplesPresent, writeSamples, type SampleSpec } from './selfTestSamples.js';

export interface Verdict {
  kind: ToolKind;
  ok: boolean;
  /** Why it failed ("crashed (SIGSEGV) on the MPEG-TS sample"), or why it could not be tested. */
  reason?: string;
  /** False when nothing could be checked (no samples): such a binary is used only when nothing passed. */
  tested: boolean;
  version?: string;
  encoders?: string[];
  filters?: string[];
}

/** Encoders every conversion plan can ask for; an ffmpeg without them cannot do the job. */
export const REQUIRED_ENCODERS = ['libx264', 'aac'];

const TIMEOUT_MS = 15_000;

/** The exact arguments the library prober uses, so the self-test exercises what the scan will run. */
export function ffprobeArgs(file: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '--', file];
}

export async function testFfmpeg(bin: string, cacheDir: string): Promise<Verdict> {
  const fail = (reason: string, extra: Partial<Verdict> = {}): Verdict => ({ kind: 'ffmpeg', ok: false, tested: true, reason, ...extra });
  const [version, enc, filt] = await Promise.all(
    ['-version', '-encoders', '-filters'].map((opt) => runTool(bin, ['-hide_banner', opt], { timeoutMs: TIMEOUT_MS })),
  );
  if (version!.code !== 0) return fail(describeFailure(version!, TIMEOUT_MS));
  const facts = { version: parseVersion(version!.stdout), encoders: parseNameList(enc!.stdout), filters: parseNameList(filt!.stdout) };
  if (enc!.code !== 0) return fail(`-encoders: ${describeFailure(enc!, TIMEOUT_MS)}`, facts);
  const missing = REQUIRED_ENCODERS.filter((e) => !facts.encoders.includes(e));
  if (missing.length) return fail(`has no ${missing.join(', ')} encoder`, facts);
  try {
    await writeSamples(bin, cacheDir);
  } catch (err) {
    return fail((err as Error).message, facts);
  }
  const problem = await decodeSamples(bin, samplesDir(cacheDir));
  return problem ? fail(problem, facts) : { kind: 'ffmpeg', ok: true, tested: true, ...facts };
}

/** One process decodes all samples (fast); only when it fails is each sample tried alone to name the culprit. */
async function decodeSamples(bin: string, dir: string): Promise<string | undefined> {
  const inputs = SAMPLE_SPECS.flatMap((s) => ['-i', path.join(dir, s.file)]);
  const maps = SAMPLE_SPECS.flatMap((_, i) => ['-map', String(i)]);
  const all = await runTool(bin, ['-v', 'error', '-nostdin', ...inputs, ...maps, '-f', 'null', '-'], { timeoutMs: TIMEOUT_MS });
  if (all.code === 0 && !all.signal) return undefined;
  for (const s of SAMPLE_SPECS) {
    const one = await runTool(bin, ['-v', 'error', '-nostdin', '-i', path.join(dir, s.file), '-f', 'null', '-'], { timeoutMs: TIMEOUT_MS });
    if (one.code !== 0) return `${describeFailure(one, TIMEOUT_MS)} decoding the ${s.label} sample`;
  }
  return `${describeFailure(all, TIMEOUT_MS)} decoding the samples together`;
}

export async function testFfprobe(bin: string, cacheDir: string): Promise<Verdict> {
  const version = await runTool(bin, ['-hide_banner', '-version'], { timeoutMs: TIMEOUT_MS });
  if (version.code !== 0) return { kind: 'ffprobe', ok: false, tested: true, reason: describeFailure(version, TIMEOUT_MS) };
  const facts = { version: parseVersion(version.stdout) };
  if (!samplesPresent(cacheDir))
    return { kind: 'ffprobe', ok: false, tested: false, reason: 'no working ffmpeg wrote the test samples', ...facts };
  const dir = samplesDir(cacheDir);
  const problems = await Promise.all(SAMPLE_SPECS.map((s) => checkProbe(bin, path.join(dir, s.file), s)));
  const problem = problems.find(Boolean);
  return problem
    ? { kind: 'ffprobe', ok: false, tested: true, reason: problem, ...facts }
    : { kind: 'ffprobe', ok: true, tested: true, ...facts };
}

interface ProbeJson {
  format?: { format_name?: string; duration?: string };
  streams?: Array<{ codec_type?: string; codec_name?: string }>;
}

async function checkProbe(bin: string, file: string, s: SampleSpec): Promise<string | undefined> {
  const run = await runTool(bin, ffprobeArgs(file), { timeoutMs: TIMEOUT_MS });
  if (run.code !== 0 || run.signal) return `${describeFailure(run, TIMEOUT_MS)} on the ${s.label} sample`;
  return judgeProbeOutput(run.stdout, s);
}

/** Pure: what is wrong with ffprobe's answer for a sample, or undefined when it is right. */
export function judgeProbeOutput(stdout: string, s: SampleSpec): string | undefined {
  let out: ProbeJson;
  try {
    out = JSON.parse(stdout) as ProbeJson;
  } catch {
    return `printed no JSON for the ${s.label} sample`;
  }
  const formats = (out.format?.format_name ?? '').split(',');
  if (!formats.includes(s.format)) return `misread the ${s.label} sample as "${out.format?.format_name ?? 'nothing'}"`;
  const streams = (out.streams ?? []).map((st) => `${st.codec_type}:${st.codec_name}`);
  if (streams.join(' ') !== s.streams.join(' ')) return `misread the ${s.label} sample's streams as ${streams.join(', ') || 'none'}`;
  const duration = Number(out.format?.duration);
  if (!(Math.abs(duration - SAMPLE_SECONDS) < 0.25)) return `misread the ${s.label} sample's duration as ${out.format?.duration ?? 'none'}`;
  return undefined;
}
