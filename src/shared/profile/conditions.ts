/**
 * DeviceProfile conditions (API.md §8) against a source's properties, and the output caps they imply when
 * we convert. Profile values arrive as strings ("1920", "high|main", "false"); sources as probed numbers.
 */
import type { MediaSourceInfo, MediaStream } from '../api/items.js';
import { canonicalCodec, listAccepts, canonicalContainer } from './codecs.js';
import type { CodecProfile, ProfileCondition } from './types.js';

export type PropertyValue = number | string | boolean;
/** Property name (Width, AudioChannels, …) → value; a missing key means the source doesn't say. */
export type SourceProperties = Partial<Record<string, PropertyValue>>;

const STRING_PROPERTIES = new Set(['VideoProfile', 'AudioProfile', 'VideoCodecTag', 'VideoRange', 'VideoRangeType']);
const BOOLEAN_PROPERTIES = new Set(['IsAnamorphic', 'IsInterlaced', 'IsAvc', 'IsSecondaryAudio', 'Has64BitOffsets']);

function positiveNumber(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Bit depth from the probe, else from the pixel format name (yuv420p10le → 10). */
export function videoBitDepth(stream: MediaStream): number | undefined {
  const depth = positiveNumber(stream.BitDepth);
  if (depth !== undefined) return depth;
  if (!stream.PixelFormat) return undefined;
  const m = /p(9|10|12|14|16)(le|be)?$/.exec(stream.PixelFormat);
  return m ? Number(m[1]) : 8;
}

export function videoFramerate(stream: MediaStream): number | undefined {
  return positiveNumber(stream.RealFrameRate) ?? positiveNumber(stream.AverageFrameRate);
}

/** "16:9" → 1.777…; undefined for anything that isn't two positive numbers. */
export function parseRatio(ratio: string | undefined): number | undefined {
  const m = ratio ? /^\s*(\d+(?:\.\d+)?)\s*[:/]\s*(\d+(?:\.\d+)?)\s*$/.exec(ratio) : null;
  if (!m) return undefined;
  const r = Number(m[1]) / Number(m[2]);
  return Number.isFinite(r) && r > 0 ? r : undefined;
}

/** Pixels that are not square: the display aspect ratio differs from width:height by more than 1 %. */
function isAnamorphic(video: MediaStream): boolean | undefined {
  const dar = parseRatio(video.AspectRatio);
  if (dar === undefined || !video.Width || !video.Height) return undefined;
  const stored = video.Width / video.Height;
  return Math.abs(dar - stored) / stored > 0.01;
}

/** Emby/Jellyfin's VideoRangeType from the colour transfer: HDR10 (PQ), HLG, else SDR; unknown without one. */
function videoRangeType(video: MediaStream): string | undefined {
  const trc = video.ColorTransfer?.toLowerCase();
  if (!trc) return video.VideoRange === 'SDR' ? 'SDR' : undefined;
  if (trc === 'smpte2084') return 'HDR10';
  if (trc === 'arib-std-b67') return 'HLG';
  return 'SDR';
}

function put(props: SourceProperties, key: string, value: PropertyValue | undefined): void {
  if (value !== undefined && value !== '') props[key] = value;
}

/** Properties of the video stream, plus the source-wide ones container profiles use. */
export function videoProperties(video: MediaStream | undefined, source: MediaSourceInfo): SourceProperties {
  const props: SourceProperties = {};
  const streams = source.MediaStreams ?? [];
  put(props, 'NumAudioStreams', streams.filter((s) => s.Type === 'Audio').length);
  put(props, 'NumVideoStreams', streams.filter((s) => s.Type === 'Video').length);
  if (!video) return props;
  put(props, 'Width', positiveNumber(video.Width));
  put(props, 'Height', positiveNumber(video.Height));
  put(props, 'VideoBitrate', positiveNumber(video.BitRate));
  // ffprobe says -99 for "unknown level"; only positive levels are facts.
  put(props, 'VideoLevel', positiveNumber(video.Level));
  put(props, 'VideoProfile', video.Profile);
  put(props, 'VideoFramerate', videoFramerate(video));
  put(props, 'VideoBitDepth', videoBitDepth(video));
  put(props, 'RefFrames', positiveNumber(video.RefFrames));
  put(props, 'IsInterlaced', video.IsInterlaced);
  put(props, 'IsAvc', video.IsAVC);
  put(props, 'VideoCodecTag', video.CodecTag);
  put(props, 'VideoRange', video.VideoRange);
  put(props, 'VideoRangeType', videoRangeType(video));
  put(props, 'IsAnamorphic', isAnamorphic(video));
  return props;
}

/** Properties of one audio stream; `isSecondary` = it isn't the file's first audio stream. */
export function audioProperties(audio: MediaStream | undefined, isSecondary: boolean): SourceProperties {
  const props: SourceProperties = {};
  if (!audio) return props;
  put(props, 'AudioChannels', positiveNumber(audio.Channels));
  put(props, 'AudioBitrate', positiveNumber(audio.BitRate));
  put(props, 'AudioProfile', audio.Profile);
  put(props, 'AudioSampleRate', positiveNumber(audio.SampleRate));
  put(props, 'AudioBitDepth', positiveNumber(audio.BitDepth));
  put(props, 'IsSecondaryAudio', isSecondary);
  return props;
}

function truthy(value: boolean | string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  return value.trim().toLowerCase() === 'true';
}

/** IsRequired defaults to true (API.md §8). */
export function isRequired(condition: ProfileCondition): boolean {
  return truthy(condition.IsRequired, true);
}

function asNumber(value: PropertyValue | string): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function equalsOne(property: string, actual: PropertyValue, expected: string): boolean {
  if (BOOLEAN_PROPERTIES.has(property) || typeof actual === 'boolean') {
    const actualTrue = actual === true || String(actual).trim().toLowerCase() === 'true';
    return actualTrue === truthy(expected, false);
  }
  if (!STRING_PROPERTIES.has(property)) {
    const a = asNumber(actual);
    const e = asNumber(expected);
    if (a !== undefined && e !== undefined) return a === e;
  }
  return String(actual).trim().toLowerCase() === expected.trim().toLowerCase();
}

/**
 * One condition. A property the source lacks passes only when the condition isn't required; a
 * comparison that can't be made (a non-numeric value for LessThanEqual) fails, as Emby's does.
 */
export function evaluateCondition(condition: ProfileCondition, props: SourceProperties): boolean {
  const actual = props[condition.Property];
  if (actual === undefined) return !isRequired(condition);
  const value = String(condition.Value ?? '');
  switch (condition.Condition) {
    case 'Equals':
      return equalsOne(condition.Property, actual, value);
    case 'NotEquals':
      return !equalsOne(condition.Property, actual, value);
    case 'EqualsAny':
      return value.split('|').some((v) => v.trim() !== '' && equalsOne(condition.Property, actual, v));
    case 'LessThanEqual':
    case 'GreaterThanEqual': {
      const a = asNumber(actual);
      const e = asNumber(value);
      if (a === undefined || e === undefined) return false;
      return condition.Condition === 'LessThanEqual' ? a <= e : a >= e;
    }
    default:
      return false;
  }
}

export function failedConditions(conditions: readonly ProfileCondition[] | undefined, props: SourceProperties): ProfileCondition[] {
  return (conditions ?? []).filter((c) => !evaluateCondition(c, props));
}

export function conditionsPass(conditions: readonly ProfileCondition[] | undefined, props: SourceProperties): boolean {
  return failedConditions(conditions, props).length === 0;
}

/** "VideoBitDepth 10 fails LessThanEqual 8" — for a plan's reasons. */
export function describeFailure(condition: ProfileCondition, props: SourceProperties): string {
  const actual = props[condition.Property];
  if (actual === undefined) return `${condition.Property} unknown but required (${condition.Condition} ${condition.Value})`;
  return `${condition.Property} ${String(actual)} fails ${condition.Condition} ${condition.Value}`;
}

export interface CodecProfileMatch {
  type: CodecProfile['Type'];
  codec: string;
  container: string[];
}

/**
 * The conditions of every CodecProfile of `type` that covers `codec` in `container` and whose
 * ApplyConditions hold for `props`.
 */
export function codecConditions(
  profiles: readonly CodecProfile[] | undefined,
  match: CodecProfileMatch,
  props: SourceProperties,
): ProfileCondition[] {
  const out: ProfileCondition[] = [];
  for (const p of profiles ?? []) {
    if (p.Type !== match.type) continue;
    if (!listAccepts(p.Codec, [match.codec], canonicalCodec)) continue;
    if (match.container.length > 0 && !listAccepts(p.Container, match.container, canonicalContainer)) continue;
    if (!conditionsPass(p.ApplyConditions, props)) continue;
    out.push(...(p.Conditions ?? []));
  }
  return out;
}

/** The limits a conversion must respect. */
export interface OutputCaps {
  maxWidth?: number;
  maxHeight?: number;
  maxLevel?: number;
  maxFramerate?: number;
  maxBitDepth?: number;
  maxChannels?: number;
  maxVideoBitrate?: number;
  maxAudioBitrate?: number;
  maxRefFrames?: number;
  /** Allowed video profiles (lower case), when the profile restricts them. */
  videoProfiles?: string[];
}

const CAP_KEYS: Record<string, keyof Omit<OutputCaps, 'videoProfiles'>> = {
  Width: 'maxWidth',
  Height: 'maxHeight',
  VideoLevel: 'maxLevel',
  VideoFramerate: 'maxFramerate',
  VideoBitDepth: 'maxBitDepth',
  AudioChannels: 'maxChannels',
  VideoBitrate: 'maxVideoBitrate',
  AudioBitrate: 'maxAudioBitrate',
  RefFrames: 'maxRefFrames',
};

/**
 * Caps implied by conditions (typically those that failed, or all of the output codec's): an upper bound
 * from LessThanEqual, Equals or EqualsAny (its largest value); the tightest one wins.
 */
export function capsFromConditions(conditions: readonly ProfileCondition[] | undefined): OutputCaps {
  const caps: OutputCaps = {};
  for (const c of conditions ?? []) {
    const value = String(c.Value ?? '');
    if (c.Property === 'VideoProfile' && (c.Condition === 'Equals' || c.Condition === 'EqualsAny')) {
      const allowed = value
        .split('|')
        .map((v) => v.trim().toLowerCase())
        .filter((v) => v !== '');
      caps.videoProfiles = caps.videoProfiles ? caps.videoProfiles.filter((p) => allowed.includes(p)) : allowed;
      continue;
    }
    const key = CAP_KEYS[c.Property];
    if (!key) continue;
    let bound: number | undefined;
    if (c.Condition === 'LessThanEqual' || c.Condition === 'Equals') bound = asNumber(value);
    else if (c.Condition === 'EqualsAny') {
      const values = value
        .split('|')
        .map(asNumber)
        .filter((n): n is number => n !== undefined);
      bound = values.length > 0 ? Math.max(...values) : undefined;
    }
    if (bound === undefined) continue;
    caps[key] = caps[key] === undefined ? bound : Math.min(caps[key]!, bound);
  }
  return caps;
}
