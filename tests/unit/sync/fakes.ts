/**
 * In-memory fakes of the sync core's ports (src/server/sync/ports.ts, conversionPort.ts), and a harness that
 * wires the real services over them — the way wireSync.ts does over SQLite — so a spec test checks
 * behaviour in milliseconds.
 */
import { EventEmitter } from 'node:events';
import type { AuthContext } from '../../../src/server/auth/authService.js';
import type { UserRecord } from '../../../src/server/auth/usersRepo.js';
import { SyncEvents } from '../../../src/server/events/syncEvents.js';
import type { ConversionPort, EnsureOutputInput, OutputState } from '../../../src/server/sync/conversionPort.js';
import { ItemPlanner } from '../../../src/server/sync/itemPlanner.js';
import { JobCancellation } from '../../../src/server/sync/jobCancellation.js';
import { JobItemProcessor } from '../../../src/server/sync/jobItemProcessor.js';
import { JobViews } from '../../../src/server/sync/jobViews.js';
import { isWaitingBehindOtherJob } from '../../../src/server/sync/otherJobCopies.js';
import type { OtherJobCopiesView, SyncStore, UnitOfWork } from '../../../src/server/sync/ports.js';
import { Reconciler } from '../../../src/server/sync/reconcile.js';
import { ACTIVE_STATUSES, type JobItemQuery, type JobItemRecord, type JobQuery, type JobRecord } from '../../../src/server/sync/records.js';
import { Recovery } from '../../../src/server/sync/recovery.js';
import { RefreshScheduler } from '../../../src/server/sync/refreshScheduler.js';
import { SyncAccess } from '../../../src/server/sync/syncAccess.js';
import { SyncDialog } from '../../../src/server/sync/syncDialog.js';
import { SyncJobs } from '../../../src/server/sync/syncJobs.js';
import { Transfer } from '../../../src/server/sync/transfer.js';
import { DEFAULT_POLICY, type UserPolicy } from '../../../src/shared/api/users.js';
import type { DeviceProfile } from '../../../src/shared/profile/types.js';
import { FakeLibrary } from './fakeLibrary.js';

const page = <T>(list: T[], q: { startIndex?: number; limit?: number }) => {
  const start = q.startIndex ?? 0;
  return list.slice(start, q.limit === undefined ? undefined : start + q.limit);
};

export class InMemorySyncStore implements SyncStore {
  jobs = new Map<string, JobRecord>();
  items = new Map<string, JobItemRecord>();
  applied = new Set<string>();

