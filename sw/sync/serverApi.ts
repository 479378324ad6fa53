/**
 * The ApiPort over fetch, for one signed-in server and user. Same identity header as the page's client
 * (src/app/api/client.ts) so the server sees one device; file downloads carry the token as `api_key`
 * (API.md §2: download URLs) so a cross-origin server needs no preflight for them.
 */
import type { BaseItemDto } from '../../src/shared/api/items';
import type { SyncDataRequest, SyncDataResponse, SyncedItem, UserAction } from '../../src/shared/api/sync';
import { sessionHeaders } from '../authHeaders';
import type { ServerRow } from '../db';
import { blobWithBytes } from './chunkBytes';
import { ApiFailure, type ApiPort, type BlockList, type FileRequestInit, type FileResponse } from './ports';

export class ServerApi implements ApiPort {
  readonly serverId: string;
  private readonly base: string;

  constructor(
    private readonly session: ServerRow & { deviceName?: string },
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {
    this.serverId = session.serverId;
    this.base = session.serverUrl.replace(/\/+$/, '');
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return sessionHeaders(this.session, extra);
  }

  private async send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.base}${path}`, {
        method,
        headers: this.headers(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal,
        cache: 'no-store',
      });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new ApiFailure(0, `could not reach ${this.base}`);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      let message = text.slice(0, 200);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // plain text error
      }
      throw new ApiFailure(res.status, `${method} ${path.split('?')[0]}: ${message || res.statusText}`);
    }
    return res;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    if (res.status === 204) return undefined as T;
    try {
      return (await res.json()) as T;
    } catch {
      throw new ApiFailure(0, `${path}: the answer broke off`);
    }
  }

  getOfflineUser(userId: string): Promise<unknown> {
    return this.json('GET', `/Users/${encodeURIComponent(userId)}/Offline`);
  }

  async postOfflineActions(actions: UserAction[]): Promise<void> {
    await this.send('POST', '/Sync/OfflineActions', actions);
  }

  syncData(request: SyncDataRequest): Promise<SyncDataResponse> {
    return this.json('POST', '/Sync/Data', request);
  }

  readyItems(targetId: string): Promise<SyncedItem[]> {
    return this.json('GET', `/Sync/Items/Ready?TargetId=${encodeURIComponent(targetId)}`);
  }

  getItem(userId: string, itemId: string): Promise<BaseItemDto> {
    return this.json('GET', `/Users/${encodeURIComponent(userId)}/Items/${encodeURIComponent(itemId)}`);
  }

  async transferred(syncJobItemId: string): Promise<void> {
    await this.send('POST', `/Sync/JobItems/${encodeURIComponent(syncJobItemId)}/Transferred`);
  }

  async markForRemoval(syncJobItemId: string): Promise<void> {
    await this.send('POST', `/Sync/JobItems/${encodeURIComponent(syncJobItemId)}/MarkForRemoval`);
  }

  fileRequest(syncJobItemId: string, start: number, ifRange: string | undefined, end?: number): FileRequestInit {
    const url = `${this.base}/Sync/JobItems/${encodeURIComponent(syncJobItemId)}/File?api_key=${encodeURIComponent(this.session.token)}`;
    const headers: Record<string, string> = {};
    if (start > 0 || end !== undefined) headers.Range = `bytes=${start}-${end ?? ''}`;
    if (ifRange) headers['If-Range'] = ifRange;
    return { url, headers };
  }

  async fetchFile(
    syncJobItemId: string,
    start: number,
    end: number | undefined,
    ifRange: string | undefined,
    signal?: AbortSignal,
  ): Promise<FileResponse> {
    const { url, headers } = this.fileRequest(syncJobItemId, start, ifRange, end);
    let res: Response;
    try {
      res = await this.fetchImpl(url, { headers, signal, cache: 'no-store' });
    } catch (err) {
      // Aborted on purpose (a pause, the run's time up): its reason, never "the server is unreachable".
      if (signal?.aborted) throw signal.reason ?? err;
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new ApiFailure(0, `could not reach ${this.base}`);
    }
    if (res.status !== 200 && res.status !== 206 && res.status !== 416) {
      await res.body?.cancel().catch(() => {});
      throw new ApiFailure(res.status, `download answered HTTP ${res.status}`);
    }
    return toFileResponse(res);
  }

  async fetchBlocks(syncJobItemId: string, blockSize: number, signal?: AbortSignal): Promise<BlockList | undefined> {
    const url = `${this.base}/Sync/JobItems/${encodeURIComponent(syncJobItemId)}/Blocks?BlockSize=${blockSize}&api_key=${encodeURIComponent(this.session.token)}`;
    let res: Response;
    try {
      res = await this.fetchImpl(url, { signal, cache: 'no-store' });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new ApiFailure(0, `could not reach ${this.base}`);
    }
    // Not offered (no such route, or this block size refused): the caller falls back to a whole-file hash.
    if (res.status === 404 || res.status === 400 || res.status === 405) {
      await res.body?.cancel().catch(() => {});
      return undefined;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new ApiFailure(res.status, `block digests answered HTTP ${res.status}`);
    }
    const list = (await res.json()) as BlockList;
    const valid =
      Number.isSafeInteger(list?.Size) &&
      list.BlockSize === blockSize &&
      Array.isArray(list.Blocks) &&
      list.Blocks.length === Math.ceil(list.Size / blockSize) &&
      list.Blocks.every((b) => typeof b === 'string' && /^[0-9a-f]{64}$/i.test(b));
    if (!valid) throw new ApiFailure(502, 'the server sent a malformed block list');
    return list;
  }

  async fetchAdditionalFile(syncJobItemId: string, name: string): Promise<Blob> {
    const res = await this.send(
      'GET',
      `/Sync/JobItems/${encodeURIComponent(syncJobItemId)}/AdditionalFiles?Name=${encodeURIComponent(name)}&api_key=${encodeURIComponent(this.session.token)}`,
    );
    return res.blob();
  }

  async fetchImage(itemId: string, type: string, tag: string | undefined): Promise<Blob | undefined> {
    const q = new URLSearchParams({ maxWidth: '400', quality: '90' });
    if (tag) q.set('tag', tag);
    try {
      const res = await this.send('GET', `/Items/${encodeURIComponent(itemId)}/Images/${type}?${q}`);
      return await res.blob();
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 404) return undefined;
      throw err;
    }
  }
}

/** A media answer as the download manager reads it (also for the responses Background Fetch hands over). */
export function toFileResponse(res: Response): FileResponse {
  const range = /bytes (\d+)-\d+\/(\d+)/.exec(res.headers.get('Content-Range') ?? '');
  const star = /bytes \*\/(\d+)/.exec(res.headers.get('Content-Range') ?? '');
  const length = res.headers.get('Content-Length');
  return {
    status: res.status,
    etag: res.headers.get('ETag') ?? undefined,
    start: range ? Number(range[1]) : 0,
    total: range ? Number(range[2]) : star ? Number(star[1]) : res.status === 200 && length ? Number(length) : undefined,
    contentType: res.headers.get('Content-Type') ?? undefined,
    body: res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    blob: (onBytes) => (onBytes && res.body ? readCounting(res.body, res.headers.get('Content-Type') ?? '', onBytes) : res.blob()),
  };
}

/**
 * The body as a Blob, telling `onBytes` how much has arrived after every piece the network delivers: a
 * 4 MiB chunk takes seconds on a slow link, and progress that moves only per chunk looks stuck.
 */
async function readCounting(body: ReadableStream<Uint8Array>, type: string, onBytes: (received: number) => void): Promise<Blob> {
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.byteLength;
    onBytes(received);
  }
  const bytes = parts.length === 1 ? parts[0]! : new Uint8Array(received);
  if (parts.length > 1) {
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.byteLength;
    }
  }
  return blobWithBytes(bytes, type);
}
