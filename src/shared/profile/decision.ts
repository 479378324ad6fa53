/**
 * The conversion decision (API.md §5.6): for one media source, a DeviceProfile and a quality, whether the
 * original is served, remuxed (video copied, ~100–200× faster than a transcode) or transcoded — as a
 * ConversionPlan that ffmpegArgs turns into a command and the output store keys shared outputs by.
 */
import type { MediaSourceInfo, MediaStream, MediaType } from '../api/items.js';
import { qualityCap, type SyncQualityId } from '../quality.js';
import {
  canMuxAudio,
  canMuxVideo,
  canonicalCodec,
  canonicalContainer,
  csvList,
  ENCODABLE_AUDIO,
  ENCODABLE_VIDEO,
  isWritableContainer,
  listAccepts,
} from './codecs.js';
import {
  audioProperties,
  capsFromConditions,
  codecConditions,
  describeFailure,
  failedConditions,
  videoFramerate,
  videoProperties,
  type OutputCaps,
  type SourceProperties,
} from './conditions.js';
import { planSubtitles, type SubtitleAction } from './subtitles.js';
import type { DeviceProfile, DirectPlayProfile, ProfileCondition, TranscodingProfile } from './types.js';
import {
  fitFrame,
  h264LevelFor,
  ladderBox,
  rateControlForCap,
  rateControlForTarget,
  sourceWorthyBitrate,
  type RateControl,
} from './videoOutput.js';

export type { SubtitleAction, SubtitleActionKind } from './subtitles.js';

/** Bump when the way a plan becomes an output changes (ffmpeg arguments, defaults): new outputs get new keys. */
export const RECIPE_VERSION = 1;

/** Seconds between forced keyframes: short enough for quick seeks and for cutting HLS segments later. */
export const KEYFRAME_INTERVAL_SECONDS = 3;

export type ConversionContext = 'Static' | 'Streaming';

export interface ConversionInput {
  mediaType: MediaType;
  source: MediaSourceInfo;
  profile: DeviceProfile;
  quality: SyncQualityId;
  /** Job Bitrate (bps): replaces the quality's cap for every quality but Original. */
  bitrate?: number;
  /** The user's EnableSyncTranscoding: false never re-encodes video (a remux is still allowed). */
  enableTranscoding: boolean;
  audioLanguage?: string;
  subtitleLanguage?: string;
  /** Default Static (sync). */
  context?: ConversionContext;
}

export type AudioAction =
  | { streamIndex: number; action: 'copy'; codec: string; language?: string; bitrate?: number }
  | { streamIndex: number; action: 'encode'; codec: string; bitrate: number; channels: number; language?: string };

export type VideoCodecOut = 'h264' | 'hevc' | 'vp9' | 'vp8';

export interface VideoEncode {
  streamIndex: number;
  codec: VideoCodecOut;
  /** Output frame (display orientation: ffmpeg applies the source's rotation while decoding). */
  width?: number;
  height?: number;
  maxBitrate: number;
  bitrate: number;
  bufsize: number;
  /** H.264 style level × 10 (41 = 4.1), when the profile caps it. */
  level?: number;
  profile?: string;
  pixFmt: 'yuv420p';
  keyframeIntervalSeconds: number;
  /** Output frame rate, only when the profile caps it below the source's. */
  framerate?: number;
  /** Most frames between keyframes (-g), when the frame rate is known. */
  gop?: number;
}

interface PlanBase {
  /** Why this plan and not a cheaper one, in words for logs and the admin UI. Not part of the key. */
  reasons: string[];
}

/** The source file as is (also every photo); embedded/sidecar text subtitles may still be extracted. */
export interface DirectPlan extends PlanBase {
  kind: 'direct';
  mediaType: MediaType;
  subtitles: SubtitleAction[];
}

/** Video copied into the profile's container; each audio stream copied or converted. */
export interface RemuxPlan extends PlanBase {
  kind: 'remux';
  container: string;
  /** `codec` is the source's, for the muxer (HEVC in MP4 wants the hvc1 tag). */
  video: { copy: true; streamIndex: number; codec: string };
  /** In output order: the user's language (or the default track) first; the first is marked default. */
  audio: AudioAction[];
  subtitles: SubtitleAction[];
}

