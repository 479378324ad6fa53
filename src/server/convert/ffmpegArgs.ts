/**
 * ConversionPlan → ffmpeg argument list. Pure, so each plan kind has a golden list in
 * tests/unit/ffmpegArgs.test.ts and a plan change shows up as a readable diff.
 * Only options the npm ffmpeg binary (a 2018 static build, ~4.1) understands.
 */
import type {
  AudioAction,
  AudioRemuxPlan,
  AudioTranscodePlan,
  ConversionPlan,
  RemuxPlan,
  SubtitleAction,
  TranscodePlan,
  VideoEncode,
} from '../../shared/profile/decision.js';
// The same table the decision checks the toolchain against (media/serverEncoders.ts), so a plan names
// only encoders this ffmpeg has.
import { AUDIO_ENCODERS, VIDEO_ENCODERS } from '../../shared/profile/encoders.js';

export interface FfmpegOutputOptions {
  inputPath: string;
  outputPath: string;
  /** Encoder threads (TranscodingCpuCoreLimit); 0 = ffmpeg's choice. */
  threads: number;
  /**
   * EnableFullSpeedTranscoding: every core (no `-threads` cap). Emby throttled to the native frame rate
   * instead; for a file that only makes the conversion slower, so the CPU cap is what the switch lifts.
   */
  fullSpeed?: boolean;
  /** Embedded text subtitles written as sidecars by the same command, so the source is read once. */
  subtitleOutputs?: readonly SubtitleOutput[];
  /** Optional filters this ffmpeg build has (ffmpegFilters.ts); without zscale HDR gets the fallback. */
  filters?: FilterSupport;
}

export interface FilterSupport {
  /** zscale (zimg): Debian's ffmpeg has it, the npm 4.1 static build does not. */
  zscale: boolean;
}

export interface SubtitleOutput {
  /** Absolute stream index in the input. */
  streamIndex: number;
  /** 'vtt' | 'srt' | 'ass'. */
  format: string;
  path: string;
}

const MUXERS: Record<string, string> = {
  mp4: 'mp4',
  m4v: 'mp4',
  mov: 'mov',
  m4a: 'ipod',
  mkv: 'matroska',
  webm: 'webm',
  ts: 'mpegts',
  mp3: 'mp3',
  aac: 'adts',
  flac: 'flac',
  ogg: 'ogg',
  opus: 'opus',
};

const SUBTITLE_ENCODERS: Record<string, { codec: string; muxer: string }> = {
  vtt: { codec: 'webvtt', muxer: 'webvtt' },
  srt: { codec: 'srt', muxer: 'srt' },
  ass: { codec: 'ass', muxer: 'ass' },
};

/** MP4-family files get their index at the front so they play and seek while still downloading. */
const FASTSTART = new Set(['mp4', 'mov', 'ipod']);

function muxer(container: string): string {
  const m = MUXERS[container.toLowerCase()];
  if (!m) throw new Error(`no muxer for container ${container}`);
  return m;
}

function audioEncoder(codec: string): string {
  const e = AUDIO_ENCODERS[codec];
  if (!e) throw new Error(`no encoder for audio codec ${codec}`);
  return e;
}

const kbps = (bps: number) => `${Math.round(bps / 1000)}k`;

/** Options every command shares: machine-readable progress on stdout, only errors on stderr. */
function preamble(inputPath: string): string[] {
  return ['-hide_banner', '-nostdin', '-y', '-v', 'error', '-progress', 'pipe:1', '-nostats', '-i', inputPath];
}

function threadArgs(threads: number, fullSpeed = false): string[] {
  return threads > 0 && !fullSpeed ? ['-threads', String(threads)] : [];
}

function containerArgs(container: string, outputPath: string): string[] {
  const m = muxer(container);
  return [...(FASTSTART.has(m) ? ['-movflags', '+faststart'] : []), '-f', m, outputPath];
}

/**
 * Audio streams in plan order; the first is the default track, the rest explicitly not (otherwise MP4
 * players may pick whichever the source flagged). Stream titles and languages are kept: ffmpeg copies
 * per-stream metadata of mapped streams by default.
 */
