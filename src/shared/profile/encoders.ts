/**
 * Which output codecs this server's ffmpeg can write. The decision takes a profile's codecs in order; given
 * the server's list (ConversionInput.encoders) it skips those its ffmpeg has no encoder for, so a build
 * without libx265 gives an `hevc,h264` device H.264 instead of a plan ffmpeg refuses with "Unknown encoder".
 */
import type { VideoCodecOut } from './plan.js';

/** Canonical output codecs (codecs.ts names) this server can encode, video and audio. */
export interface ServerEncoders {
  video: readonly string[];
  audio: readonly string[];
}

/** The ffmpeg encoder each output video codec is written with (convert/ffmpegArgs.ts passes these). */
export const VIDEO_ENCODERS: Readonly<Record<VideoCodecOut, string>> = {
  h264: 'libx264',
  hevc: 'libx265',
  vp9: 'libvpx-vp9',
  vp8: 'libvpx',
};

/** The ffmpeg encoder each output audio codec is written with; ac3, eac3, flac and aac are ffmpeg's own. */
export const AUDIO_ENCODERS: Readonly<Record<string, string>> = {
  aac: 'aac',
  mp3: 'libmp3lame',
  opus: 'libopus',
  vorbis: 'libvorbis',
  ac3: 'ac3',
  eac3: 'eac3',
  flac: 'flac',
};

export type EncoderKind = keyof ServerEncoders;

/** Whether the server can encode `codec`; without a list (the app, unit tests of the rules) every codec can. */
export function canEncode(kind: EncoderKind, codec: string, encoders: ServerEncoders | undefined): boolean {
  return encoders === undefined || encoders[kind].includes(codec);
}

/** "this server's ffmpeg has no encoder for hevc (libx265) or vp9 (libvpx-vp9)": why a plan can't be made. */
export function missingEncoderText(kind: EncoderKind, codecs: readonly string[]): string {
  const names: Readonly<Record<string, string>> = kind === 'video' ? VIDEO_ENCODERS : AUDIO_ENCODERS;
  const listed = [...new Set(codecs)].map((c) => (names[c] ? `${c} (${names[c]})` : c));
  return `this server's ffmpeg has no encoder for ${listed.join(' or ')}`;
}
