/**
 * Which files are library media (by extension), which names are never content, and which images are
 * artwork that decorates media rather than photos of their own.
 */
import path from 'node:path';

export type FileKind = 'video' | 'audio' | 'image' | 'subtitle';

const VIDEO_EXTS = new Set(['mp4', 'm4v', 'mkv', 'webm', 'avi', 'mov', 'wmv', 'ts', 'm2ts', 'mts', 'mpg', 'mpeg', 'flv', 'ogv', '3gp']);
const AUDIO_EXTS = new Set(['mp3', 'flac', 'm4a', 'm4b', 'aac', 'ogg', 'oga', 'opus', 'wav', 'wma', 'alac', 'aiff']);
// Photos are read with sharp (imageCodec.ts): AVIF and HEIF containers too; HEVC-coded HEIC needs heif-convert.
const IMAGE_EXTS = new Set(['jpg', 'jpeg', 'png', 'webp', 'gif', 'heic', 'heif', 'avif']);
export const SUBTITLE_CODEC_BY_EXT: Record<string, string> = { srt: 'srt', vtt: 'vtt', ass: 'ass', ssa: 'ssa' };

export function extensionOf(file: string): string {
  return path.extname(file).slice(1).toLowerCase();
}

export function fileKind(file: string): FileKind | undefined {
  const ext = extensionOf(file);
  if (VIDEO_EXTS.has(ext)) return 'video';
  if (AUDIO_EXTS.has(ext)) return 'audio';
  if (IMAGE_EXTS.has(ext)) return 'image';
  if (ext in SUBTITLE_CODEC_BY_EXT) return 'subtitle';
  return undefined;
}

/** Dot-files, and the temp names our own writers use, are never library content. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('@eaDir') || name === '#recycle' || name === 'lost+found';
}

const ARTWORK_BASES = new Set([
  'cover',
  'folder',
  'poster',
  'fanart',
  'backdrop',
  'background',
  'banner',
  'logo',
  'clearart',
  'clearlogo',
  'thumb',
  'landscape',
  'disc',
  'cdart',
  'albumart',
  'albumartsmall',
  'front',
  'art',
]);

/**
 * Images that decorate media (cover.jpg, poster.jpg, `Movie-poster.jpg`) are artwork, not Photo items.
 * An image in a folder that holds video or audio is artwork too: photo libraries do not mix with them.
 */
export function isArtworkImage(fileName: string, folderHasMedia: boolean): boolean {
  if (folderHasMedia) return true;
  const base = path.parse(fileName).name.toLowerCase();
  if (ARTWORK_BASES.has(base)) return true;
  return /[-.](poster|fanart|backdrop|banner|thumb|landscape|logo)$/.test(base) || /^season\d*-poster$/.test(base);
}

/** Preferred folder images for a series, season, album or movie, best first. */
export const FOLDER_IMAGE_NAMES = ['folder', 'poster', 'cover', 'front', 'albumart', 'thumb'];