function audioArgs(audio: readonly AudioAction[]): string[] {
  const args: string[] = [];
  audio.forEach((a, k) => {
    if (a.action === 'copy') args.push(`-c:a:${k}`, 'copy');
    else args.push(`-c:a:${k}`, audioEncoder(a.codec), `-b:a:${k}`, kbps(a.bitrate), `-ac:a:${k}`, String(a.channels));
    args.push(`-disposition:a:${k}`, k === 0 ? 'default' : '0');
  });
  return args;
}

function embeddedSubtitles(subtitles: readonly SubtitleAction[]): SubtitleAction[] {
  return subtitles.filter((s) => s.action === 'embed' && !s.external);
}

function subtitleCodecArgs(subtitles: readonly SubtitleAction[]): string[] {
  return subtitles.flatMap((s, k) => {
    const format = s.format ?? s.codec;
    const codec = format === 'mov_text' ? 'mov_text' : (SUBTITLE_ENCODERS[format]?.codec ?? 'copy');
    return [`-c:s:${k}`, codec];
  });
}

function maps(videoLabel: string | undefined, audio: readonly AudioAction[], subtitles: readonly SubtitleAction[]): string[] {
  return [
    ...(videoLabel ? ['-map', videoLabel] : []),
    ...audio.flatMap((a) => ['-map', `0:${a.streamIndex}`]),
    ...subtitles.flatMap((s) => ['-map', `0:${s.index}`]),
  ];
}

function sidecarOutputs(outputs: readonly SubtitleOutput[] | undefined): string[] {
  return (outputs ?? []).flatMap((o) => {
    const enc = SUBTITLE_ENCODERS[o.format];
    if (!enc) throw new Error(`no subtitle encoder for ${o.format}`);
    return ['-map', `0:${o.streamIndex}`, '-c:s', enc.codec, '-f', enc.muxer, o.path];
  });
}

/** ffmpeg's level option: profiles say 41 for 4.1. */
function levelString(level: number): string {
  return level >= 10 ? (level / 10).toFixed(1) : String(level);
}

