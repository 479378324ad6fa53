/**
 * Serving a file with HTTP Range, as resumable downloads and `<video>` seeking need it (API.md §9.3):
 * `a-b`, `a-`, `-n` → 206 + Content-Range; unsatisfiable → 416 with a Content-Range that names only the size; several
 * ranges → 200 with the whole file (no multipart: no client of ours asks for it); strong ETag; If-Range
 * mismatch → 200 whole; If-None-Match → 304; HEAD → headers only. Bytes are streamed, never buffered.
 * The parsing is pure (`parseRange`, `decideRangeResponse`) and unit-tested; `sendFileWithRange` is the
 * Fastify glue reused by the library streams and the sync core's `/Sync/JobItems/{id}/File`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline, Readable, Transform } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../errors.js';
import type { SharedRateLimiter } from './rateLimit.js';

export type ParsedRange =
  { kind: 'none' } | { kind: 'range'; start: number; end: number } | { kind: 'unsatisfiable' } | { kind: 'multiple' };

/** One `Range` header against a size. Malformed headers are ignored (RFC 9110: serve the whole file). */
export function parseRange(header: string | undefined, size: number): ParsedRange {
  if (!header) return { kind: 'none' };
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m) return { kind: 'none' };
  const specs = m[1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (specs.length === 0) return { kind: 'none' };
  if (specs.length > 1) return { kind: 'multiple' };
  const spec = /^(\d*)-(\d*)$/.exec(specs[0]!);
  if (!spec || (spec[1] === '' && spec[2] === '')) return { kind: 'none' };
  if (spec[1] === '') {
    const suffix = Number(spec[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(spec[1]);
  // "5-2" is not a valid range at all (ignored); "2000-" on a 1000-byte file is valid but unsatisfiable.
  if (spec[2] !== '' && Number(spec[2]) < start) return { kind: 'none' };
  const end = spec[2] === '' ? size - 1 : Number(spec[2]);
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end: Math.min(end, size - 1) };
}

/** A strong validator from whatever identifies the bytes (id, size, mtime; or a content key). */
export function strongEtag(...parts: Array<string | number>): string {
  return `"${createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 32)}"`;
}

function etagMatches(list: string, etag: string): boolean {
  // If-None-Match uses the weak comparison: W/"x" matches "x".
  return list.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v.replace(/^W\//, '') === etag;
  });
}

export interface RangeRequestHeaders {
  method: string;
  range?: string;
  ifRange?: string;
  ifNoneMatch?: string;
}

export type RangeDecision =
  | { status: 304; headers: Record<string, string> }
  | { status: 416; headers: Record<string, string> }
  | { status: 200 | 206; headers: Record<string, string>; start: number; end: number; body: boolean };

/** The status, headers and byte span a request gets; pure. */
export function decideRangeResponse(
  req: RangeRequestHeaders,
  file: { size: number; etag: string; contentType: string; lastModified?: Date },
): RangeDecision {
  const base: Record<string, string> = { 'accept-ranges': 'bytes', etag: file.etag };
  if (file.lastModified) base['last-modified'] = file.lastModified.toUTCString();
  if (req.ifNoneMatch && etagMatches(req.ifNoneMatch, file.etag)) return { status: 304, headers: base };
  let range = parseRange(req.range, file.size);
  if (range.kind !== 'none' && req.ifRange !== undefined) {
    // If-Range: a strong ETag must match exactly; a date must equal Last-Modified. Otherwise send it all.
    const v = req.ifRange.trim();
    const ok = v.startsWith('"') ? v === file.etag : !!file.lastModified && v === file.lastModified.toUTCString();
    if (!ok) range = { kind: 'none' };
  }
  const headers = { ...base, 'content-type': file.contentType };
  const body = req.method.toUpperCase() !== 'HEAD';
  if (range.kind === 'unsatisfiable') return { status: 416, headers: { ...base, 'content-range': `bytes */${file.size}` } };
  if (range.kind === 'range') {
    return {
      status: 206,
      headers: {
        ...headers,
        'content-range': `bytes ${range.start}-${range.end}/${file.size}`,
        'content-length': String(range.end - range.start + 1),
      },
      start: range.start,
      end: range.end,
      body,
    };
  }
  return { status: 200, headers: { ...headers, 'content-length': String(file.size) }, start: 0, end: file.size - 1, body };
}

export interface SendFileOptions {
  path: string;
  size: number;
  etag: string;
  contentType: string;
  lastModified?: Date;
  /** `attachment; filename=…` for downloads. */
  downloadName?: string;
  /** Called with each chunk's byte count as it is sent (download progress, rate accounting). */
  onBytes?: (n: number) => void;
  /** A shared bandwidth budget the body is paced by (sync downloads, `UploadSpeedLimitBytes`). */
  limiter?: SharedRateLimiter;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * Answers `req` with the file. The file is opened before any header is sent, so a file that vanished
 * since the caller's stat becomes a clean 404 JSON instead of a broken 200.
 */
export async function sendFileWithRange(req: FastifyRequest, reply: FastifyReply, opts: SendFileOptions): Promise<FastifyReply> {
  const decision = decideRangeResponse(
    { method: req.method, range: header(req, 'range'), ifRange: header(req, 'if-range'), ifNoneMatch: header(req, 'if-none-match') },
    opts,
  );
  if (opts.downloadName) decision.headers['content-disposition'] = contentDisposition(opts.downloadName);
  reply.headers(decision.headers);
  reply.status(decision.status);
  if (decision.status === 304 || decision.status === 416) return reply.send();
  // HEAD (or an empty file): an empty stream, not an empty payload — Fastify's automatic HEAD route
  // rewrites Content-Length to 0 for an empty payload but leaves it alone for a stream.
  if (!decision.body || opts.size === 0) return reply.send(Readable.from([]));
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(opts.path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      for (const h of Object.keys(decision.headers)) reply.removeHeader(h);
      throw notFound('The file is no longer there');
    }
    throw err;
  }
  const stream = handle.createReadStream({ start: decision.start, end: decision.end });
  const stages: Transform[] = [];
  // Paced first, counted after: progress follows the bytes that really leave.
  if (opts.limiter) stages.push(opts.limiter.throttle());
  const onBytes = opts.onBytes;
  if (onBytes) {
    stages.push(
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          onBytes(chunk.length);
          done(null, chunk);
        },
      }),
    );
  }
  if (stages.length === 0) return reply.send(stream);
  // pipeline destroys every stage (and closes the file) when the client goes away or a read fails.
  return reply.send(pipeline([stream, ...stages], () => undefined));
}

