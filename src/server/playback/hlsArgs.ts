/**
 * A streaming ConversionPlan → the ffmpeg command for one HLS encoder run. Pure (unit-tested), built from
 * the same encoder pieces as a sync conversion (convert/ffmpegArgs.ts), so a streamed transcode looks
 * like a synced one. Differences, and why:
 * - one audio stream: a muxed HLS variant carries one track; switching tracks starts a new session;
 * - no subtitles in the stream: the player gets text subtitles as WebVTT tracks beside the video;
 * - `-ss` before `-i` to start at a segment boundary, and `-output_ts_offset` so timestamps stay absolute
 *   across restarts (segments from two runs line up on the player's timeline);
 * - keyframes forced every segment length, so each transcoded segment is exactly that long.
 */
import type { AudioAction, AudioRemuxPlan, AudioTranscodePlan, RemuxPlan, TranscodePlan } from '../../shared/profile/decision.js';
import { canMuxAudio } from '../../shared/profile/codecs.js';
import { audioEncoderName, videoEncoderArgs, videoFilterChain } from '../convert/ffmpegArgs.js';
import { segmentExtension, type SegmentType } from './hlsPlaylists.js';

export type StreamPlan = RemuxPlan | TranscodePlan | AudioRemuxPlan | AudioTranscodePlan;

export interface HlsRunOptions {
  inputPath: string;
  /** The session's segment directory. */
  dir: string;
  /** Distinguishes this run's files from earlier runs' (a restart never overwrites a served segment). */
  runName: string;
  startSegment: number;
  segmentSeconds: number;
  segmentType: SegmentType;
  /** Encoder threads; 0 = ffmpeg's choice. */
  threads: number;
  /** The source audio stream the user picked; else the plan's first. */
  audioStreamIndex?: number;
}

export function runPlaylistName(runName: string): string {
  return `${runName}.m3u8`;
}

export function runSegmentName(runName: string, index: number, type: SegmentType): string {
  return `${runName}-${index}.${segmentExtension(type)}`;
}

export function runInitName(runName: string): string {
  return `${runName}-init.mp4`;
}

const kbps = (bps: number) => `${Math.round(bps / 1000)}k`;

/** The one audio stream of the variant: the picked one if the plan carries it, else the plan's first. */
export function pickAudio(audio: readonly AudioAction[], streamIndex: number | undefined): AudioAction | undefined {
  return audio.find((a) => a.streamIndex === streamIndex) ?? audio[0];
}

function audioArgs(a: AudioAction, container: 'ts' | 'mp4'): string[] {
  // A copy the segment container can't carry (the plan was made for another container) is re-encoded.
  if (a.action === 'copy' && canMuxAudio(container, a.codec)) return ['-c:a', 'copy'];
  if (a.action === 'copy') return ['-c:a', 'aac', '-b:a', kbps(Math.min(a.bitrate ?? 192_000, 320_000)), '-ac', '2'];
  return ['-c:a', audioEncoderName(a.codec), '-b:a', kbps(a.bitrate), '-ac', String(a.channels)];
}

function videoArgs(plan: RemuxPlan | TranscodePlan, segmentSeconds: number): string[] {
  if (plan.kind === 'remux') {
    return ['-map', `0:${plan.video.streamIndex}`, '-c:v', 'copy', ...(plan.video.codec === 'hevc' ? ['-tag:v', 'hvc1'] : [])];
  }
  const fps = plan.video.gop ? plan.video.gop / plan.video.keyframeIntervalSeconds : undefined;
  const video = {
    ...plan.video,
    keyframeIntervalSeconds: segmentSeconds,
    gop: fps ? Math.max(1, Math.round(fps * segmentSeconds)) : undefined,
  };
  return ['-map', `0:${plan.video.streamIndex}`, '-vf', videoFilterChain(video), ...videoEncoderArgs(video)];
}

export function buildHlsArgs(plan: StreamPlan, o: HlsRunOptions): string[] {
  const start = o.startSegment * o.segmentSeconds;
  const container = o.segmentType === 'fmp4' ? 'mp4' : 'ts';
  const args = ['-hide_banner', '-nostdin', '-y', '-v', 'error'];
  if (start > 0) args.push('-ss', String(start));
  args.push('-i', o.inputPath);

  if (plan.kind === 'remux' || plan.kind === 'transcode') {
    args.push(...videoArgs(plan, o.segmentSeconds));
    const audio = pickAudio(plan.audio, o.audioStreamIndex);
    if (audio) args.push('-map', `0:${audio.streamIndex}`, ...audioArgs(audio, container));
  } else {
    args.push('-map', `0:${plan.audio.streamIndex}`, '-vn', ...audioArgs(plan.audio, container));
  }
  args.push('-sn', '-dn');
  if (o.threads > 0) args.push('-threads', String(o.threads));
  args.push('-max_muxing_queue_size', '1024');
  if (start > 0) args.push('-output_ts_offset', String(start));
  args.push(
    '-f',
    'hls',
    '-hls_time',
    String(o.segmentSeconds),
    '-hls_list_size',
    '0',
    '-hls_segment_type',
    o.segmentType,
    ...(o.segmentType === 'fmp4' ? ['-hls_fmp4_init_filename', runInitName(o.runName)] : []),
    '-start_number',
    String(o.startSegment),
    '-hls_segment_filename',
    `${o.dir}/${o.runName}-%d.${segmentExtension(o.segmentType)}`,
    `${o.dir}/${runPlaylistName(o.runName)}`,
  );
  return args;
}
