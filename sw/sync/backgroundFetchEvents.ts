/**
 * The service worker's side of a Background Fetch that ended (see backgroundFetch.ts): take the body in
 * on success, or hand the item back to the loop on failure; a fetch stopped from the browser's own
 * download UI counts as the person pausing the item.
 */
import { BACKGROUND_FETCH_PREFIX, ingestBackgroundFetch, type BgFetchEvent, type BrowserBackgroundFetch } from './backgroundFetch';
import { progressOf, type ApiPort, type Clock, type ControlStoragePort, type Notifier } from './ports';
import type { PauseState, RunScheduler } from './runScheduler';
import { QUOTA_MESSAGE } from './runContext';
import type { ServerRow } from '../db';

/** After a failed Background Fetch, the loop downloads the item itself for this long. */
export const BACKGROUND_FETCH_RETRY_MS = 10 * 60_000;

export interface BackgroundFetchEventsDeps {
  storage: ControlStoragePort;
  notifier: Notifier;
  clock: Clock;
  pause: PauseState;
  scheduler: Pick<RunScheduler, 'request'>;
  apiFor(session: ServerRow): ApiPort;
  backgroundFetch: BrowserBackgroundFetch;
}

export class BackgroundFetchEvents {
  constructor(private readonly d: BackgroundFetchEventsDeps) {}

  static itemIdOf(event: BgFetchEvent): string | undefined {
    const id = event.registration.id;
    return id.startsWith(BACKGROUND_FETCH_PREFIX) ? id.slice(BACKGROUND_FETCH_PREFIX.length) : undefined;
  }

  async succeeded(e: BgFetchEvent): Promise<void> {
    const { storage, backgroundFetch } = this.d;
    const id = BackgroundFetchEvents.itemIdOf(e);
    const item = id && (await storage.getItem(id));
    // Only a hand-over the item still waits for: a fetch the loop gave up waiting on (the page answered
    // late) or one from before a reset is not taken in.
    if (!id || !item || item.step !== 'media' || item.backgroundFetch?.id !== e.registration.id) return;
    const session = await storage.sessionFor(item.ServerId, item.UserId);
    if (!session) return;
    backgroundFetch.ingesting.add(e.registration.id);
    try {
      const stored = await ingestBackgroundFetch(
        {
          api: this.d.apiFor(session),
          storage,
          clock: this.d.clock,
          settings: await storage.settings(),
          onProgress: (i) => this.d.notifier.progress(progressOf(i)),
        },
        item,
        e.registration,
      );
      await storage.putItem({ ...stored, backgroundFetch: undefined, blocked: undefined, error: undefined });
      await e.updateUI?.({ title: `${item.Item.Name} is on this device` }).catch(() => {});
    } catch (err) {
      // What was stored stays; the loop downloads the rest the ordinary way (not the browser again for a
      // while: a body that cannot be used once will not be better the next time).
      await storage.updateItem(id, {
        backgroundFetch: undefined,
        backgroundFetchRetryAt: this.d.clock.now() + BACKGROUND_FETCH_RETRY_MS,
        error: `background download: ${(err as Error)?.message ?? err}`,
      });
    } finally {
      backgroundFetch.ingesting.delete(e.registration.id);
    }
    // Images, subtitles and Transferred follow in an ordinary run.
    await this.d.scheduler.request('background-fetch');
  }

  async ended(e: BgFetchEvent, aborted: boolean): Promise<void> {
    const id = BackgroundFetchEvents.itemIdOf(e);
    const item = id && (await this.d.storage.getItem(id));
    if (!id || !item || item.backgroundFetch?.id !== e.registration.id) return; // removed on purpose, or not waited for
    const quota = e.registration.failureReason === 'quota-exceeded';
    // Stopped from the browser's own download UI: the person paused it. A failure: the loop takes over.
    const blocked = aborted ? 'user' : quota ? 'quota' : item.blocked;
    await this.d.storage.updateItem(id, {
      backgroundFetch: undefined,
      backgroundFetchRetryAt: aborted ? undefined : this.d.clock.now() + BACKGROUND_FETCH_RETRY_MS,
      blocked,
      error: aborted ? undefined : quota ? QUOTA_MESSAGE : `background download failed (${e.registration.failureReason || 'unknown'})`,
    });
    if (aborted) this.d.pause.items.add(id);
    this.d.notifier.progress(progressOf({ ...item, blocked }));
    if (!aborted && !quota) await this.d.scheduler.request('background-fetch-failed');
  }
}
