/**
 * The conversion decision (API.md §5.6): for one media source, a DeviceProfile and a quality, whether the
 * original is served, remuxed (video copied, ~100–200× faster than a transcode) or transcoded — as a
 * ConversionPlan that ffmpegArgs turns into a command and the output store keys shared outputs by.
 * The parts live beside this file: videoDecision, videoEncode, picture, audioStreams, musicDecision.
 */
import type { MediaSourceInfo } from '../api/items.js';
import { audioBitrateOf } from './audioStreams.js';
import { decideAudio } from './musicDecision.js';
import { RECIPE_VERSION, type ConversionInput, type ConversionPlan, type RemuxPlan } from './plan.js';
import { durationSeconds, num } from './sourceFacts.js';
import { decideVideo } from './videoDecision.js';

export * from './plan.js';
export type { SubtitleAction, SubtitleActionKind } from './subtitles.js';
export { durationSeconds, orderAudioStreams, sourceBitrate } from './sourceFacts.js';

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

/**
 * Bytes the output will take: the source's size unless re-encoded (less the audio tracks a remux leaves
 * behind, or those that it re-encodes, at their bitrates); else (video + audio bitrate) × duration.
 */
export function estimateSize(plan: ConversionPlan, source: MediaSourceInfo): number | undefined {
  switch (plan.kind) {
    case 'direct':
    case 'audio-remux':
      return num(source.Size);
    case 'remux':
      return remuxSize(plan, source);
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

function remuxSize(plan: RemuxPlan, source: MediaSourceInfo): number | undefined {
  const size = num(source.Size);
  const duration = durationSeconds(source);
  if (size === undefined || duration === undefined) return size;
  let saved = 0;
  for (const s of source.MediaStreams ?? []) {
    if (s.Type !== 'Audio' || !s.BitRate) continue;
    const kept = plan.audio.find((a) => a.streamIndex === s.Index);
    if (!kept) saved += s.BitRate;
    else if (kept.action === 'encode') saved += s.BitRate - kept.bitrate;
  }
  return Math.max(0, Math.round(size - (saved * duration) / 8));
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
