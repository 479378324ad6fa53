/**
 * Answers the offline player with what is on the device, never asking the server:
 *   /offline/media/{localId}             → 200 / 206 / 416 from the IndexedDB chunks, as a stream that
 *                                           pulls one chunk at a time (so `<video>` seeks without the
 *                                           file ever being in memory)
 *   /offline/subtitles/{localId}/{name}  → the WebVTT file from Cache Storage
 *   /offline/images/{serverId}/{itemId}/{type} → the poster from Cache Storage
 * Registered before the navigation route (sw.ts), and /offline is on its denylist.
 */
import { registerRoute } from 'workbox-routing';
import { OFFLINE_CACHE, type LocalItem } from '../db';
import { DexieStorage } from '../sync/dexieStorage';
import type { StoragePort } from '../sync/ports';
import { chunkStream, decideRange } from './rangeStream';

/** What the responder reads: records and their media chunks, through the storage port. */
export type OfflineMediaStore = Pick<StoragePort, 'getItem' | 'readChunk'>;

export const OFFLINE_MEDIA_PATH = /^\/offline\/media\/([^/]+)$/;
const OFFLINE_SMALL_PATH = /^\/offline\/(subtitles|images)\//;

const TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  m4a: 'audio/mp4',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  mp3: 'audio/mpeg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  wav: 'audio/wav',
};

function contentTypeOf(item: LocalItem): string {
  if (item.contentType && !/octet-stream/.test(item.contentType)) return item.contentType;
  const ext = /\.([a-z0-9]+)$/i.exec(item.OriginalFileName)?.[1]?.toLowerCase() ?? '';
  return TYPES[ext] ?? 'application/octet-stream';
}

export async function respondWithMedia(store: OfflineMediaStore, localId: string, request: Request): Promise<Response> {
  const item = await store.getItem(localId);
  if (!item || item.step === 'media' || item.size === undefined) {
    return new Response('Not on this device', {
      status: 404,
      headers: { 'Content-Type': 'text/plain' },
    });
  }
  const size = item.size;
  const decision = decideRange(request.headers.get('Range'), size);
  const headers: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    'Content-Type': contentTypeOf(item),
    'Cache-Control': 'no-store',
  };
  if (decision.status === 416) {
    return new Response(null, {
      status: 416,
      headers: { ...headers, 'Content-Range': `bytes */${size}` },
    });
  }
  const { start, end } = decision;
  headers['Content-Length'] = String(Math.max(0, end - start + 1));
  if (decision.status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  if (request.method === 'HEAD' || size === 0) return new Response(null, { status: decision.status, headers });
  const body = chunkStream((index) => store.readChunk(item.FileId, index), item.chunkSize, start, end);
  return new Response(body, { status: decision.status, headers });
}

async function respondFromCache(request: Request): Promise<Response> {
  const cache = await caches.open(OFFLINE_CACHE);
  const hit = await cache.match(new URL(request.url).pathname);
  return (
    hit ??
    new Response('Not on this device', {
      status: 404,
      headers: { 'Content-Type': 'text/plain' },
    })
  );
}

export function registerOfflineMediaRoute(store: OfflineMediaStore = new DexieStorage()): void {
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && OFFLINE_MEDIA_PATH.test(url.pathname),
    ({ url, request }) => respondWithMedia(store, decodeURIComponent(OFFLINE_MEDIA_PATH.exec(url.pathname)![1]!), request),
    'GET',
  );
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && OFFLINE_MEDIA_PATH.test(url.pathname),
    ({ url, request }) => respondWithMedia(store, decodeURIComponent(OFFLINE_MEDIA_PATH.exec(url.pathname)![1]!), request),
    'HEAD',
  );
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && OFFLINE_SMALL_PATH.test(url.pathname),
    ({ request }) => respondFromCache(request),
    'GET',
  );
}
