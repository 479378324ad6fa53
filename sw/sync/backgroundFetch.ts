/**
 * Background Fetch (Chromium) for large media: the browser owns the download, shows its own progress UI
 * and carries on after the app is closed, where the sync loop would stop with the service worker. The
 * request asks for the rest of the file (`Range` from the stored bytes, `If-Range`), so a hand-over never
 * repeats what is on the device; when it succeeds, `ingestBackgroundFetch` checks and stores the body as
 * chunks exactly as the loop would have. If it fails or is lost, the loop downloads the rest itself.
 *
 * Chromium lets only a page start one, so the worker asks an open window of the app; with the app closed
 * the loop downloads as usual.
 *
 * The cost: the browser keeps the fetched body until the success event has stored it, so for a moment the
 * file takes twice its size — which is why only large items (SyncSettings.backgroundFetchMinBytes) go
 * this way.
 */
import type { LocalItem } from '../db';
import { BACKGROUND_FETCH_PREFIX } from './backgroundFetchId';
import { ingestMedia, type DownloadContext } from './downloadManager';
import type { BackgroundFetchPort, FileRequestInit } from './ports';
import { toFileResponse } from './serverApi';

/** The parts of the Background Fetch API used here (not in TypeScript's lib yet). */
export interface BgFetchRegistration extends EventTarget {
  readonly id: string;
  readonly downloaded: number;
  readonly result: '' | 'success' | 'failure';
  readonly failureReason: string;
  abort(): Promise<boolean>;
  matchAll(): Promise<Array<{ request: Request; responseReady: Promise<Response> }>>;
}
interface BgFetchManager {
  get(id: string): Promise<BgFetchRegistration | undefined>;
}
export interface BgFetchEvent extends ExtendableEvent {
  readonly registration: BgFetchRegistration;
  updateUI?(options: { title?: string }): Promise<void>;
}

export function backgroundFetchManager(registration: ServiceWorkerRegistration): BgFetchManager | undefined {
  return (registration as ServiceWorkerRegistration & { backgroundFetch?: BgFetchManager }).backgroundFetch;
}

export { BACKGROUND_FETCH_PREFIX };

export class BrowserBackgroundFetch implements BackgroundFetchPort {
  /** Ids whose success event is storing the body right now: still the browser's, not the loop's. */
  readonly ingesting = new Set<string>();

  constructor(
    private readonly manager: BgFetchManager,
    private readonly clients: Clients,
    private readonly replyTimeoutMs = 3000,
  ) {}

  /**
   * Chromium lets only a page start a Background Fetch: an open window of the app is asked to (see
   * src/app/offline/backgroundFetchHost.ts). With no page open, or no answer, the loop downloads.
   */
  async start(item: LocalItem, request: FileRequestInit, remaining: number, onProgress: (downloaded: number) => void): Promise<boolean> {
    const windows = (await this.clients.matchAll({ type: 'window' })) as WindowClient[];
    const page = windows.find((w) => w.visibilityState === 'visible') ?? windows[0];
    if (!page) return false;
    const id = `${BACKGROUND_FETCH_PREFIX}${item.Id}`;
    const channel = new MessageChannel();
    const answer = new Promise<{ ok: boolean; error?: string }>((resolve) => {
      const timer = setTimeout(() => resolve({ ok: false, error: 'no page answered' }), this.replyTimeoutMs);
      channel.port1.onmessage = (e: MessageEvent) => {
        clearTimeout(timer);
        resolve(e.data as { ok: boolean; error?: string });
      };
    });
    page.postMessage(
      {
        type: 'start-background-fetch',
        id,
        url: request.url,
        headers: request.headers,
        title: item.Item.Name,
        icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
        // An exact total: the browser stops a fetch that would exceed it (a server ignoring Range).
        downloadTotal: remaining,
      },
      [channel.port2],
    );
    const result = await answer;
    channel.port1.close();
    if (!result.ok) {
      console.warn('background fetch declined:', result.error);
      return false;
    }
    const registration = await this.manager.get(id).catch(() => undefined);
    registration?.addEventListener('progress', () => onProgress(registration.downloaded));
    return true;
  }

  async state(id: string): Promise<'active' | 'gone'> {
    if (this.ingesting.has(id)) return 'active';
    const registration = await this.manager.get(id).catch(() => undefined);
    return registration && registration.result === '' ? 'active' : 'gone';
  }

  async abort(id: string): Promise<void> {
    await (await this.manager.get(id).catch(() => undefined))?.abort().catch(() => false);
  }
}

/**
 * The success event: the fetched body goes into the item's chunks (checked as it streams). Returns the
 * stored item; throws when the body cannot be used (the loop then downloads what is missing).
 */
export async function ingestBackgroundFetch(ctx: DownloadContext, item: LocalItem, registration: BgFetchRegistration): Promise<LocalItem> {
  const [record] = await registration.matchAll();
  if (!record) throw new Error('the background download has no response');
  const response = await record.responseReady;
  return ingestMedia(ctx, item, toFileResponse(response));
}
