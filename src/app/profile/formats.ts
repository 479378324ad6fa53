/**
 * The formats we ask about, as MIME strings browsers understand, named the way DeviceProfiles name them
 * (Emby short names: h264, hevc, aac, ac3 …). One table, so adding a codec is one line here.
 */

export type VideoContainer = 'mp4' | 'webm' | 'mkv' | 'mov';
export type VideoCodec = 'h264' | 'hevc' | 'vp8' | 'vp9' | 'av1';
export type AudioCodec = 'aac' | 'mp3' | 'opus' | 'vorbis' | 'flac' | 'ac3' | 'eac3';

/** Container → MIME type and the extra names a server may use for the same container. */
export const VIDEO_CONTAINERS: Record<VideoContainer, { mime: string; profileName: string }> = {
  mp4: { mime: 'video/mp4', profileName: 'mp4,m4v' },
  webm: { mime: 'video/webm', profileName: 'webm' },
  mkv: { mime: 'video/x-matroska', profileName: 'mkv' },
  mov: { mime: 'video/quicktime', profileName: 'mov' },
};

/**
 * RFC 6381 strings for the most common flavour of each codec: 8-bit and a modest level, so "no" means the
 * codec itself is missing. Levels and bit depths are probed separately (codecProfiles.ts).
 */
export const VIDEO_CODEC_STRINGS: Record<VideoCodec, string> = {
  h264: 'avc1.640028', // High, level 4.0
  hevc: 'hvc1.1.6.L120.90', // Main, level 4.0
  vp8: 'vp8',
  vp9: 'vp09.00.31.08', // profile 0, level 3.1, 8-bit
  av1: 'av01.0.08M.08', // Main, level 4.0, 8-bit
};

export const AUDIO_CODEC_STRINGS: Record<AudioCodec, string> = {
  aac: 'mp4a.40.2',
  mp3: 'mp4a.6B',
  opus: 'opus',
  vorbis: 'vorbis',
  flac: 'flac',
  ac3: 'ac-3',
  eac3: 'ec-3',
};

/** Which codecs a container can carry at all (asking Chrome about h264 in WebM is a meaningless no). */
export const VIDEO_CODECS_BY_CONTAINER: Record<VideoContainer, VideoCodec[]> = {
  mp4: ['h264', 'hevc', 'vp9', 'av1'],
  webm: ['vp8', 'vp9', 'av1'],
  mkv: ['h264', 'hevc', 'vp8', 'vp9', 'av1'],
  mov: ['h264', 'hevc'],
};

export const AUDIO_CODECS_BY_CONTAINER: Record<VideoContainer, AudioCodec[]> = {
  mp4: ['aac', 'mp3', 'opus', 'flac', 'ac3', 'eac3'],
  webm: ['opus', 'vorbis'],
  mkv: ['aac', 'mp3', 'opus', 'vorbis', 'flac', 'ac3', 'eac3'],
  mov: ['aac', 'mp3', 'ac3', 'eac3'],
};

/** Codec strings differ by container in a few places: Matroska names MP3 plainly, not as an MPEG-4 object. */
export function audioCodecString(container: VideoContainer, codec: AudioCodec): string {
  if (container === 'mkv' && codec === 'mp3') return 'mp3';
  return AUDIO_CODEC_STRINGS[codec];
}

export function videoMime(container: VideoContainer, codecs: string[]): string {
  return `${VIDEO_CONTAINERS[container].mime}; codecs="${codecs.join(',')}"`;
}

/** Audio files: profile container name, the codec inside, and how a browser is asked about it. */
export interface AudioFileFormat {
  container: string;
  codec: AudioCodec;
  mime: string;
}

export const AUDIO_FILE_FORMATS: AudioFileFormat[] = [
  { container: 'mp3', codec: 'mp3', mime: 'audio/mpeg' },
  { container: 'm4a,m4b,mp4', codec: 'aac', mime: 'audio/mp4; codecs="mp4a.40.2"' },
  { container: 'aac', codec: 'aac', mime: 'audio/aac' },
  { container: 'm4a,mp4', codec: 'flac', mime: 'audio/mp4; codecs="flac"' },
  { container: 'flac', codec: 'flac', mime: 'audio/flac' },
  { container: 'ogg,oga', codec: 'vorbis', mime: 'audio/ogg; codecs="vorbis"' },
  { container: 'ogg,oga,opus', codec: 'opus', mime: 'audio/ogg; codecs="opus"' },
  { container: 'ogg,oga', codec: 'flac', mime: 'audio/ogg; codecs="flac"' },
  { container: 'webm,weba', codec: 'opus', mime: 'audio/webm; codecs="opus"' },
  { container: 'webm,weba', codec: 'vorbis', mime: 'audio/webm; codecs="vorbis"' },
];
