/**
 * HLS playlists for on-demand streaming. Pure: durations and URLs in, text out (unit-tested).
 *
 * The variant playlist is VOD and lists every segment up front, computed from the source's duration and
 * the fixed segment length. That is what lets hls.js (and Safari) seek anywhere at once: the player asks
 * for segment N directly and the server starts ffmpeg there (hlsSession.ts). The durations are true for
 * transcodes because keyframes are forced every `segmentSeconds`; for a remux (video copied) ffmpeg can
 * only cut at the source's keyframes, so the listed durations are nominal — players place segments by
 * their timestamps, which stay absolute (`-output_ts_offset`), so playback and seeking still line up.
 */
import type { MediaStream } from '../../shared/api/items.js';
import { canonicalCodec } from '../../shared/profile/codecs.js';
import { h264LevelFor } from '../../shared/profile/videoOutput.js';

export type SegmentType = 'mpegts' | 'fmp4';

/** Shorter than this at the end of a source is not a segment of its own. */
export const TAIL_SECONDS = 0.5;

/** Segment durations for a source of `durationSeconds`: all `segmentSeconds` long but the last. */
export function segmentDurations(durationSeconds: number, segmentSeconds: number): number[] {
  if (!(durationSeconds > 0) || !(segmentSeconds > 0)) return [];
  // A probed duration runs a little past the last video frame (audio priming, a trailing audio packet:
  // 90.023 s for a 90 s clip). ffmpeg cuts only at keyframes, so it never writes a segment for such a
  // tail: anything under TAIL_SECONDS belongs to the segment before it.
  const count = Math.max(1, Math.ceil((durationSeconds - TAIL_SECONDS) / segmentSeconds));
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(i === count - 1 ? durationSeconds - i * segmentSeconds : segmentSeconds);
  return out;
}

/** The segment that holds `seconds` (clamped to the last one). */
export function segmentIndexAt(seconds: number, durationSeconds: number, segmentSeconds: number): number {
  const count = segmentDurations(durationSeconds, segmentSeconds).length;
  if (count === 0 || !(seconds > 0)) return 0;
  return Math.min(count - 1, Math.floor(seconds / segmentSeconds));
}

export function segmentExtension(type: SegmentType): string {
  return type === 'fmp4' ? 'mp4' : 'ts';
}

export interface VariantPlaylistInput {
  durationSeconds: number;
  segmentSeconds: number;
  segmentType: SegmentType;
  /** URL of segment `index`, relative to the playlist. */
  segmentUrl(index: number): string;
  /** fMP4 only: URL of the initialization segment. */
  initUrl?: string;
}

export function buildVariantPlaylist(input: VariantPlaylistInput): string {
  const durations = segmentDurations(input.durationSeconds, input.segmentSeconds);
  // RFC 8216: each EXTINF rounded to the nearest integer must not exceed the target duration.
  const target = Math.max(1, ...durations.map((d) => Math.round(d)), Math.round(input.segmentSeconds));
  const lines = [
    '#EXTM3U',
    // Version 7 for EXT-X-MAP in media playlists (fMP4); 3 is enough for TS with decimal durations.
    `#EXT-X-VERSION:${input.segmentType === 'fmp4' ? 7 : 3}`,
    `#EXT-X-TARGETDURATION:${target}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-INDEPENDENT-SEGMENTS',
  ];
  if (input.segmentType === 'fmp4') {
    if (!input.initUrl) throw new Error('an fMP4 playlist needs an init segment URL');
    lines.push(`#EXT-X-MAP:URI="${input.initUrl}"`);
  }
  durations.forEach((d, i) => lines.push(`#EXTINF:${d.toFixed(6)},`, input.segmentUrl(i)));
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}

export interface MasterPlaylistInput {
  /** Peak bits per second of the variant (video + audio). */
  bandwidth: number;
  width?: number;
  height?: number;
  /** RFC 6381 codec strings, e.g. ['avc1.64001f', 'mp4a.40.2']. */
  codecs: string[];
  variantUrl: string;
}

export function buildMasterPlaylist(input: MasterPlaylistInput): string {
  const attrs = [
    `BANDWIDTH=${Math.max(1, Math.round(input.bandwidth))}`,
    `AVERAGE-BANDWIDTH=${Math.max(1, Math.round(input.bandwidth * 0.8))}`,
  ];
  if (input.width && input.height) attrs.push(`RESOLUTION=${input.width}x${input.height}`);
  if (input.codecs.length) attrs.push(`CODECS="${input.codecs.join(',')}"`);
  return ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-STREAM-INF:${attrs.join(',')}`, input.variantUrl, ''].join('\n');
}

const hex2 = (n: number) =>
  Math.max(0, Math.min(255, Math.round(n)))
    .toString(16)
    .padStart(2, '0');

/** avc1.PPCCLL for an H.264 profile name and level × 10 (41 = 4.1). */
export function avcCodecString(profile: string | undefined, level: number | undefined): string {
  const p = (profile ?? 'high').toLowerCase();
  // profile_idc and constraint flags as browsers expect them in CODECS.
  const [idc, constraints] = p.includes('constrained')
    ? [0x42, 0xe0]
    : p.includes('baseline')
      ? [0x42, 0x00]
      : p === 'main'
        ? [0x4d, 0x40]
        : [0x64, 0x00];
  const lvl = level && level > 0 ? (level < 10 ? level * 10 : level) : 40;
  return `avc1.${hex2(idc)}${hex2(constraints)}${hex2(lvl)}`;
}

/** A CODECS entry for a copied video stream, from what the scan probed. */
export function videoCodecStringOf(stream: MediaStream): string | undefined {
  const codec = canonicalCodec(stream.Codec ?? '');
  if (codec === 'h264') return avcCodecString(stream.Profile, stream.Level);
  // HEVC Main, level from ffprobe (already × 30, e.g. 93 = 3.1).
  if (codec === 'hevc') return `hvc1.1.6.L${stream.Level && stream.Level > 0 ? stream.Level : 93}.B0`;
  return undefined;
}

/** The H.264 level (× 10) a transcode output needs, for CODECS. */
export function transcodeLevel(width: number | undefined, height: number | undefined, fps: number | undefined, capped?: number): number {
  if (capped) return capped;
  return (width && height ? h264LevelFor(width, height, fps ?? 30) : undefined) ?? 40;
}

const AUDIO_CODEC_STRINGS: Record<string, string> = {
  aac: 'mp4a.40.2',
  mp3: 'mp4a.40.34',
  ac3: 'ac-3',
  eac3: 'ec-3',
  opus: 'opus',
  flac: 'fLaC',
};

export function audioCodecString(codec: string): string | undefined {
  return AUDIO_CODEC_STRINGS[canonicalCodec(codec)];
}