/** RFC 6266 with an ASCII fallback, so any file name survives. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const CONTENT_TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
  avi: 'video/x-msvideo',
  mov: 'video/quicktime',
  ts: 'video/mp2t',
  m2ts: 'video/mp2t',
  mts: 'video/mp2t',
  mpegts: 'video/mp2t',
  mpg: 'video/mpeg',
  mpeg: 'video/mpeg',
  flv: 'video/x-flv',
  ogv: 'video/ogg',
  '3gp': 'video/3gpp',
  wmv: 'video/x-ms-wmv',
  asf: 'video/x-ms-asf',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  m4b: 'audio/mp4',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  wav: 'audio/wav',
  wma: 'audio/x-ms-wma',
  aiff: 'audio/aiff',
  alac: 'audio/mp4',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  vtt: 'text/vtt',
  srt: 'application/x-subrip',
  ass: 'text/x-ssa',
  ssa: 'text/x-ssa',
};

/** The Content-Type for a container or file extension; by media type when unknown. */
export function contentTypeFor(containerOrExt: string | null | undefined, mediaType?: string | null): string {
  const key = (containerOrExt ?? '').toLowerCase().replace(/^\./, '').split(',')[0]!;
  // Ogg and WebM carry either kind: the item's media type picks the top-level type.
  if (key === 'ogg' && mediaType === 'Video') return 'video/ogg';
  if (key === 'webm' && mediaType === 'Audio') return 'audio/webm';
  return CONTENT_TYPES[key] ?? (mediaType === 'Audio' ? 'audio/mpeg' : mediaType === 'Video' ? 'video/mp4' : 'application/octet-stream');
}
