/**
 * The ConversionPlan: what the decision (decision.ts) hands to the ffmpeg argument builder and what the
 * output store keys shared outputs by. Types and the constants that shape every plan; no logic.
 */
import type { MediaSourceInfo, MediaType } from '../api/items.js';
import type { SyncQualityId } from '../quality.js';
import type { ServerEncoders } from './encoders.js';
import type { SubtitleAction } from './subtitles.js';
import type { DeviceProfile } from './types.js';

/** Bump when the way a plan becomes an output changes (ffmpeg arguments, defaults): new outputs get new keys. */
export const RECIPE_VERSION = 2;

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
  /** The user's AudioLanguagePreference: the audio track kept first (and as the default). */
  audioLanguage?: string;
  /**
   * The work's original language, when the library knows it; else the source's first audio track is taken
   * as the original (muxers and rippers put it first). Its track is kept beside the user's one.
   */
  originalLanguage?: string;
  subtitleLanguage?: string;
  /** Default Static (sync). */
  context?: ConversionContext;
  /**
   * The output codecs this server's ffmpeg can encode (encoders.ts); codecs outside it are skipped for
   * the profile's next. Absent: every codec in ENCODABLE_VIDEO/ENCODABLE_AUDIO is taken as encodable.
   */
  encoders?: ServerEncoders;
}

export type AudioAction =
  | { streamIndex: number; action: 'copy'; codec: string; language?: string; bitrate?: number }
  | { streamIndex: number; action: 'encode'; codec: string; bitrate: number; channels: number; language?: string };

export type VideoCodecOut = 'h264' | 'hevc' | 'vp9' | 'vp8';

export interface VideoEncode {
  streamIndex: number;
  codec: VideoCodecOut;
  /**
   * Output frame in square pixels (display orientation and aspect: ffmpeg applies the source's rotation
   * while decoding, and an anamorphic source is stretched to its display aspect ratio).
   */
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
  /** The source is interlaced: deinterlace (one frame per frame) before scaling, so no combing is kept. */
  deinterlace?: boolean;
  /**
   * The source is HDR (PQ or HLG) and the profile declares no HDR support: tone-map to SDR BT.709 and tag
   * the output so. `from` is the source's transfer, which picks the linearisation.
   */
  toneMap?: { from: 'pq' | 'hlg' };
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
