import type { AuthContext } from '../auth/authService.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { normalizeId } from '../ids.js';
import type { JobItemRepository, JobRepository, UserDirectory } from './ports.js';
import type { JobItemRecord, JobRecord } from './records.js';
import type { SyncLibrary } from './syncLibrary.js';

/** Who is (or was lately) signed in on which device. */
export interface DevicePresence {
  isUserOfDevice(deviceId: string, userId: string): boolean;
  /** The user holds a live token for the device. */
  hasSession(userId: string, deviceId: string): boolean;
  /** When the user last signed in or out on the device. */
  lastSeen(deviceId: string, userId: string): string | undefined;
}

export interface SyncAccessDeps {
  store: Pick<JobRepository, 'getJob'> & Pick<JobItemRepository, 'getItem'>;
  users: UserDirectory;
  presence: DevicePresence;
  lib: Pick<SyncLibrary, 'candidates'>;
  now?: () => Date;
}

/**
 * Offline actions for a user who signed out of the device are still taken this long: a family tablet's
 * queue waits for whichever user next opens the app online.
 */
export const RECENT_PRESENCE_MS = 30 * 24 * 3600_000;

/**
 * Who may see and change which job (API.md §2 Access): owners and administrators; target-scoped calls are
 * open to every user signed in on that device. Another user's job answers 404, never 403, so its existence
 * does not leak.
 *
 * A DeviceId is not a credential (issue 14 item 3): anyone may sign in claiming any DeviceId. So through a
 * device a user reaches only what that user could reach alone — every item and file is checked against the
 * caller's own visibility (`EnabledFolders`, private items) — and acts for another user only if that user
 * holds (or lately held) a session of their own on the device.
 */
export class SyncAccess {
  private readonly now: () => Date;

  constructor(private readonly d: SyncAccessDeps) {
    this.now = d.now ?? (() => new Date());
  }

  isAdmin(caller: AuthContext): boolean {
    return caller.user.policy.IsAdministrator;
  }

  canUseTarget(caller: AuthContext, targetId: string): boolean {
    return this.isAdmin(caller) || caller.deviceId === targetId || this.d.presence.isUserOfDevice(targetId, caller.user.id);
  }

  requireTarget(caller: AuthContext, targetId: string): void {
    if (!this.canUseTarget(caller, targetId)) throw forbidden('You are not signed in on that device');
  }

  /** Whose data a request is about: `UserId` defaults to the caller; another user only for an administrator. */
  actingUserId(caller: AuthContext, requested: string | undefined): string {
    const id = requested ? normalizeId(requested) : caller.user.id;
    if (!id) throw badRequest('UserId is not a valid id');
    if (id !== caller.user.id && !this.isAdmin(caller)) throw forbidden('You may only act for yourself');
    if (!this.d.users.get(id)) throw badRequest('Unknown user');
    return id;
  }

  ownsJob(caller: AuthContext, job: Pick<JobRecord, 'userId'>): boolean {
    return this.isAdmin(caller) || job.userId === caller.user.id;
  }

  /** The library items (of `itemIds`) the caller could reach alone; everything for an administrator. */
  visibleItems(caller: AuthContext, itemIds: readonly string[]): Set<string> {
    if (this.isAdmin(caller)) return new Set(itemIds);
    return new Set(this.d.lib.candidates(caller.user.id, [...new Set(itemIds)]).keys());
  }

  seesItem(caller: AuthContext, itemId: string): boolean {
    return this.visibleItems(caller, [itemId]).has(itemId);
  }

  job(caller: AuthContext, id: string | undefined): JobRecord {
    const job = id ? this.d.store.getJob(id) : undefined;
    if (!job || !this.ownsJob(caller, job)) throw notFound('Sync job not found');
    return job;
  }

  /** A job item the caller owns (or administers). */
  item(caller: AuthContext, id: string | undefined): { item: JobItemRecord; job: JobRecord } {
    const item = id ? this.d.store.getItem(id) : undefined;
    const job = item && this.d.store.getJob(item.jobId);
    if (!item || !job || !this.ownsJob(caller, job)) throw notFound('Sync job item not found');
    return { item, job };
  }

  /**
   * A job item whose file the caller may fetch or acknowledge: their own, or one on a device they are
   * signed in on — and in both cases a library item they may see themselves.
   */
  transferItem(caller: AuthContext, id: string | undefined): { item: JobItemRecord; job: JobRecord } {
    const item = id ? this.d.store.getItem(id) : undefined;
    const job = item && this.d.store.getJob(item.jobId);
    const reachable = item && job && (this.ownsJob(caller, job) || this.canUseTarget(caller, item.targetId));
    if (!item || !job || !reachable || !this.seesItem(caller, item.itemId)) throw notFound('Sync job item not found');
    return { item, job };
  }

  /**
   * Whether the caller may post offline actions for `userId` through the caller's device: for themselves,
   * or for a user holding a session of their own on it (or who signed out of it lately). A user id that
   * merely appears in a body is not enough, nor a sign-in long ago.
   */
  mayActFor(caller: AuthContext, userId: string): boolean {
    if (userId === caller.user.id) return true;
    if (this.d.presence.hasSession(userId, caller.deviceId)) return true;
    const seen = this.d.presence.lastSeen(caller.deviceId, userId);
    return !!seen && this.now().getTime() - Date.parse(seen) < RECENT_PRESENCE_MS;
  }
}
