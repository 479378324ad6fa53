/**
 * Container and codec names as profiles and probes spell them. Profiles use Emby's short names (mkv, h264,
 * srt, pgssub) while ffprobe reports its own (matroska, avc1, subrip, hdmv_pgs_subtitle), so every
 * comparison goes through one canonical name.
 */

const CONTAINER_ALIASES: Record<string, string> = {
  matroska: 'mkv',
  m4v: 'mp4',
  mpegts: 'ts',
  m2ts: 'ts',
  mts: 'ts',
  oga: 'ogg',
  mpeg: 'mpg',
};

const CODEC_ALIASES: Record<string, string> = {
  avc: 'h264',
  avc1: 'h264',
  x264: 'h264',
  h265: 'hevc',
  hvc1: 'hevc',
  hev1: 'hevc',
  x265: 'hevc',
  xvid: 'mpeg4',
  divx: 'mpeg4',
  dx50: 'mpeg4',
  dts: 'dca',
  'e-ac3': 'eac3',
  'ac-3': 'ac3',
  mpeg2: 'mpeg2video',
  subrip: 'srt',
  webvtt: 'vtt',
  ssa: 'ass',
  hdmv_pgs_subtitle: 'pgssub',
  pgs: 'pgssub',
  dvd_subtitle: 'dvdsub',
  vobsub: 'dvdsub',
  dvb_subtitle: 'dvbsub',
  tx3g: 'mov_text',
};

export function canonicalContainer(name: string): string {
  const n = name.trim().toLowerCase();
  return CONTAINER_ALIASES[n] ?? n;
}

export function canonicalCodec(name: string): string {
  const n = name.trim().toLowerCase();
  return CODEC_ALIASES[n] ?? n;
}

/** A CSV list from a profile ("mp4,m4v") or a probe ("mov,mp4,m4a") as canonical names; [] = any. */
export function csvList(value: string | undefined, canonical: (name: string) => string): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .map(canonical);
}

/** Whether a profile's CSV list (empty = any) accepts one of `names` (a source may have several names). */
export function listAccepts(list: string | undefined, names: readonly string[], canonical: (n: string) => string): boolean {
  const accepted = csvList(list, canonical);
  if (accepted.length === 0) return true;
  return names.some((n) => accepted.includes(canonical(n)));
}

const TEXT_SUBTITLES = new Set(['srt', 'vtt', 'ass', 'mov_text', 'text', 'subviewer', 'microdvd', 'sami', 'ttml']);
const IMAGE_SUBTITLES = new Set(['pgssub', 'dvdsub', 'dvbsub', 'xsub']);

export function isTextSubtitleCodec(codec: string | undefined): boolean {
  return codec !== undefined && TEXT_SUBTITLES.has(canonicalCodec(codec));
}

export function isImageSubtitleCodec(codec: string | undefined): boolean {
  return codec !== undefined && IMAGE_SUBTITLES.has(canonicalCodec(codec));
}

/** Subtitle formats we can write as a sidecar from any text subtitle. */
export const SIDECAR_TEXT_FORMATS: readonly string[] = ['vtt', 'srt', 'ass'];

/**
 * Which codecs a container can carry *as copies or encodes by our ffmpeg 4.1*. Deliberately conservative:
 * opus and flac in MP4 still needed `-strict experimental` in 4.1, so we re-encode rather than produce a
 * file some players reject. Containers not listed (mkv) take anything.
 */
const MUXABLE: Record<string, { video?: readonly string[]; audio: readonly string[] }> = {
  mp4: { video: ['h264', 'hevc', 'mpeg4', 'av1'], audio: ['aac', 'mp3', 'ac3', 'eac3', 'alac'] },
  mov: { video: ['h264', 'hevc', 'mpeg4', 'prores', 'mjpeg'], audio: ['aac', 'mp3', 'ac3', 'eac3', 'alac', 'pcm_s16le'] },
  m4a: { audio: ['aac', 'alac'] },
  webm: { video: ['vp8', 'vp9', 'av1'], audio: ['opus', 'vorbis'] },
  ts: { video: ['h264', 'hevc', 'mpeg2video'], audio: ['aac', 'mp3', 'ac3', 'eac3'] },
  mp3: { audio: ['mp3'] },
  aac: { audio: ['aac'] },
  flac: { audio: ['flac'] },
  ogg: { audio: ['vorbis', 'opus', 'flac'] },
  opus: { audio: ['opus'] },
};

export function canMuxVideo(container: string, codec: string): boolean {
  const entry = MUXABLE[canonicalContainer(container)];
  if (!entry) return true;
  return entry.video?.includes(canonicalCodec(codec)) ?? false;
}

export function canMuxAudio(container: string, codec: string): boolean {
  const entry = MUXABLE[canonicalContainer(container)];
  if (!entry) return true;
  return entry.audio.includes(canonicalCodec(codec));
}

/** Containers ffmpeg can write for us; anything else is not a usable remux target. */
export function isWritableContainer(container: string): boolean {
  const c = canonicalContainer(container);
  return c in MUXABLE || c === 'mkv';
}

/** Video codecs the decision knows how to write; whether this server's ffmpeg has each encoder is asked apart (encoders.ts). */
export const ENCODABLE_VIDEO: readonly string[] = ['h264', 'hevc', 'vp9', 'vp8'];
/** Audio codecs we can encode. */
export const ENCODABLE_AUDIO: readonly string[] = ['aac', 'mp3', 'opus', 'vorbis', 'ac3', 'eac3', 'flac'];