  insertJob(job: JobRecord) {
    this.jobs.set(job.id, { ...job });
  }
  getJob(id: string) {
    const j = this.jobs.get(id);
    return j && { ...j };
  }
  updateJobSettings(job: JobRecord) {
    const j = this.jobs.get(job.id);
    if (j) this.jobs.set(job.id, { ...j, ...job, status: j.status, progress: j.progress, itemCount: j.itemCount });
  }
  setJobStatus(id: string, status: JobRecord['status'], progress: number | null, itemCount: number, when: string) {
    const j = this.jobs.get(id);
    if (!j || (j.status === status && j.progress === progress && j.itemCount === itemCount)) return false;
    this.jobs.set(id, { ...j, status, progress, itemCount, dateLastModified: when });
    return true;
  }
  deleteJob(id: string) {
    this.jobs.delete(id);
    for (const [key, i] of this.items) if (i.jobId === id) this.items.delete(key);
  }
  queryJobs(q: JobQuery) {
    const all = [...this.jobs.values()]
      .filter((j) => (!q.userId || j.userId === q.userId) && (!q.targetId || j.targetId === q.targetId))
      .filter((j) => !q.excludeTargetIds?.includes(j.targetId) && (!q.itemId || j.requestedItemIds.includes(q.itemId)))
      .filter(
        (j) =>
          (!q.statuses?.length || q.statuses.includes(j.status)) &&
          (q.syncNewContent === undefined || j.syncNewContent === q.syncNewContent),
      )
      .sort((a, b) => b.dateLastModified.localeCompare(a.dateLastModified));
    return { items: page(all, q).map((j) => ({ ...j })), total: all.length };
  }
  jobsOfTarget(targetId: string) {
    return this.allJobs().filter((j) => j.targetId === targetId);
  }
  allJobs() {
    return [...this.jobs.values()].sort((a, b) => a.dateCreated.localeCompare(b.dateCreated)).map((j) => ({ ...j }));
  }
  insertItem(item: JobItemRecord) {
    this.items.set(item.id, { ...item });
  }
  saveItem(item: JobItemRecord) {
    if (this.items.has(item.id)) this.items.set(item.id, { ...item });
  }
  getItem(id: string) {
    const i = this.items.get(id);
    return i && { ...i };
  }
  private ordered(list: JobItemRecord[]) {
    const created = (i: JobItemRecord) => this.jobs.get(i.jobId)?.dateCreated ?? '';
    return list.sort((a, b) => created(a).localeCompare(created(b)) || a.jobItemIndex - b.jobItemIndex).map((i) => ({ ...i }));
  }
  itemsOfJob(jobId: string) {
    return this.ordered([...this.items.values()].filter((i) => i.jobId === jobId));
  }
  itemsOfTarget(targetId: string, statuses?: readonly string[]) {
    return this.ordered(
      [...this.items.values()].filter((i) => i.targetId === targetId && (!statuses?.length || statuses.includes(i.status))),
    );
  }
  itemsWithOutput(key: string) {
    return this.ordered([...this.items.values()].filter((i) => i.outputKey === key));
  }
  itemsForLibraryItem(itemId: string) {
    return this.ordered([...this.items.values()].filter((i) => i.itemId === itemId));
  }
  activeItemFor(itemId: string, targetId: string, exceptId?: string) {
    return this.itemsForLibraryItem(itemId).find((i) => i.targetId === targetId && i.id !== exceptId && ACTIVE_STATUSES.includes(i.status));
  }
  queryItems(q: JobItemQuery) {
    const all = this.ordered(
      [...this.items.values()].filter(
        (i) =>
          (!q.jobId || i.jobId === q.jobId) &&
          (!q.itemId || i.itemId === q.itemId) &&
          (!q.targetId || i.targetId === q.targetId) &&
          (!q.statuses?.length || q.statuses.includes(i.status)) &&
          (!q.userId || this.jobs.get(i.jobId)?.userId === q.userId),
      ),
    );
    return { items: page(all, q), total: all.length };
  }
  maxJobItemIndex(jobId: string) {
    return Math.max(-1, ...this.itemsOfJob(jobId).map((i) => i.jobItemIndex));
  }
  markActionApplied(id: string) {
    if (this.applied.has(id)) return false;
    this.applied.add(id);
    return true;
  }
}

/** OtherJobCopies over the in-memory store: the same answers from the same records. */
export class InMemoryOtherJobCopies implements OtherJobCopiesView {
  constructor(private readonly store: InMemorySyncStore) {}
  throughJobOf(item: JobItemRecord) {
    if (!isWaitingBehindOtherJob(item)) return undefined;
    const other = this.store.activeItemFor(item.itemId, item.targetId, item.id);
    const job = other && this.store.getJob(other.jobId);
    return other && job ? { ThroughJobId: job.id, ThroughJobName: job.name, ThroughJobItemStatus: other.status } : undefined;
  }
  onTarget(targetId: string, itemIds: readonly string[]) {
    const ids = [...new Set(itemIds)];
    const active = ids.map((id) => this.store.activeItemFor(id, targetId)).filter((i): i is JobItemRecord => !!i);
    const jobs = new Map(active.map((i) => [i.jobId, this.store.getJob(i.jobId)?.name ?? '']));
    return {
      ItemCount: ids.length,
      OnTarget: active.filter((i) => i.status === 'Synced').length,
      Coming: active.filter((i) => i.status !== 'Synced').length,
      Jobs: [...jobs].map(([Id, Name]) => ({ Id, Name })).sort((a, b) => a.Name.localeCompare(b.Name)),
    };
  }
}

