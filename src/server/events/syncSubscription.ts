/**
 * One live view of sync state for one connection (WebSocket or SSE): the state once after `dueMs`, then at
 * most once per `periodMs` whenever something it shows changed. Non-admins only ever see their own jobs.
 */
import type { AuthContext } from '../auth/authService.js';
import type { JobViews } from '../sync/jobViews.js';
import type { SyncEvents } from './syncEvents.js';

/** The job lists a subscription shows, as the caller may see them. */
export type JobListings = Pick<JobViews, 'getJob' | 'listJobs' | 'listJobItems'>;

export type Send = (messageType: string, data: unknown) => void;

/**
 * The caller as of now: a socket outlives the request that opened it, and rights change meanwhile (an
 * administrator demoted, a user disabled or signed out). Undefined when the session is gone.
 */
export type CurrentCaller = () => AuthContext | undefined;

export type SubscriptionSpec =
  | { kind: 'jobs'; userId?: string; targetId?: string; dueMs: number; periodMs: number }
  | { kind: 'job'; jobId: string; dueMs: number; periodMs: number };

export class SyncSubscription {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private lastSent = 0;
  private readonly off: () => void;
  private closed = false;

  private caller: AuthContext;

  constructor(
    private readonly current: CurrentCaller,
    initial: AuthContext,
    private readonly spec: SubscriptionSpec,
    private readonly service: JobListings,
    events: SyncEvents,
    private readonly send: Send,
    /** Called once when the session is found gone; the transport closes its connection. */
    private readonly onEnded: () => void = () => {},
  ) {
    this.caller = initial;
    this.off = events.onEvent('jobChanged', (e) => {
      if (this.concerns(e)) this.markDirty();
    });
    this.timer = setTimeout(() => this.flush(), Math.max(0, spec.dueMs));
  }

  private concerns(e: { jobId: string; userId: string; targetId: string }): boolean {
    if (this.spec.kind === 'job') return e.jobId === this.spec.jobId;
    const isAdmin = this.caller.user.policy.IsAdministrator;
    const userId = this.spec.userId ?? (isAdmin ? undefined : this.caller.user.id);
    if (userId && e.userId !== userId) return false;
    if (this.spec.targetId && e.targetId !== this.spec.targetId) return false;
    return true;
  }

  private markDirty(): void {
    if (this.closed) return;
    this.dirty = true;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSent + this.spec.periodMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.closed) return;
    const now = this.current();
    if (!now) {
      this.close();
      this.onEnded();
      return;
    }
    this.caller = now;
    this.dirty = false;
    this.lastSent = Date.now();
    try {
      if (this.spec.kind === 'job') {
        const job = this.service.getJob(this.caller, this.spec.jobId);
        const items = this.service.listJobItems(this.caller, { JobId: this.spec.jobId, AddMetadata: true });
        this.send('SyncJob', { Job: job, JobItems: items.Items });
      } else {
        const list = this.service.listJobs(this.caller, { UserId: this.spec.userId, TargetId: this.spec.targetId });
        this.send('SyncJobs', list.Items);
      }
    } catch {
      // The job was deleted or access was lost: a job view sends nothing more.
      if (this.spec.kind === 'job') this.send('SyncJob', null);
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.off();
  }
}

/** Which device notifications a subscriber may receive (checked per event: rights change while connected). */
export interface NotificationFilter {
  /** Job-level notifications (created, cancelled) of this user's jobs. */
  job(userId: string): boolean;
  /** Item-level notifications (ready, cancelled) of this user's job item for this library item. */
  item(userId: string, itemId: string): boolean;
}

/**
 * Device notifications (API.md §3), for every user signed in on the device (the caller's right to the
 * target is checked before subscribing) — but, a DeviceId not being a credential, another user's jobs
 * only as far as `filter` allows: their items the subscriber may see, never their job names.
 */
export function subscribeDeviceNotifications(targetId: string, events: SyncEvents, send: Send, filter: NotificationFilter): () => void {
  const here = (t: string) => t === targetId;
  const offs = [
    events.onEvent('jobCreated', (e) => here(e.targetId) && filter.job(e.userId) && send('SyncJobCreated', e.result)),
    events.onEvent('jobCancelled', (e) => here(e.targetId) && filter.job(e.userId) && send('SyncJobCancelled', e.job)),
    events.onEvent('itemReady', (e) => here(e.targetId) && filter.item(e.userId, e.item.ItemId) && send('SyncJobItemReady', e.item)),
    events.onEvent(
      'itemCancelled',
      (e) => here(e.targetId) && filter.item(e.userId, e.item.ItemId) && send('SyncJobItemCancelled', e.item),
    ),
  ];
  return () => offs.forEach((off) => off());
}
