/**
 * What the device holds versus what the server wants (`POST /Sync/Data`, API.md §5.10) and the plays made
 * offline (`POST /Sync/OfflineActions`, §5.12).
 */
import type { AuthContext } from '../auth/authService.js';
import { badRequest, forbidden } from '../errors.js';
import { normalizeId } from '../ids.js';
import { dateToDotNetTicks } from '../../shared/api/items.js';
import type { SyncDataResponse } from '../../shared/api/sync.js';
import type { JobItemProcessor } from './jobItemProcessor.js';
import type { SyncStore, UnitOfWork, UserDirectory } from './ports.js';
import type { JobItemRecord } from './records.js';
import type { RefreshScheduler } from './refreshScheduler.js';
import type { SyncAccess } from './syncAccess.js';
import type { SyncLibrary } from './syncLibrary.js';

export interface ReconcileDeps {
  store: SyncStore;
  uow: UnitOfWork;
  lib: SyncLibrary;
  users: UserDirectory;
  access: SyncAccess;
  processor: JobItemProcessor;
  refresh: Pick<RefreshScheduler, 'refreshJob'>;
  /** The resume rules of §5.12, shared with online playback; returns false when the action was older than the last play. */
  applyPlayed: (userId: string, itemId: string, positionTicks: number | undefined, date: string) => boolean | void;
  now?: () => Date;
}

/** A UserAction as clients send it (API.md §4): Type by name or number, the rest of the wire shape optional. */
export interface OfflineAction {
  Id: string;
  ItemId: string;
  Date: string;
  UserId?: string;
  Type?: string | number;
  PositionTicks?: number | null;
}

export interface SyncDataInput {
  TargetId: string;
  LocalItemIds?: string[];
  OfflineUserIds?: string[];
  SyncJobItemIds?: string[];
}

export class Reconciler {
  constructor(private readonly d: ReconcileDeps) {}

  syncData(caller: AuthContext, input: SyncDataInput): SyncDataResponse {
    this.d.access.requireTarget(caller, input.TargetId);
    const byJobItem = input.SyncJobItemIds !== undefined;
    const local = new Set((byJobItem ? input.SyncJobItemIds! : (input.LocalItemIds ?? [])).map((id) => normalizeId(id) ?? id));
    const all = this.d.store.itemsOfTarget(input.TargetId, ['Synced']);
    // Through a shared device the caller changes only what they could reach alone: another user's items
    // they may not see are neither re-queued nor removed (a DeviceId is not a credential).
    const visible = this.d.access.visibleItems(
      caller,
      all.map((ji) => ji.itemId),
    );
    const synced = all.filter((ji) => visible.has(ji.itemId));
    const hidden = new Set(all.filter((ji) => !visible.has(ji.itemId)).map((ji) => (byJobItem ? ji.id : ji.itemId)));
    const toRemove = new Set<string>();
    const kept = new Set<string>();
    const jobsToRefresh = new Set<string>();

    this.d.uow.run(() => {
      for (const ji of synced) {
        const key = byJobItem ? ji.id : ji.itemId;
        const job = this.d.store.getJob(ji.jobId);
        if (!job) continue;
        if (local.has(key)) {
          const reason = this.removalReason(ji, job.userId, job.unwatchedOnly);
          if (reason) {
            toRemove.add(key);
            if (!ji.isMarkedForRemoval) this.d.processor.setItem(ji, job, { isMarkedForRemoval: true, errorMessage: reason });
            continue;
          }
          kept.add(key);
          const item = this.d.lib.getItem(job.userId, ji.itemId);
          const ticks = item ? dateToDotNetTicks(item.dateModified) : undefined;
          if (!job.unwatchedOnly && ticks !== undefined && ji.itemDateModifiedTicks != null && ticks !== ji.itemDateModifiedTicks) {
            // The library file changed: convert and send it again (the device keeps the old copy until then).
            this.d.processor.setItem(ji, job, { status: 'Queued', progress: 0 });
            jobsToRefresh.add(job.id);
          }
        } else if (ji.isMarkedForRemoval) {
          this.d.processor.setItem(ji, job, { status: 'RemovedFromDevice' });
          jobsToRefresh.add(job.id);
        } else {
          // Acknowledged but not on the device (the user deleted it, storage was cleared): send it again.
          this.d.processor.setItem(ji, job, { status: 'Queued', progress: 0 });
          jobsToRefresh.add(job.id);
        }
      }
      // Whatever the device holds that is not a Synced item of this target goes too.
      const syncedKeys = new Set(synced.map((ji) => (byJobItem ? ji.id : ji.itemId)));
      for (const id of local) if (!syncedKeys.has(id) && !hidden.has(id)) toRemove.add(id);
    });
    // RemovedFromDevice frees a slot (rolling window); re-queued items are planned again.
    for (const jobId of jobsToRefresh) this.d.refresh.refreshJob(jobId);

    const access: Record<string, string[]> = {};
    if (!byJobItem) {
      const offline = [...new Set((input.OfflineUserIds ?? []).map((id) => normalizeId(id)).filter((id): id is string => !!id))].sort();
      for (const itemId of kept) {
        access[itemId] = offline.filter((userId) => {
          const user = this.d.users.get(userId);
          return !!user && !user.policy.IsDisabled && !!this.d.lib.getItem(userId, itemId);
        });
      }
    }
    return { ItemIdsToRemove: [...toRemove], ItemUserAccess: access };
  }

