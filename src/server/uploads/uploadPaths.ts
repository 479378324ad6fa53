/**
 * Where a camera upload lands (pure): `<root>/<user>/<device>/<album or YYYY-MM>/[Videos/]<name>`. Every segment
 * comes from the client, so each is reduced to one safe path segment: no separators, no `..`, no leading
 * dot (the scanner skips hidden names), no control characters; Unicode stays.
 */
import path from 'node:path';

const IMAGE_VIDEO_EXTS = new Set([
  'jpg',
  'jpeg',
  'png',
  'webp',
  'gif',
  'heic',
  'mp4',
  'm4v',
  'mkv',
  'webm',
  'mov',
  '3gp',
  'avi',
  'ts',
  'mts',
  'm2ts',
  'mpg',
  'mpeg',
  'wmv',
  'ogv',
  'flv',
]);
const MAX_SEGMENT_BYTES = 180;

export function safeSegment(raw: string | undefined, fallback: string): string {
  let s = (raw ?? '')
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[/\\:*?"<>|]/g, '_')
    .replace(/\.{2,}/g, '.')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  while (Buffer.byteLength(s) > MAX_SEGMENT_BYTES) s = s.slice(0, -1);
  return s || fallback;
}

/** A safe file name whose extension the library scanner recognises (the sniffed one is added if needed). */
export function safeFileName(raw: string | undefined, sniffedExt: string): string {
  const name = safeSegment(raw, 'upload');
  const ext = path.extname(name).slice(1).toLowerCase();
  if (IMAGE_VIDEO_EXTS.has(ext)) return name;
  return `${safeSegment(name.slice(0, MAX_SEGMENT_BYTES - sniffedExt.length - 1), 'upload')}.${sniffedExt}`;
}

/** Album folder: the client's album, else the month the file was taken (or received). */
export function albumFolder(album: string | undefined, date: string | undefined, now: Date): string {
  if (album && album.trim()) return safeSegment(album, 'Camera');
  const d = date && !Number.isNaN(Date.parse(date)) ? new Date(date) : now;
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** `name.jpg` → `name (2).jpg` … while `taken(candidate)`. */
export function uniqueName(fileName: string, taken: (candidate: string) => boolean): string {
  if (!taken(fileName)) return fileName;
  const ext = path.extname(fileName);
  const base = fileName.slice(0, fileName.length - ext.length);
  for (let n = 2; ; n++) {
    const candidate = `${base} (${n})${ext}`;
    if (!taken(candidate)) return candidate;
  }
}

export function cameraUploadsRoot(dataDir: string): string {
  return path.join(dataDir, 'camera-uploads');
}