/** A unit of work over the in-memory store: a throw restores what the store held before (like a rollback). */
export class FakeUnitOfWork implements UnitOfWork {
  private depth = 0;
  commits = 0;
  constructor(private readonly store: InMemorySyncStore) {}
  run<T>(work: () => T): T {
    if (this.depth > 0) return work();
    const jobs = new Map(this.store.jobs);
    const items = new Map(this.store.items);
    this.depth++;
    try {
      const out = work();
      this.commits++;
      return out;
    } catch (err) {
      this.store.jobs = jobs;
      this.store.items = items;
      throw err;
    } finally {
      this.depth--;
    }
  }
}

/** The conversion engine as the core sees it: outputs by key, set by the test; every call recorded. */
export class FakeConversion implements ConversionPort {
  readonly events = new EventEmitter();
  outputs = new Map<string, OutputState>();
  scheduled: string[] = [];
  released: string[] = [];
  retried: string[] = [];
  ensureOutput(input: EnsureOutputInput): OutputState {
    const key = `${input.itemId}:${input.plan.kind}`;
    if (!this.outputs.has(key)) this.outputs.set(key, { key, status: 'queued', progress: 0, subtitleFiles: [] });
    return this.outputs.get(key)!;
  }
  getOutput(key: string) {
    return this.outputs.get(key);
  }
  outputFilePath(key: string) {
    return `/work/${key}/media.mp4`;
  }
  outputDir(key: string) {
    return `/work/${key}`;
  }
  schedule(key: string) {
    this.scheduled.push(key);
  }
  retry(key: string) {
    this.retried.push(key);
    this.outputs.set(key, { ...this.outputs.get(key)!, status: 'queued', progress: 0, errorMessage: undefined });
  }
  release(key: string) {
    this.released.push(key);
  }
  /** The engine reports a change of `key`. */
  change(key: string, state: Partial<OutputState>, event: 'started' | 'progress' | 'ready' | 'failed' = 'progress') {
    this.outputs.set(key, { ...this.outputs.get(key)!, ...state });
    this.events.emit(event, { key });
  }
}

/** A profile whose reading throws: what a decision bug would do, for the paths that must survive one. */
export function brokenProfile(): DeviceProfile {
  return new Proxy(
    {},
    {
      get() {
        throw new TypeError('x.split is not a function');
      },
    },
  );
}

export const userIdOf = (name: string) => Buffer.from(name).toString('hex').padEnd(32, '0').slice(0, 32);

/** A library item id as the server spells them (32 lowercase hex). */
export const anId = (n: number) => n.toString(16).padStart(32, '0');

/** A user named `name`, with an id spelled as the server's (derived from the name, so tests can say it). */
export function aUser(name: string, policy: Partial<UserPolicy> = {}): UserRecord {
  return {
    id: userIdOf(name),
    name,
    passwordHash: null,
    policy: { ...DEFAULT_POLICY, ...policy },
    configuration: { PlayDefaultAudioTrack: true },
    dateCreated: '2026-01-01T00:00:00.000Z',
    mustChangePassword: false,
    lastLoginDate: null,
    lastActivityDate: null,
  };
}

export function aCaller(user: UserRecord, deviceId = `${user.id}-phone`): AuthContext {
  return { user, deviceId, deviceName: deviceId, client: 'Test', version: '1', tokenHash: `token-${user.id}-${deviceId}` };
}

export interface Presence {
  /** deviceId → user ids signed in (device_users). */
  members: Map<string, Set<string>>;
  /** `${userId}@${deviceId}` with a live token. */
  sessions: Set<string>;
  /** `${deviceId}/${userId}` → last seen. */
  lastSeen: Map<string, string>;
}