/** Escape a path for a filter option value, then for the filter graph around it. */
function escapeFilterPath(p: string): string {
  const inOption = p.replace(/[\\':]/g, (c) => `\\${c}`);
  return inOption.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/**
 * Deinterlace first (bwdif takes its field order from each frame: parity=auto), then the frame-rate cap,
 * then scale to the planned size — before tone-mapping, so a 4K HDR source is mapped at 1080p, not at 4× the
 * cost — and square pixels (setsar=1: an anamorphic source was planned at its display size).
 */
function videoFilters(video: VideoEncode, filters: FilterSupport = { zscale: false }): string[] {
  const chain: string[] = [];
  if (video.deinterlace) chain.push('bwdif=mode=send_frame:parity=auto:deint=all');
  if (video.framerate) chain.push(`fps=${video.framerate}`);
  // Without known dimensions, still force even ones: yuv420p can't encode an odd width or height.
  const size = video.width && video.height ? `${video.width}:${video.height}` : 'trunc(iw/2)*2:trunc(ih/2)*2';
  const zscale = video.toneMap !== undefined && filters.zscale;
  // Fallback without zimg: convert the BT.2020 matrix to BT.709 so hues are right; brightness is not
  // mapped (PQ levels shown as SDR look flat), which is still better than a picture labelled HDR.
  const matrix = video.toneMap !== undefined && !zscale ? ':in_color_matrix=bt2020:out_color_matrix=bt709' : '';
  chain.push(`scale=${size}${matrix}`);
  if (zscale) chain.push(...toneMapChain(video.toneMap!.from));
  chain.push('setsar=1');
  return chain;
}

/** HDR → SDR BT.709 through linear light (README §3): zimg linearises, Hable tone-maps, zimg re-encodes. */
function toneMapChain(from: 'pq' | 'hlg'): string[] {
  const transfer = from === 'pq' ? 'smpte2084' : 'arib-std-b67';
  return [
    `zscale=tin=${transfer}:min=bt2020nc:pin=bt2020:t=linear:npl=100`,
    'format=gbrpf32le',
    'zscale=p=bt709',
    'tonemap=hable:desat=0',
    'zscale=t=bt709:m=bt709:r=tv',
    'format=yuv420p',
  ];
}

/** The video part: either a plain -vf chain, or a filter graph that first burns a subtitle in. */
function videoGraph(plan: TranscodePlan, inputPath: string, filters?: FilterSupport): { label: string; args: string[] } {
  const burned = plan.subtitles.find((s) => s.action === 'burn');
  const chain = videoFilters(plan.video, filters).join(',');
  const v = `0:${plan.video.streamIndex}`;
  if (!burned) return { label: v, args: ['-vf', chain] };
  if (/^(pgssub|dvdsub|dvbsub)$/.test(burned.codec)) {
    // Overlay before scaling: image subtitles are drawn for the source's frame size.
    return { label: '[v]', args: ['-filter_complex', `[${v}][0:${burned.index}]overlay,${chain}[v]`] };
  }
  // Text subtitles through libass; `si` counts subtitle streams only.
  const relative = plan.subtitles.filter((s) => !s.external).findIndex((s) => s === burned);
  return {
    label: '[v]',
    args: ['-filter_complex', `[${v}]subtitles=${escapeFilterPath(inputPath)}:si=${relative},${chain}[v]`],
  };
}

function encoderArgs(video: VideoEncode): string[] {
  const args = ['-c:v', VIDEO_ENCODERS[video.codec]];
  if (video.codec === 'h264' || video.codec === 'hevc') args.push('-preset', 'veryfast');
  if (video.codec === 'vp9' || video.codec === 'vp8') args.push('-deadline', 'good', '-cpu-used', '5');
  if (video.codec === 'h264' && video.profile) args.push('-profile:v', video.profile);
  if (video.codec === 'h264' && video.level) args.push('-level:v', levelString(video.level));
  if (video.codec === 'hevc') args.push('-tag:v', 'hvc1');
  args.push('-b:v', kbps(video.bitrate), '-maxrate', kbps(video.maxBitrate), '-bufsize', kbps(video.bufsize));
  args.push('-pix_fmt', video.pixFmt);
  // A tone-mapped picture is SDR BT.709: say so, or players keep reading the source's HDR tags.
  if (video.toneMap) args.push('-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709');
  if (video.gop) args.push('-g', String(video.gop));
  // Keyframes at fixed times so segments (HLS) and seeks can start at any multiple of N seconds.
  args.push('-force_key_frames', `expr:gte(t,n_forced*${video.keyframeIntervalSeconds})`);
  return args;
}

/** What follows the video codec in every video output: audio, subtitles, threads, the muxer and sidecars. */
function videoOutputTail(plan: RemuxPlan | TranscodePlan, subs: SubtitleAction[], o: FfmpegOutputOptions): string[] {
  return [
    ...audioArgs(plan.audio),
    ...subtitleCodecArgs(subs),
    ...threadArgs(o.threads, o.fullSpeed),
    // Sparse subtitle or late audio packets otherwise overflow the default queue (on copy above all).
    '-max_muxing_queue_size',
    '1024',
    ...containerArgs(plan.container, o.outputPath),
    ...sidecarOutputs(o.subtitleOutputs),
  ];
}

function remuxArgs(plan: RemuxPlan, o: FfmpegOutputOptions): string[] {
  const subs = embeddedSubtitles(plan.subtitles);
  return [
    ...preamble(o.inputPath),
    ...maps(`0:${plan.video.streamIndex}`, plan.audio, subs),
    '-c:v',
    'copy',
    ...(plan.video.codec === 'hevc' && muxer(plan.container) === 'mp4' ? ['-tag:v', 'hvc1'] : []),
    ...videoOutputTail(plan, subs, o),
  ];
}

function transcodeArgs(plan: TranscodePlan, o: FfmpegOutputOptions): string[] {
  const subs = embeddedSubtitles(plan.subtitles);
  const graph = videoGraph(plan, o.inputPath, o.filters);
  return [
    ...preamble(o.inputPath),
    ...graph.args,
    ...maps(graph.label, plan.audio, subs),
    ...encoderArgs(plan.video),
    ...videoOutputTail(plan, subs, o),
  ];
}

function audioOnlyArgs(plan: AudioRemuxPlan | AudioTranscodePlan, o: FfmpegOutputOptions): string[] {
  const a = plan.audio;
  const codec =
    a.action === 'copy' ? ['-c:a', 'copy'] : ['-c:a', audioEncoder(a.codec), '-b:a', kbps(a.bitrate), '-ac', String(a.channels)];
  const m = muxer(plan.container);
  return [
    ...preamble(o.inputPath),
    // Cover art stays behind: clients fetch images from the image API, and not every muxer takes it.
    '-map',
    `0:${a.streamIndex}`,
    '-vn',
    ...codec,
    // ID3v2.3 is what most players read; ffmpeg writes 2.4 by default.
    ...(m === 'mp3' ? ['-id3v2_version', '3'] : []),
    ...threadArgs(o.threads, o.fullSpeed),
    ...containerArgs(plan.container, o.outputPath),
  ];
}

/** The ffmpeg command for a plan. A direct plan copies no media: only its sidecars need ffmpeg. */
export function buildFfmpegArgs(plan: ConversionPlan, options: FfmpegOutputOptions): string[] {
  switch (plan.kind) {
    case 'remux':
      return remuxArgs(plan, options);
    case 'transcode':
      return transcodeArgs(plan, options);
    case 'audio-remux':
    case 'audio-transcode':
      return audioOnlyArgs(plan, options);
    case 'direct':
      throw new Error('a direct plan serves the source file; use buildSubtitleExtractArgs for its sidecars');
  }
}

export interface SubtitleExtractOptions {
  /** The media file (embedded stream) or the sidecar file — or 'pipe:0' with `inputFormat` for text fed on stdin. */
  inputPath: string;
  /** Absolute stream index for an embedded subtitle; omitted for a sidecar (its only stream). */
  streamIndex?: number;
  /** Demuxer for the input, needed when reading stdin (e.g. 'srt', 'ass'). */
  inputFormat?: string;
  /** 'vtt' | 'srt' | 'ass'. */
  format: string;
  outputPath: string;
}

/**
 * One text subtitle → a sidecar, straight from its source (not through a remuxed file, which can shift
 * times). Sidecars in legacy encodings are decoded to UTF-8 by the caller first: this ffmpeg crashes on a
 * non-UTF-8 `-sub_charenc`, so we never pass one.
 */
export function buildSubtitleExtractArgs(o: SubtitleExtractOptions): string[] {
  const enc = SUBTITLE_ENCODERS[o.format];
  if (!enc) throw new Error(`no subtitle encoder for ${o.format}`);
  const fromStdin = o.inputPath === 'pipe:0' || o.inputPath === '-';
  return [
    '-hide_banner',
    ...(fromStdin ? [] : ['-nostdin']),
    '-y',
    '-v',
    'error',
    ...(o.inputFormat ? ['-f', o.inputFormat] : []),
    '-i',
    o.inputPath,
    '-map',
    o.streamIndex === undefined ? '0:s:0' : `0:${o.streamIndex}`,
    '-c:s',
    enc.codec,
    '-f',
    enc.muxer,
    o.outputPath,
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Building blocks for other command builders (the streaming HLS builder in playback/hlsArgs.ts), so a
// transcode encodes the same way whether it is synced or streamed.

/** The encoder options of a video transcode (codec, preset, rate control, forced keyframes). */
export function videoEncoderArgs(video: VideoEncode): string[] {
  return encoderArgs(video);
}

/** The `-vf` chain of a video transcode (deinterlace, frame rate cap, scale, tone-map), without any burned-in subtitle. */
export function videoFilterChain(video: VideoEncode, filters?: FilterSupport): string {
  return videoFilters(video, filters).join(',');
}

/** ffmpeg's encoder name for an audio codec (throws for one we can't encode). */
export function audioEncoderName(codec: string): string {
  return audioEncoder(codec);
}
