/**
 * The streaming play decision: the conversion engine's decideConversion with Context **Streaming** and
 * MaxStreamingBitrate — the same DeviceProfile code as sync — turned into an Emby PlaybackInfo
 * MediaSource: direct play of the original (Range) when this client plays it as is, else an HLS stream
 * that remuxes (video copied) or transcodes on the fly.
 */
import type { MediaSourceInfo, MediaStream, MediaType } from '../../shared/api/items.js';
import { canonicalContainer, isTextSubtitleCodec } from '../../shared/profile/codecs.js';
import { decideConversion, orderAudioStreams, sourceBitrate, type ConversionPlan } from '../../shared/profile/decision.js';
import type { ServerEncoders } from '../../shared/profile/encoders.js';
import type { DeviceProfile, TranscodingProfile } from '../../shared/profile/types.js';
import type { StreamPlan } from './hlsArgs.js';
import type { SegmentType } from './hlsPlaylists.js';

export interface StreamRequest {
  profile: DeviceProfile;
  /** Overrides the profile's MaxStreamingBitrate (Emby clients send it as a query parameter). */
  maxStreamingBitrate?: number;
  audioStreamIndex?: number;
  enableDirectPlay: boolean;
  enableTranscoding: boolean;
  /** The output codecs this server's ffmpeg can encode (media/serverEncoders.ts). */
  encoders?: ServerEncoders;
}

export type StreamMethod = 'DirectPlay' | 'Remux' | 'Transcode';

export interface StreamDecision {
  /** The original plays in this client as is (with the chosen audio track). */
  directPlay: boolean;
  /** The HLS plan when the original doesn't play (or the client asked for a stream); else undefined. */
  stream?: StreamPlan;
  segmentType: SegmentType;
  method?: StreamMethod;
  reasons: string[];
}

/** The HLS profile Emby web clients use; for a client that sent no streaming profile at all. */
export const FALLBACK_STREAMING_PROFILES: readonly TranscodingProfile[] = [
  { Container: 'ts', Type: 'Video', VideoCodec: 'h264', AudioCodec: 'aac', Protocol: 'hls', Context: 'Streaming', MaxAudioChannels: '2' },
  { Container: 'ts', Type: 'Audio', AudioCodec: 'aac', Protocol: 'hls', Context: 'Streaming', MaxAudioChannels: '2' },
];

function streamingProfile(profile: DeviceProfile, type: 'Video' | 'Audio'): TranscodingProfile | undefined {
  return (profile.TranscodingProfiles ?? []).find((p) => p.Type === type && (p.Context ?? 'Streaming').toLowerCase() === 'streaming');
}

function withStreamingProfile(profile: DeviceProfile, type: 'Video' | 'Audio'): DeviceProfile {
  if (streamingProfile(profile, type)) return profile;
  return {
    ...profile,
    TranscodingProfiles: [...(profile.TranscodingProfiles ?? []), ...FALLBACK_STREAMING_PROFILES.filter((p) => p.Type === type)],
  };
}

export function segmentTypeFor(profile: DeviceProfile, type: 'Video' | 'Audio'): SegmentType {
  const c = canonicalContainer(streamingProfile(profile, type)?.Container ?? 'ts');
  return c === 'mp4' || c === 'fmp4' ? 'fmp4' : 'mpegts';
}

function asStreamPlan(plan: ConversionPlan): StreamPlan | undefined {
  return plan.kind === 'direct' ? undefined : plan;
}

/**
 * Direct play, remux or transcode for one source. A track other than the one the browser would pick
 * (the file's default) can't be chosen in direct play — only Safari exposes audioTracks — so it streams.
 */