export interface TranscodePlan extends PlanBase {
  kind: 'transcode';
  container: string;
  video: VideoEncode;
  audio: AudioAction[];
  subtitles: SubtitleAction[];
}

/** A song whose codec plays but whose container doesn't. */
export interface AudioRemuxPlan extends PlanBase {
  kind: 'audio-remux';
  container: string;
  audio: Extract<AudioAction, { action: 'copy' }>;
}

export interface AudioTranscodePlan extends PlanBase {
  kind: 'audio-transcode';
  container: string;
  audio: Extract<AudioAction, { action: 'encode' }>;
}

export type ConversionPlan = DirectPlan | RemuxPlan | TranscodePlan | AudioRemuxPlan | AudioTranscodePlan;

// ---------------------------------------------------------------------------------------------------------
// Small facts about a source

function num(value: number | string | undefined | null): number | undefined {
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

function mbps(bps: number): string {
  return `${Number((bps / 1e6).toFixed(1))} Mbps`;
}

function sourceContainers(source: MediaSourceInfo): string[] {
  const fromContainer = csvList(source.Container, canonicalContainer);
  if (fromContainer.length > 0) return fromContainer;
  const ext = /\.([a-z0-9]+)$/i.exec(source.Path ?? '')?.[1];
  return ext ? [canonicalContainer(ext)] : [];
}

export function durationSeconds(source: MediaSourceInfo): number | undefined {
  const ticks = num(source.RunTimeTicks);
  return ticks ? ticks / 10_000_000 : undefined;
}

/** The source's overall bitrate: as probed, else the sum of its streams', else size over duration. */
export function sourceBitrate(source: MediaSourceInfo): number | undefined {
  const probed = num(source.Bitrate);
  if (probed) return probed;
  const streams = source.MediaStreams ?? [];
  const video = streams.find((s) => s.Type === 'Video');
  if (video?.BitRate) {
    return streams.filter((s) => s.Type === 'Video' || s.Type === 'Audio').reduce((sum, s) => sum + (s.BitRate ?? 0), 0);
  }
  const size = num(source.Size);
  const duration = durationSeconds(source);
  return size && duration ? (size * 8) / duration : undefined;
}

function languageMatches(stream: MediaStream, language: string): boolean {
  const a = stream.Language?.toLowerCase();
  const b = language.toLowerCase();
  if (!a) return false;
  if (a === b) return true;
  // 'en' vs 'eng': a two-letter preference matches a three-letter tag that starts with it.
  return (a.length === 2 || b.length === 2) && a.slice(0, 2) === b.slice(0, 2);
}

/**
 * Audio streams in output order: the user's language first (its default track before the others), then
 * the source's default track, then the rest in source order.
 */
export function orderAudioStreams(streams: readonly MediaStream[], language?: string): MediaStream[] {
  const audio = streams.filter((s) => s.Type === 'Audio');
  const rank = (s: MediaStream) => {
    if (language && languageMatches(s, language)) return s.IsDefault ? 0 : 1;
    return s.IsDefault ? 2 : 3;
  };
  return audio
    .map((s, i) => ({ s, i }))
    .sort((x, y) => rank(x.s) - rank(y.s) || x.i - y.i)
    .map((x) => x.s);
}

function firstTranscodingProfile(
  profile: DeviceProfile,
  type: 'Video' | 'Audio',
  context: ConversionContext,
): TranscodingProfile | undefined {
  return (profile.TranscodingProfiles ?? []).find((p) => {
    if (p.Type !== type) return false;
    const ctx = (p.Context ?? 'Streaming').toLowerCase();
    return ctx === context.toLowerCase();
  });
}

function failureText(label: string, failures: readonly ProfileCondition[], props: SourceProperties): string[] {
  return failures.map((c) => `${describeFailure(c, props)} (${label})`);
}

// ---------------------------------------------------------------------------------------------------------
// Audio streams inside a remux or transcode

/** Codec limits the encoders or containers impose regardless of the profile. */
const CODEC_MAX_CHANNELS: Record<string, number> = { mp3: 2, aac: 8, opus: 8, vorbis: 8, ac3: 6, eac3: 8, flac: 8 };

/**
 * Encode bitrate for an audio stream: 96 kbps per channel up to stereo (192k), 64 kbps per channel
 * beyond (5.1 → 384k); 64k per channel under a low cap; never more than a lossy source had.
 */
function audioEncodeBitrate(codec: string, channels: number, cap: number | undefined, source: MediaStream, caps: OutputCaps): number {
  const low = cap !== undefined && cap <= 1_500_000;
  const perChannel = channels <= 2 && !low ? 96_000 : 64_000;
  let bitrate = perChannel * channels;
  if (codec === 'mp3') bitrate = Math.min(bitrate, 320_000);
  const lossless =
    ['flac', 'alac', 'truehd', 'mlp'].includes(canonicalCodec(source.Codec ?? '')) || canonicalCodec(source.Codec ?? '').startsWith('pcm');
  if (!lossless && source.BitRate && source.BitRate > 0) bitrate = Math.min(bitrate, Math.max(source.BitRate, 64_000));
  if (caps.maxAudioBitrate) bitrate = Math.min(bitrate, caps.maxAudioBitrate);
  return Math.round(bitrate / 1000) * 1000;
}

interface AudioPlanContext {
  profile: DeviceProfile;
  tp: TranscodingProfile;
  container: string;
  cap: number | undefined;
  /** In a transcode a copy must also fit the audio budget. */
  transcoding: boolean;
  videoProps: SourceProperties;
}

function planAudioStream(stream: MediaStream, isSecondary: boolean, ctx: AudioPlanContext, reasons: string[]): AudioAction {
  const codec = canonicalCodec(stream.Codec ?? 'unknown');
  const props = { ...ctx.videoProps, ...audioProperties(stream, isSecondary) };
  const maxChannels = num(ctx.tp.MaxAudioChannels);
  const lang = stream.Language ? { language: stream.Language } : {};

  const why: string[] = [];
  if (!listAccepts(ctx.tp.AudioCodec, [codec], canonicalCodec)) why.push(`not in the TranscodingProfile (${ctx.tp.AudioCodec})`);
  else if (!canMuxAudio(ctx.container, codec)) why.push(`${ctx.container} can't carry it`);
  const failed = failedConditions(
    codecConditions(ctx.profile.CodecProfiles, { type: 'VideoAudio', codec, container: [ctx.container] }, props),
    props,
  );
  why.push(...failed.map((c) => describeFailure(c, props)));
  if (maxChannels && (stream.Channels ?? 0) > maxChannels) why.push(`${stream.Channels} channels over MaxAudioChannels ${maxChannels}`);

  const target =
    csvList(ctx.tp.AudioCodec, canonicalCodec).find((c) => ENCODABLE_AUDIO.includes(c) && canMuxAudio(ctx.container, c)) ??
    (canMuxAudio(ctx.container, 'aac') ? 'aac' : 'opus');
  const targetCaps = capsFromConditions(
    codecConditions(ctx.profile.CodecProfiles, { type: 'VideoAudio', codec: target, container: [ctx.container] }, props),
  );
  let channels = Math.min(
    stream.Channels ?? 2,
    maxChannels ?? Infinity,
    targetCaps.maxChannels ?? Infinity,
    CODEC_MAX_CHANNELS[target] ?? 8,
  );
  // Under a low cap surround costs a quarter of the budget; stereo is what small screens play anyway.
  if (ctx.transcoding && ctx.cap !== undefined && ctx.cap <= 1_500_000) channels = Math.min(channels, 2);
  channels = Math.max(1, channels);
  const bitrate = audioEncodeBitrate(target, channels, ctx.cap, stream, targetCaps);

  if (why.length === 0 && ctx.transcoding && ctx.cap !== undefined) {
    if (!stream.BitRate) why.push('unknown bitrate under a cap');
    else if (stream.BitRate > bitrate)
      why.push(`${Math.round(stream.BitRate / 1000)} kbps over the ${Math.round(bitrate / 1000)} kbps audio budget`);
  }
  if (why.length === 0) {
    return { streamIndex: stream.Index, action: 'copy', codec, ...lang, ...(stream.BitRate ? { bitrate: stream.BitRate } : {}) };
  }
  reasons.push(`audio ${codec} (stream ${stream.Index}) → ${target}: ${why.join('; ')}`);
  return { streamIndex: stream.Index, action: 'encode', codec: target, bitrate, channels, ...lang };
}

function planAudioStreams(
  ordered: readonly MediaStream[],
  allAudio: readonly MediaStream[],
  ctx: AudioPlanContext,
  reasons: string[],
): AudioAction[] {
  return ordered.map((s) => planAudioStream(s, s !== allAudio[0], ctx, reasons));
}

function audioBitrateOf(action: AudioAction): number {
  return action.bitrate ?? 192_000;
}

// ---------------------------------------------------------------------------------------------------------
// Video

interface VideoFacts {
  input: ConversionInput;
  source: MediaSourceInfo;
  video: MediaStream;
  videoCodec: string;
  containers: string[];
  audioOrder: MediaStream[];
  allAudio: MediaStream[];
  chosenAudio?: MediaStream;
  videoProps: SourceProperties;
  bitrate?: number;
  cap?: number;
  context: ConversionContext;
}

function directPlayMisses(f: VideoFacts): string[] {
  const profiles = (f.input.profile.DirectPlayProfiles ?? []).filter((p) => p.Type === 'Video');
  const audioCodec = f.chosenAudio ? canonicalCodec(f.chosenAudio.Codec ?? 'unknown') : undefined;
  const containerLabel = f.containers[0] ?? 'unknown';
  const byContainer = profiles.filter((p) => listAccepts(p.Container, f.containers, canonicalContainer));
  if (byContainer.length === 0) return [`container ${containerLabel} not in DirectPlayProfiles`];
  const byVideo = byContainer.filter((p) => listAccepts(p.VideoCodec, [f.videoCodec], canonicalCodec));
  if (byVideo.length === 0) return [`video codec ${f.videoCodec} not in DirectPlayProfiles for ${containerLabel}`];
  if (audioCodec && !byVideo.some((p: DirectPlayProfile) => listAccepts(p.AudioCodec, [audioCodec], canonicalCodec))) {
    return [`audio codec ${audioCodec} not in DirectPlayProfiles for ${containerLabel}/${f.videoCodec}`];
  }
  return [];
}

function directConditionMisses(f: VideoFacts): string[] {
  const { profile } = f.input;
  const misses: string[] = [];
  const containerConditions = (profile.ContainerProfiles ?? [])
    .filter((p) => p.Type === 'Video' && listAccepts(p.Container, f.containers, canonicalContainer))
    .flatMap((p) => p.Conditions ?? []);
  misses.push(...failureText('container profile', failedConditions(containerConditions, f.videoProps), f.videoProps));
  const videoConditions = codecConditions(
    profile.CodecProfiles,
    { type: 'Video', codec: f.videoCodec, container: f.containers },
    f.videoProps,
  );
  misses.push(...failureText(`${f.videoCodec} codec profile`, failedConditions(videoConditions, f.videoProps), f.videoProps));
  if (f.chosenAudio) {
    const audioCodec = canonicalCodec(f.chosenAudio.Codec ?? 'unknown');
    const props = { ...f.videoProps, ...audioProperties(f.chosenAudio, f.chosenAudio !== f.allAudio[0]) };
    const audioConditions = codecConditions(
      profile.CodecProfiles,
      { type: 'VideoAudio', codec: audioCodec, container: f.containers },
      props,
    );
    misses.push(...failureText(`${audioCodec} codec profile`, failedConditions(audioConditions, props), props));
  }
  return misses;
}

function bitrateMiss(f: VideoFacts): string[] {
  if (f.cap === undefined || f.bitrate === undefined || f.bitrate <= f.cap) return [];
  return [`bitrate ${mbps(f.bitrate)} over the ${mbps(f.cap)} cap`];
}

function remuxMisses(f: VideoFacts, tp: TranscodingProfile): string[] {
  const container = canonicalContainer(tp.Container);
  if (!isWritableContainer(container)) return [`can't write a ${container} file`];
  const misses: string[] = [];
  if (!listAccepts(tp.VideoCodec, [f.videoCodec], canonicalCodec)) {
    misses.push(`video codec ${f.videoCodec} not in the ${f.context} TranscodingProfile (${tp.VideoCodec})`);
  } else if (!canMuxVideo(container, f.videoCodec)) {
    misses.push(`${container} can't carry ${f.videoCodec} video`);
  }
  const conditions = codecConditions(
    f.input.profile.CodecProfiles,
    { type: 'Video', codec: f.videoCodec, container: [container] },
    f.videoProps,
  );
  misses.push(...failureText(`${f.videoCodec} codec profile`, failedConditions(conditions, f.videoProps), f.videoProps));
  misses.push(...bitrateMiss(f));
  return misses;
}

function chooseVideoProfile(codec: VideoCodecOut, allowed: string[] | undefined): string | undefined {
  const preference: Record<VideoCodecOut, string[]> = {
    h264: ['high', 'main', 'baseline'],
    hevc: ['main'],
    vp9: [],
    vp8: [],
  };
  const options = preference[codec];
  if (options.length === 0) return undefined;
  if (!allowed || allowed.length === 0) return options[0];
  return options.find((p) => allowed.includes(p) || (p === 'baseline' && allowed.includes('constrained baseline'))) ?? options[0];
}

function planVideoEncode(
  f: VideoFacts,
  tp: TranscodingProfile,
  container: string,
  audio: AudioAction[],
  reasons: string[],
): VideoEncode | string {
  const codec = (csvList(tp.VideoCodec, canonicalCodec).find((c) => ENCODABLE_VIDEO.includes(c) && canMuxVideo(container, c)) ??
    (csvList(tp.VideoCodec, canonicalCodec).length === 0 && canMuxVideo(container, 'h264') ? 'h264' : undefined)) as
    VideoCodecOut | undefined;
  if (!codec) return `can't encode any of ${tp.VideoCodec ?? 'the listed codecs'} into ${container}`;

  const caps = capsFromConditions(
    codecConditions(f.input.profile.CodecProfiles, { type: 'Video', codec, container: [container] }, f.videoProps),
  );

  const audioTotal = audio.reduce((sum, a) => sum + audioBitrateOf(a), 0);
  const sourceFps = videoFramerate(f.video);
  const rotated = Math.abs(f.video.Rotation ?? 0) % 180 === 90;
  const displayW = rotated ? f.video.Height : f.video.Width;
  const displayH = rotated ? f.video.Width : f.video.Height;

  const worthy = sourceWorthyBitrate(f.videoCodec, f.video.BitRate, displayW, displayH, sourceFps);
  let rc: RateControl;
  let box: { long: number; short: number } | undefined;
  if (f.cap !== undefined) {
    rc = rateControlForCap(f.cap, audioTotal);
    box = ladderBox(rc.maxBitrate);
    // Never spend more than the source deserves: a 2 Mbps HEVC file under a 140 Mbps cap needs ~3 Mbps.
    if (worthy !== undefined && worthy < rc.maxBitrate) rc = rateControlForTarget(worthy);
  } else {
    rc = rateControlForTarget(worthy ?? 8_000_000);
  }
  if (caps.maxVideoBitrate && caps.maxVideoBitrate < rc.maxBitrate) rc = rateControlForTarget(caps.maxVideoBitrate);

  const encode: VideoEncode = {
    streamIndex: f.video.Index,
    codec,
    ...rc,
    pixFmt: 'yuv420p',
    keyframeIntervalSeconds: KEYFRAME_INTERVAL_SECONDS,
  };
  if (displayW && displayH) {
    const size = fitFrame(displayW, displayH, { maxWidth: caps.maxWidth, maxHeight: caps.maxHeight, box });
    encode.width = size.width;
    encode.height = size.height;
    if (size.width < displayW - 1 || size.height < displayH - 1)
      reasons.push(`scaled ${displayW}x${displayH} → ${size.width}x${size.height}`);
  }
  const profileName = chooseVideoProfile(codec, caps.videoProfiles);
  if (profileName) encode.profile = profileName;
  let fps = sourceFps;
  if (caps.maxFramerate && sourceFps && sourceFps > caps.maxFramerate + 0.01) {
    encode.framerate = caps.maxFramerate;
    fps = caps.maxFramerate;
    reasons.push(`frame rate ${Number(sourceFps.toFixed(3))} → ${caps.maxFramerate}`);
  }
  // x264 signals the lowest level the output needs by itself; forcing the profile's maximum would
  // label a 480p file 5.2, which some hardware decoders refuse. Only a cap below the need is passed on.
  if (codec === 'h264' && caps.maxLevel && encode.width && encode.height) {
    const needed = h264LevelFor(encode.width, encode.height, fps ?? 30);
    if (needed === undefined || needed > caps.maxLevel) {
      encode.level = caps.maxLevel;
      reasons.push(`level capped at ${caps.maxLevel} (the frame needs ${needed ?? 'more than 52'})`);
    }
  }
  if (fps) encode.gop = Math.max(1, Math.round(fps * KEYFRAME_INTERVAL_SECONDS));
  return encode;
}

function decideVideo(input: ConversionInput): ConversionPlan {
  const { source, profile } = input;
  const context = input.context ?? 'Static';
  const streams = source.MediaStreams ?? [];
  const video = streams.find((s) => s.Type === 'Video');
  const direct = (reasons: string[]): DirectPlan => ({
    kind: 'direct',
    mediaType: 'Video',
    subtitles: planSubtitles(streams, profile.SubtitleProfiles, { kind: 'direct' }, input.subtitleLanguage),
    reasons,
  });
  if (!video) return direct(['no video stream; serving the source']);
  if (input.quality === 'original') return direct(['Original quality serves the source file']);

  const allAudio = streams.filter((s) => s.Type === 'Audio');
  const audioOrder = orderAudioStreams(streams, input.audioLanguage);
  // Without transcoding rights a job runs as Original: no cap, because only a re-encode could meet one.
  const cap = input.enableTranscoding
    ? qualityCap(input.quality, context === 'Static' ? profile.MaxStaticBitrate : profile.MaxStreamingBitrate, input.bitrate)
    : undefined;
  const f: VideoFacts = {
    input,
    source,
    video,
    videoCodec: canonicalCodec(video.Codec ?? 'unknown'),
    containers: sourceContainers(source),
    audioOrder,
    allAudio,
    chosenAudio: audioOrder[0],
    videoProps: videoProperties(video, source),
    bitrate: sourceBitrate(source),
    cap,
    context,
  };

  const directMisses = [...directPlayMisses(f), ...directConditionMisses(f), ...bitrateMiss(f)];
  if (directMisses.length === 0) {
    const under = cap !== undefined ? ` within the ${mbps(cap)} cap` : '';
    return direct([
      `${f.containers[0] ?? '?'}/${f.videoCodec}${f.chosenAudio ? '/' + canonicalCodec(f.chosenAudio.Codec ?? '?') : ''} plays directly${under}`,
    ]);
  }
  const reasons = [...directMisses];

  const tp = firstTranscodingProfile(profile, 'Video', context);
  if (!tp) return direct([...reasons, `no ${context} Video TranscodingProfile; serving the source`]);
  const container = canonicalContainer(tp.Container);

  const remuxBlockers = remuxMisses(f, tp);
  if (remuxBlockers.length === 0) {
    reasons.push(`remux to ${container}: ${f.videoCodec} video copied`);
    const audio = planAudioStreams(
      audioOrder,
      allAudio,
      { profile, tp, container, cap, transcoding: false, videoProps: f.videoProps },
      reasons,
    );
    return {
      kind: 'remux',
      container,
      video: { copy: true, streamIndex: video.Index, codec: f.videoCodec },
      audio,
      subtitles: planSubtitles(streams, profile.SubtitleProfiles, { kind: 'mux', container, transcoding: false }, input.subtitleLanguage),
      reasons,
    };
  }
  reasons.push(...remuxBlockers.map((r) => `no remux: ${r}`));

  if (!input.enableTranscoding) {
    return direct([...reasons, 'transcoding is off for this user (EnableSyncTranscoding=false); serving the source']);
  }

  const audio = planAudioStreams(
    audioOrder,
    allAudio,
    { profile, tp, container, cap, transcoding: true, videoProps: f.videoProps },
    reasons,
  );
  const encode = planVideoEncode(f, tp, container, audio, reasons);
  if (typeof encode === 'string') return direct([...reasons, `${encode}; serving the source`]);
  reasons.push(
    `transcode ${f.videoCodec} → ${encode.codec}${encode.width ? ` ${encode.width}x${encode.height}` : ''} at ${mbps(encode.bitrate)} (max ${mbps(encode.maxBitrate)})`,
  );
  return {
    kind: 'transcode',
    container,
    video: encode,
    audio,
    subtitles: planSubtitles(streams, profile.SubtitleProfiles, { kind: 'mux', container, transcoding: true }, input.subtitleLanguage),
    reasons,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Audio items (songs)

const DEFAULT_MUSIC_TRANSCODE_BITRATE = 128_000;

function defaultAudioCodecFor(container: string): string {
  switch (container) {
    case 'mp3':
      return 'mp3';
    case 'ogg':
    case 'opus':
    case 'webm':
      return 'opus';
    case 'flac':
      return 'flac';
    default:
      return 'aac';
  }
}

function decideAudio(input: ConversionInput): ConversionPlan {
  const { source, profile } = input;
  const context = input.context ?? 'Static';
  const direct = (reasons: string[]): DirectPlan => ({ kind: 'direct', mediaType: 'Audio', subtitles: [], reasons });
  const streams = source.MediaStreams ?? [];
  const audio = orderAudioStreams(streams, input.audioLanguage)[0];
  if (!audio) return direct(['no audio stream; serving the source']);
  if (input.quality === 'original') return direct(['Original quality serves the source file']);

  const codec = canonicalCodec(audio.Codec ?? 'unknown');
  const containers = sourceContainers(source);
  const cap = input.enableTranscoding
    ? qualityCap(input.quality, context === 'Static' ? profile.MaxStaticBitrate : profile.MaxStreamingBitrate, input.bitrate)
    : undefined;
  const musicCap = input.enableTranscoding ? ((context === 'Static' ? num(profile.MaxStaticMusicBitrate) : undefined) ?? cap) : undefined;
  const bitrate = audio.BitRate ?? sourceBitrate(source);
  const props = audioProperties(audio, false);

  const reasons: string[] = [];
  if (musicCap !== undefined && bitrate !== undefined && bitrate > musicCap)
    reasons.push(`bitrate ${mbps(bitrate)} over the ${mbps(musicCap)} music cap`);
  const failures = (cs: string[]) =>
    failedConditions(codecConditions(profile.CodecProfiles, { type: 'Audio', codec, container: cs }, props), props);
  const audioProfiles = (profile.DirectPlayProfiles ?? []).filter(
    (p) => p.Type === 'Audio' && listAccepts(p.AudioCodec, [codec], canonicalCodec),
  );
  const playable = audioProfiles.filter((p) => listAccepts(p.Container, containers, canonicalContainer));
  if (playable.length === 0) {
    reasons.push(
      audioProfiles.length === 0
        ? `audio codec ${codec} not in DirectPlayProfiles`
        : `container ${containers[0] ?? 'unknown'} not in DirectPlayProfiles for ${codec}`,
    );
  }
  const conditionFailures = failures(containers);
  reasons.push(...failureText(`${codec} codec profile`, conditionFailures, props));
  if (reasons.length === 0) return direct([`${containers[0] ?? '?'}/${codec} plays directly`]);

  // Only the container is wrong: rewrap into a container a direct-play profile lists for this codec.
  const onlyContainer = playable.length === 0 && audioProfiles.length > 0 && reasons.length === 1;
  if (onlyContainer) {
    const target = audioProfiles
      .flatMap((p) => csvList(p.Container, canonicalContainer))
      .find((c) => isWritableContainer(c) && canMuxAudio(c, codec) && failures([c]).length === 0);
    if (target) {
      return {
        kind: 'audio-remux',
        container: target,
        audio: {
          streamIndex: audio.Index,
          action: 'copy',
          codec,
          ...(audio.Language ? { language: audio.Language } : {}),
          ...(audio.BitRate ? { bitrate: audio.BitRate } : {}),
        },
        reasons: [...reasons, `remux to ${target}: ${codec} copied`],
      };
    }
  }

  const tp = firstTranscodingProfile(profile, 'Audio', context);
  if (!tp) return direct([...reasons, `no ${context} Audio TranscodingProfile; serving the source`]);
  if (!input.enableTranscoding)
    return direct([...reasons, 'transcoding is off for this user (EnableSyncTranscoding=false); serving the source']);
  const container = canonicalContainer(tp.Container);
  const listed = csvList(tp.AudioCodec, canonicalCodec);
  const target =
    listed.length === 0 ? defaultAudioCodecFor(container) : listed.find((c) => ENCODABLE_AUDIO.includes(c) && canMuxAudio(container, c));
  if (!target || !isWritableContainer(container))
    return direct([...reasons, `can't encode ${tp.AudioCodec} into ${container}; serving the source`]);

  const targetProps = audioProperties(audio, false);
  const caps = capsFromConditions(
    codecConditions(profile.CodecProfiles, { type: 'Audio', codec: target, container: [container] }, targetProps),
  );
  const channels = Math.max(
    1,
    Math.min(audio.Channels ?? 2, num(tp.MaxAudioChannels) ?? Infinity, caps.maxChannels ?? Infinity, CODEC_MAX_CHANNELS[target] ?? 8),
  );
  const outBitrate = Math.min(
    num(profile.MusicStreamingTranscodingBitrate) ?? DEFAULT_MUSIC_TRANSCODE_BITRATE,
    musicCap ?? Infinity,
    caps.maxAudioBitrate ?? Infinity,
  );
  return {
    kind: 'audio-transcode',
    container,
    audio: {
      streamIndex: audio.Index,
      action: 'encode',
      codec: target,
      bitrate: Math.round(outBitrate),
      channels,
      ...(audio.Language ? { language: audio.Language } : {}),
    },
    reasons: [...reasons, `transcode ${codec} → ${target} at ${Math.round(outBitrate / 1000)} kbps`],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Public

/** The plan for one source on one device at one quality. Pure: the same input always gives the same plan. */
export function decideConversion(input: ConversionInput): ConversionPlan {
  switch (input.mediaType) {
    case 'Video':
      return decideVideo(input);
    case 'Audio':
      return decideAudio(input);
    default:
      return { kind: 'direct', mediaType: input.mediaType, subtitles: [], reasons: [`${input.mediaType} is always served as is`] };
  }
}

/** Whether the plan needs ffmpeg at all: a direct plan does only when it extracts subtitles. */
export function needsConversion(plan: ConversionPlan): boolean {
  if (plan.kind !== 'direct') return true;
  return plan.subtitles.some((s) => s.action === 'extract');
}

/** Bytes the output will take: the source's size unless re-encoded; else (video + audio bitrate) × duration. */
export function estimateSize(plan: ConversionPlan, source: MediaSourceInfo): number | undefined {
  switch (plan.kind) {
    case 'direct':
    case 'remux':
    case 'audio-remux':
      return num(source.Size);
    case 'transcode': {
      const duration = durationSeconds(source);
      if (!duration) return undefined;
      const bitrate = plan.video.bitrate + plan.audio.reduce((sum, a) => sum + audioBitrateOf(a), 0);
      return Math.round((bitrate * duration) / 8);
    }
    case 'audio-transcode': {
      const duration = durationSeconds(source);
      return duration ? Math.round((plan.audio.bitrate * duration) / 8) : undefined;
    }
  }
}

/** JSON with sorted keys and no undefined members, so equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The conversion half of an output's key (the other half is the source identity): everything that
 * shapes the bytes — not the reasons, which are prose — plus RECIPE_VERSION.
 */
export function planKey(plan: ConversionPlan): string {
  const { reasons: _reasons, ...effective } = plan;
  return canonicalJson({ recipe: RECIPE_VERSION, plan: effective });
}
