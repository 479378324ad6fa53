/**
 * What the person does to downloads from a page: pause or resume one item, pause or resume everything,
 * remove an item from the device. Reaches the device only through the storage port and the server only
 * through the ApiPort, so it is tested with the loop's fakes.
 */
import type { LocalItem, ServerRow } from '../db';
import { progressOf, type ApiPort, type BackgroundFetchPort, type ControlStoragePort, type Notifier } from './ports';
import type { PauseState, RunScheduler } from './runScheduler';

export interface ItemControlsDeps {
  storage: ControlStoragePort;
  notifier: Notifier;
  pause: PauseState;
  scheduler: Pick<RunScheduler, 'request'>;
  apiFor(session: ServerRow): ApiPort;
  backgroundFetch?: BackgroundFetchPort;
  /** Stops a download in flight now (SyncLoop.stopDownload); no id: all of them. */
  stopDownload?(id?: string): void;
}

export class ItemControls {
  constructor(private readonly d: ItemControlsDeps) {}

  async pause(id: string): Promise<void> {
    this.d.pause.items.add(id);
    this.d.stopDownload?.(id);
    await this.setBlocked(id, 'user');
    await this.stopBackgroundFetchOf(id);
  }

  async resume(id: string): Promise<void> {
    this.d.pause.items.delete(id);
    await this.setBlocked(id, undefined);
    await this.d.scheduler.request('resume', true);
  }

  async pauseAll(): Promise<void> {
    this.d.pause.all = true;
    this.d.stopDownload?.();
    await this.d.storage.setPausedAll(true);
  }

  async resumeAll(): Promise<void> {
    this.d.pause.all = false;
    await this.d.storage.setPausedAll(false);
    await this.d.scheduler.request('resume', true);
  }

  /** "Remove from device": the server is told first (else the next Sync/Data would queue it again). */
  async remove(id: string): Promise<void> {
    const { storage } = this.d;
    const item = await storage.getItem(id);
    if (!item) return;
    this.d.pause.items.add(id);
    this.d.stopDownload?.(id);
    await this.stopBackgroundFetchOf(id);
    // As the item's owner: another user of this device may not remove it (nor even see it).
    const session = await storage.sessionFor(item.ServerId, item.UserId);
    if (session)
      await this.d
        .apiFor(session)
        .markForRemoval(item.SyncJobItemId)
        .catch(() => {});
    await storage.removeItem(id);
    this.d.pause.items.delete(id);
    this.d.notifier.itemRemoved(id);
  }

  private async stopBackgroundFetchOf(id: string): Promise<void> {
    const bg = (await this.d.storage.getItem(id))?.backgroundFetch;
    if (bg) await this.d.backgroundFetch?.abort(bg.id);
  }

  private async setBlocked(id: string, blocked: LocalItem['blocked']): Promise<void> {
    const item = await this.d.storage.updateItem(id, { blocked, error: undefined });
    if (item) this.d.notifier.progress(progressOf(item));
  }
}
