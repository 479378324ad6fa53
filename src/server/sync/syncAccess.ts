import type { AuthContext } from '../auth/authService.js';
import type { DevicesRepo } from '../auth/devicesRepo.js';
import { forbidden, notFound } from '../http/errors.js';
import type { JobItemRecord, JobRecord, SyncRepo } from './syncRepo.js';

/**
 * Who may see and change which job (API.md §2 Access): owners and administrators; target-scoped calls
 * are open to every user signed in on that device. Another user's job answers 404, never 403, so its
 * existence does not leak.
 */
export class SyncAccess {
  constructor(
    private readonly repo: SyncRepo,
    private readonly devices: DevicesRepo,
  ) {}

  isAdmin(caller: AuthContext): boolean {
    return caller.user.policy.IsAdministrator;
  }

  canUseTarget(caller: AuthContext, targetId: string): boolean {
    return this.isAdmin(caller) || caller.deviceId === targetId || this.devices.isUserOfDevice(targetId, caller.user.id);
  }

  requireTarget(caller: AuthContext, targetId: string): void {
    if (!this.canUseTarget(caller, targetId)) throw forbidden('You are not signed in on that device');
  }

  ownsJob(caller: AuthContext, job: JobRecord): boolean {
    return this.isAdmin(caller) || job.userId === caller.user.id;
  }

  job(caller: AuthContext, id: string | undefined): JobRecord {
    const job = id ? this.repo.getJob(id) : undefined;
    if (!job || !this.ownsJob(caller, job)) throw notFound('Sync job not found');
    return job;
  }

  /** A job item the caller owns (or administers). */
  item(caller: AuthContext, id: string | undefined): { item: JobItemRecord; job: JobRecord } {
    const item = id ? this.repo.getItem(id) : undefined;
    const job = item && this.repo.getJob(item.jobId);
    if (!item || !job || !this.ownsJob(caller, job)) throw notFound('Sync job item not found');
    return { item, job };
  }

  /** A job item the caller owns, or that sits on a device the caller is signed in on (downloads). */
  transferItem(caller: AuthContext, id: string | undefined): { item: JobItemRecord; job: JobRecord } {
    const item = id ? this.repo.getItem(id) : undefined;
    const job = item && this.repo.getJob(item.jobId);
    if (!item || !job || !(this.ownsJob(caller, job) || this.canUseTarget(caller, item.targetId))) {
      throw notFound('Sync job item not found');
    }
    return { item, job };
  }
}