export function decideStreaming(mediaType: MediaType, source: MediaSourceInfo, req: StreamRequest): StreamDecision {
  const profile: DeviceProfile = { ...req.profile };
  if (req.maxStreamingBitrate && req.maxStreamingBitrate > 0) profile.MaxStreamingBitrate = req.maxStreamingBitrate;
  const type = mediaType === 'Audio' ? 'Audio' : 'Video';
  const segmentType = segmentTypeFor(profile, type);
  if (mediaType !== 'Video' && mediaType !== 'Audio')
    return { directPlay: true, segmentType, method: 'DirectPlay', reasons: [`${mediaType} is served as is`] };

  const streams = source.MediaStreams ?? [];
  const defaultAudio = orderAudioStreams(streams)[0];
  const chosen =
    req.audioStreamIndex !== undefined ? streams.find((s) => s.Type === 'Audio' && s.Index === req.audioStreamIndex) : undefined;
  const otherTrack = chosen !== undefined && defaultAudio !== undefined && chosen.Index !== defaultAudio.Index;
  const base = {
    mediaType,
    source,
    quality: 'high' as const,
    context: 'Streaming' as const,
    audioLanguage: chosen?.Language,
    encoders: req.encoders,
  };

  // Plays as is? Asked with a streaming profile present, so "direct" can only mean "plays", never
  // "nothing else to offer".
  const probe = decideConversion({ ...base, profile: withStreamingProfile(profile, type), enableTranscoding: true });
  const playsAsIs = probe.kind === 'direct';
  const reasons = [...probe.reasons];
  if (playsAsIs && req.enableDirectPlay && !otherTrack) return { directPlay: true, segmentType, method: 'DirectPlay', reasons };
  if (otherTrack) reasons.push(`audio stream ${chosen.Index} is not the file's default track: streaming to switch tracks`);
  if (!req.enableDirectPlay) reasons.push('the client asked for a stream');

  if (!streamingProfile(profile, type)) {
    return { directPlay: playsAsIs, segmentType, reasons: [...reasons, `no Streaming ${type} TranscodingProfile: nothing to stream`] };
  }
  // Without its direct-play profiles the same decision yields the cheapest stream: remux, else transcode.
  const forced = playsAsIs
    ? { ...profile, DirectPlayProfiles: (profile.DirectPlayProfiles ?? []).filter((p) => p.Type !== type) }
    : profile;
  const plan = decideConversion({ ...base, profile: forced, enableTranscoding: req.enableTranscoding });
  const stream = asStreamPlan(plan);
  if (!stream) return { directPlay: playsAsIs, segmentType, reasons: [...reasons, ...plan.reasons.slice(-1)] };
  const method: StreamMethod = stream.kind === 'remux' || stream.kind === 'audio-remux' ? 'Remux' : 'Transcode';
  return { directPlay: playsAsIs, stream, segmentType, method, reasons: [...new Set([...reasons, ...plan.reasons])] };
}

/** Peak bits per second of a streamed variant, for the master playlist. */
export function streamBandwidth(plan: StreamPlan, source: MediaSourceInfo): number {
  const audioBits = (a: { bitrate?: number }) => a.bitrate ?? 192_000;
  switch (plan.kind) {
    case 'transcode':
      return plan.video.maxBitrate + audioBits(plan.audio[0] ?? {});
    case 'remux':
      return (sourceBitrate(source) ?? 8_000_000) + 64_000;
    default:
      return audioBits(plan.audio) + 16_000;
  }
}

/** Subtitle delivery as Emby describes it: text streams as WebVTT files beside the video. */
export type DeliveredStream = MediaStream & { DeliveryMethod?: 'External' | 'Encode'; DeliveryUrl?: string; IsExternalUrl?: boolean };

export function withSubtitleDelivery(streams: readonly MediaStream[], subtitleUrl: (index: number) => string): DeliveredStream[] {
  return streams.map((s) => {
    if (s.Type !== 'Subtitle') return s;
    const text = s.IsTextSubtitleStream ?? isTextSubtitleCodec(s.Codec);
    // Image subtitles (PGS, VobSub) would need burning in; we don't, so they carry no URL.
    return text ? { ...s, DeliveryMethod: 'External' as const, DeliveryUrl: subtitleUrl(s.Index), IsExternalUrl: false } : s;
  });
}