/** The sync services over fakes; tests reach into any part. */
export function syncHarness(opts: { now?: () => Date } = {}) {
  let clock = Date.parse('2026-03-01T12:00:00.000Z');
  const now = opts.now ?? (() => new Date(clock));
  const store = new InMemorySyncStore();
  const uow = new FakeUnitOfWork(store);
  const lib = new FakeLibrary();
  const users = new Map<string, UserRecord>();
  const devices = new Map<string, { id: string; name: string; capabilities: { SupportsSync?: boolean } | null }>();
  const profiles = new Map<string, DeviceProfile>();
  const presence: Presence = { members: new Map(), sessions: new Set(), lastSeen: new Map() };
  const conversion = new FakeConversion();
  const events = new SyncEvents();
  const log = { info() {}, warn() {}, error() {}, debug() {} };
  const userDir = { get: (id: string) => users.get(id) };
  const access = new SyncAccess({
    store,
    users: userDir,
    lib,
    now,
    presence: {
      isUserOfDevice: (deviceId, userId) => !!presence.members.get(deviceId)?.has(userId),
      hasSession: (userId, deviceId) => presence.sessions.has(`${userId}@${deviceId}`),
      lastSeen: (deviceId, userId) => presence.lastSeen.get(`${deviceId}/${userId}`),
    },
  });
  const planner = new ItemPlanner({ lib, profiles: { profileOf: (id) => profiles.get(id) }, log });
  const processor = new JobItemProcessor({ store, uow, lib, users: userDir, planner, events, conversion, log, now });
  const targetDevices = {
    get: (id: string) => devices.get(id),
    listForUser: (userId: string) => [...devices.values()].filter((d) => presence.members.get(d.id)?.has(userId)),
  };
  const copies = new InMemoryOtherJobCopies(store);
  const views = new JobViews({ store, lib, devices: targetDevices, access, copies });
  const dialog = new SyncDialog({ users: userDir, devices: targetDevices, lib, planner, access, copies });
  const cancellation = new JobCancellation({ store, uow, processor, views, events });
  const jobs = new SyncJobs({
    store,
    uow,
    lib,
    users: userDir,
    access,
    dialog,
    planner,
    processor,
    cancellation,
    views,
    events,
    conversion,
    now,
  });
  const refresh = new RefreshScheduler({ store, uow, users: userDir, processor, cancellation, now });
  const recovery = new Recovery({ store, uow, processor, conversion });
  const transfer = new Transfer({
    store,
    uow,
    lib,
    access,
    processor,
    refresh,
    recovery,
    conversion,
    blockDigests: { digests: async () => Buffer.alloc(0) },
    serverId: 'server',
    itemDtos: (_userId, ids) => new Map(ids.map((id) => [id, { Id: id, Name: lib.items.get(id)?.name ?? id, Path: `${id}.mp4` } as never])),
    now,
  });
  const played: Array<{ userId: string; itemId: string }> = [];
  const reconcile = new Reconciler({
    store,
    uow,
    lib,
    users: userDir,
    access,
    processor,
    refresh,
    applyPlayed: (userId, itemId) => void played.push({ userId, itemId }),
    now,
  });

  /** A user signed in on a device that reported SupportsSync (and, optionally, a profile). */
  const signIn = (user: UserRecord, deviceId: string, profile?: DeviceProfile) => {
    users.set(user.id, user);
    devices.set(deviceId, { id: deviceId, name: deviceId, capabilities: { SupportsSync: true } });
    presence.members.set(deviceId, new Set([...(presence.members.get(deviceId) ?? []), user.id]));
    presence.sessions.add(`${user.id}@${deviceId}`);
    if (profile) profiles.set(deviceId, profile);
    return aCaller(user, deviceId);
  };
  return {
    store,
    uow,
    lib,
    users,
    devices,
    profiles,
    presence,
    conversion,
    events,
    access,
    planner,
    processor,
    views,
    dialog,
    cancellation,
    jobs,
    refresh,
    recovery,
    transfer,
    reconcile,
    played,
    signIn,
    advance: (ms: number) => (clock += ms),
  };
}
