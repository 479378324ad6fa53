/**
 * Plays, positions and "mark watched" made on downloaded items go into the Dexie outbox as Emby
 * UserActions (API.md §5.12), each with its own Id: the SW sends them with POST /Sync/OfflineActions when
 * the server is reachable, and the server ignores an Id it has seen, so a send repeated after a lost
 * answer is applied once.
 *
 * One action per playback: while it is still waiting in the outbox, later pauses update it in place
 * (a second action would count a second play for short items, which are "played" on every action);
 * once sent, the next stop starts a new one.
 */
import { TICKS_PER_SECOND } from '../../shared/api/items';
import type { LocalItem } from '../../../sw/db';
import { newDeviceId } from '../device/identity';
import { registerOneOffSync, requestSync } from './bridge';

const loadDb = () => import('../../../sw/db');

export class PlaybackRecorder {
  private actionId: string | undefined;

  constructor(
    private readonly item: LocalItem,
    private readonly userId: string,
  ) {}

  /** Saves the resume position on the device and queues (or updates) this playback's action. */
  async stopped(positionSeconds: number, ended: boolean): Promise<void> {
    const { openDb } = await loadDb();
    const db = openDb();
    await db.items.update(this.item.Id, {
      position: ended ? 0 : positionSeconds,
    });
    const existing = this.actionId ? await db.outbox.get(this.actionId) : undefined;
    const id = existing?.Id ?? newDeviceId();
    this.actionId = id;
    await db.outbox.put({
      Id: id,
      ServerId: this.item.ServerId,
      UserId: this.userId,
      ItemId: this.item.ItemId,
      Type: 'PlayedItem',
      Date: new Date().toISOString(),
      // No position = played to the end (API.md §5.12).
      PositionTicks: ended ? undefined : Math.round(positionSeconds * TICKS_PER_SECOND),
    });
    await flushSoon();
  }
}

/** "Mark watched": an action without a position, which the server counts as played. */
export async function markWatched(item: LocalItem, userId: string): Promise<void> {
  const { openDb } = await loadDb();
  await openDb().outbox.put({
    Id: newDeviceId(),
    ServerId: item.ServerId,
    UserId: userId,
    ItemId: item.ItemId,
    Type: 'PlayedItem',
    Date: new Date().toISOString(),
  });
  await openDb().items.update(item.Id, { position: 0 });
  await flushSoon();
}

/** Online: send now. Offline: the browser's one-off sync (or the next app open) sends them. */
async function flushSoon(): Promise<void> {
  await registerOneOffSync();
  if (navigator.onLine) await requestSync('offline-actions');
}

export async function savePosition(item: LocalItem, seconds: number): Promise<void> {
  const { openDb } = await loadDb();
  await openDb().items.update(item.Id, { position: seconds });
}
