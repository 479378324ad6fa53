/**
 * What the sync dialog offers (API.md §6): the user's targets, the options that fit the selection, and per
 * quality an estimate of the bytes it would take on the device (§9.5), before any job exists.
 */
import type { AuthContext } from '../auth/authService.js';
import { badRequest, forbidden } from '../errors.js';
import { normalizeId } from '../ids.js';
import type { SyncCategory, SyncDialogOptions, SyncTarget } from '../../shared/api/sync.js';
import { estimateSize } from '../../shared/profile/decision.js';
import { qualityOptions, type SyncQualityId } from '../../shared/quality.js';
import { syncDialogOptions } from '../../shared/syncOptions.js';
import { expandJob, isItemSyncable } from './expansion.js';
import type { ItemPlanner } from './itemPlanner.js';
import type { OtherJobCopiesView, TargetDevices, UserDirectory } from './ports.js';
import type { SyncAccess } from './syncAccess.js';
import type { SyncLibrary } from './syncLibrary.js';

export interface OptionsQuery {
  UserId?: string;
  ItemIds?: string[];
  ParentId?: string;
  TargetId?: string;
  Category?: SyncCategory;
  UnwatchedOnly?: boolean;
  ItemLimit?: number;
  Bitrate?: number;
}

export interface Selection {
  category: SyncCategory | null;
  parentId: string | null;
  requestedItemIds: string[];
  unwatchedOnly: boolean;
  itemLimit: number | null;
  quality: SyncQualityId;
  bitrate: number | null;
}

/** A whole number ≥ 1, else null (absent, zero, negative or not a number). */
export function positiveInt(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : null;
}

export class SyncDialog {
  constructor(
    private readonly d: {
      users: UserDirectory;
      devices: Pick<TargetDevices, 'listForUser'>;
      lib: SyncLibrary;
      planner: ItemPlanner;
      access: SyncAccess;
      copies: Pick<OtherJobCopiesView, 'onTarget'>;
    },
  ) {}

  /** Devices the user signed in on that reported SupportsSync, within the device policy (API.md §2). */
  targets(userId: string): SyncTarget[] {
    const user = this.d.users.get(userId);
    if (!user || !user.policy.EnableSync) return [];
    return this.d.devices
      .listForUser(userId)
      .filter((dev) => dev.capabilities?.SupportsSync)
      .filter((dev) => user.policy.EnableAllDevices || user.policy.EnabledDevices.includes(dev.id))
      .map((dev) => ({ Id: dev.id, Name: dev.name }))
      .sort((a, b) => a.Name.localeCompare(b.Name));
  }

  /** GET /Sync/Targets: the caller's own, or anyone's for an administrator. */
  targetsFor(caller: AuthContext, requested: string | undefined): SyncTarget[] {
    const userId = requested ? requested.replace(/-/g, '').toLowerCase() : caller.user.id;
    if (userId !== caller.user.id && !this.d.access.isAdmin(caller)) throw forbidden('You may only list your own targets');
    return this.targets(userId);
  }

  options(caller: AuthContext, q: OptionsQuery): SyncDialogOptions {
    const userId = this.d.access.actingUserId(caller, q.UserId);
    const user = this.d.users.get(userId)!;
    let targets = this.targets(userId);
    if (q.TargetId) targets = targets.filter((t) => t.Id === q.TargetId);
    if (!q.Category && !q.ItemIds?.length) throw badRequest('Give ItemIds or a Category');
    const ids = (q.ItemIds ?? []).map((raw) => normalizeId(raw) ?? raw);
    const found = this.d.lib.candidates(userId, ids);
    const selected = ids.map((id) => found.get(id)).filter((i) => !!i && isItemSyncable(i));
    const Options = syncDialogOptions({
      category: q.Category,
      items: selected.map((i) => ({ Type: i!.type, IsFolder: i!.isFolder, MediaType: i!.mediaType ?? undefined })),
    });
    const targetId = q.TargetId;
    if (!targetId || targets.length === 0) return { Targets: targets, Options, QualityOptions: [], ProfileOptions: [] };
    const selection = {
      category: q.Category ?? null,
      parentId: q.ParentId ? (normalizeId(q.ParentId) ?? null) : null,
      requestedItemIds: ids,
      unwatchedOnly: !!q.UnwatchedOnly,
      itemLimit: positiveInt(q.ItemLimit),
    };
    const estimate = (quality: SyncQualityId) =>
      this.estimate(user.id, targetId, { ...selection, quality, bitrate: positiveInt(q.Bitrate) });
    return {
      Targets: targets,
      Options,
      QualityOptions: user.policy.EnableSync ? qualityOptions(user.policy, estimate) : [],
      // Device targets offer no profiles (API.md §5.7).
      ProfileOptions: [],
      AlreadyOnTarget: this.selectionOnTarget(user.id, targetId, selection),
    };
  }

  /** Issue 15 §4: "2 of 5 are already on this device", said before the job exists. */
  private selectionOnTarget(userId: string, targetId: string, sel: Omit<Selection, 'quality' | 'bitrate'>) {
    let items = expandJob(this.d.lib, { userId, ...sel });
    if (sel.itemLimit) items = items.slice(0, sel.itemLimit);
    return this.d.copies.onTarget(
      targetId,
      items.map((i) => i.id),
    );
  }

  /** Bytes a selection would take on a target at a quality (§9.5). */
  estimate(userId: string, targetId: string, sel: Selection): number | undefined {
    const user = this.d.users.get(userId);
    if (!user) return undefined;
    let items = expandJob(this.d.lib, { userId, ...sel });
    if (sel.itemLimit) items = items.slice(0, sel.itemLimit);
    const job = { targetId, quality: sel.quality, bitrate: sel.bitrate };
    const profile = this.d.planner.profileOf(targetId);
    let total = 0;
    for (const candidate of items) {
      const item = this.d.lib.getItem(userId, candidate.id);
      const source = item && this.d.lib.mediaSource(item);
      if (!item || !source) continue;
      total += estimateSize(this.d.planner.planFor(job, user, item, source, profile), source) ?? source.Size ?? 0;
    }
    return total;
  }
}