  private removalReason(ji: JobItemRecord, userId: string, unwatchedOnly: boolean): string | undefined {
    if (ji.isMarkedForRemoval) return 'Marked for removal';
    const user = this.d.users.get(userId);
    if (!user) return 'The user was deleted';
    const item = this.d.lib.getItem(userId, ji.itemId);
    if (!item) return 'The item left the library or is no longer visible';
    if (unwatchedOnly && item.mediaType === 'Video' && this.d.lib.playedIds(userId, [item.id]).has(item.id)) return 'Watched';
    return undefined;
  }

  offlineActions(caller: AuthContext, actions: readonly OfflineAction[]): void {
    for (const a of actions) {
      if (String(a.Type) !== 'PlayedItem' && String(a.Type) !== '0') throw badRequest(`Unsupported offline action type "${a.Type}"`);
      if (!a.Id || !a.ItemId || !a.Date || Number.isNaN(Date.parse(a.Date)))
        throw badRequest('Each action needs Id, ItemId and a valid Date');
      const userId = a.UserId ? normalizeId(a.UserId) : caller.user.id;
      if (!userId) throw badRequest('UserId is not a valid id');
      if (!this.d.access.mayActFor(caller, userId)) {
        throw forbidden('Offline actions may only be posted for users signed in on this device with their own password');
      }
    }
    const sorted = [...actions].sort((a, b) => Date.parse(a.Date) - Date.parse(b.Date));
    const now = (this.d.now?.() ?? new Date()).toISOString();
    this.d.uow.run(() => {
      for (const a of sorted) {
        const userId = a.UserId ? normalizeId(a.UserId)! : caller.user.id;
        // A repeated action Id is ignored: a client that resends after a lost reply changes nothing.
        if (!this.d.store.markActionApplied(a.Id, userId, now)) continue;
        const itemId = normalizeId(a.ItemId);
        // Unknown items are skipped, and so is what the caller could not reach alone.
        if (!itemId || !this.d.lib.getItem(userId, itemId) || !this.d.access.seesItem(caller, itemId)) continue;
        const position = a.PositionTicks === undefined || a.PositionTicks === null ? undefined : Number(a.PositionTicks);
        this.d.applyPlayed(userId, itemId, Number.isFinite(position) ? position : undefined, new Date(Date.parse(a.Date)).toISOString());
      }
    });
  }
}
