/**
 * The sync core's ports: what its services need from storage and from the rest of the server, as
 * interfaces. The SQL implementations live beside them (syncRepo.ts, sqlSyncLibrary.ts) and are wired in
 * wireSync.ts; the spec tests give the services in-memory fakes of the same interfaces.
 */
import type { SelectionOnTarget, SyncJobStatus } from '../../shared/api/sync.js';
import type { UserRecord } from '../auth/usersRepo.js';
import type { ThroughJob } from './otherJobCopies.js';
import type { JobItemQuery, JobItemRecord, JobQuery, JobRecord } from './records.js';

export interface JobRepository {
  insertJob(job: JobRecord): void;
  getJob(id: string): JobRecord | undefined;
  updateJobSettings(job: JobRecord): void;
  /** Saves a job's derived status; false when nothing changed (no event then). */
  setJobStatus(id: string, status: SyncJobStatus, progress: number | null, itemCount: number, when: string): boolean;
  /** The job and its items. */
  deleteJob(id: string): void;
  queryJobs(q: JobQuery): { items: JobRecord[]; total: number };
  jobsOfTarget(targetId: string): JobRecord[];
  allJobs(): JobRecord[];
}

export interface JobItemRepository {
  insertItem(item: JobItemRecord): void;
  /** Writes every mutable field (services change records, then save them). */
  saveItem(item: JobItemRecord): void;
  getItem(id: string): JobItemRecord | undefined;
  itemsOfJob(jobId: string): JobItemRecord[];
  /** A target's items in job creation order, then JobItemIndex. */
  itemsOfTarget(targetId: string, statuses?: readonly string[]): JobItemRecord[];
  itemsWithOutput(key: string): JobItemRecord[];
  itemsForLibraryItem(itemId: string): JobItemRecord[];
  /** The active item (Queued … Synced) for a library item on a target, other than `exceptId`. */
  activeItemFor(itemId: string, targetId: string, exceptId?: string): JobItemRecord | undefined;
  queryItems(q: JobItemQuery): { items: JobItemRecord[]; total: number };
  maxJobItemIndex(jobId: string): number;
}

export interface OfflineActionLog {
  /** Records an offline action as applied; false when its id was seen before (repeats change nothing). */
  markActionApplied(id: string, userId: string, when: string): boolean;
}

/** Jobs, items and the offline-action log: one store, one transaction boundary. */
export type SyncStore = JobRepository & JobItemRepository & OfflineActionLog;

/**
 * One transaction around a unit of work: every write that spans steps runs inside `run`, so it lands whole
 * or not at all. Calls nest (the inner one joins the outer).
 */
export interface UnitOfWork {
  run<T>(work: () => T): T;
}

/** Items another job already syncs to the same device (issue 15 §4; SQL in otherJobCopies.ts). */
export interface OtherJobCopiesView {
  /** For an item waiting behind another job's copy: that job; undefined for any other item. */
  throughJobOf(item: JobItemRecord): ThroughJob | undefined;
  /** Of a selection's items, those other jobs already hold on the target. */
  onTarget(targetId: string, itemIds: readonly string[]): SelectionOnTarget;
}

export interface UserDirectory {
  get(id: string): UserRecord | undefined;
}

/** The devices users signed in on: sync targets come from these. */
export interface TargetDevices {
  get(id: string): { id: string; name: string } | undefined;
  listForUser(userId: string): Array<{ id: string; name: string; capabilities: { SupportsSync?: boolean } | null }>;
}
