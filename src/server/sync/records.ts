/** What the sync store holds: jobs, their items, and the query shapes over them (API.md §4). */
import type { SyncCategory, SyncJobItemStatus, SyncJobStatus } from '../../shared/api/sync.js';
import type { ItemFileInfo } from '../../shared/api/sync.js';
import type { MediaSourceInfo } from '../../shared/api/items.js';

export interface JobRecord {
  id: string;
  userId: string;
  targetId: string;
  name: string;
  quality: string;
  bitrate: number | null;
  profile: string;
  category: SyncCategory | null;
  parentId: string | null;
  requestedItemIds: string[];
  unwatchedOnly: boolean;
  syncNewContent: boolean;
  itemLimit: number | null;
  status: SyncJobStatus;
  progress: number | null;
  itemCount: number;
  dateCreated: string;
  dateLastModified: string;
}

export interface JobItemRecord {
  id: string;
  jobId: string;
  itemId: string;
  targetId: string;
  itemName: string;
  status: SyncJobItemStatus;
  progress: number;
  jobItemIndex: number;
  isMarkedForRemoval: boolean;
  outputKey: string | null;
  mediaSource: MediaSourceInfo | null;
  additionalFiles: ItemFileInfo[];
  outputFileName: string | null;
  size: number | null;
  sha256: string | null;
  estimatedSize: number | null;
  errorMessage: string | null;
  itemDateModifiedTicks: number | null;
  priority: number;
  dateCreated: string;
  dateModified: string;
}

/** Statuses in which a job item holds its place on the device (API.md §5.3 "active"). */
export const ACTIVE_STATUSES: readonly SyncJobItemStatus[] = ['Queued', 'Converting', 'ReadyToTransfer', 'Transferring', 'Synced'];

export interface JobQuery {
  userId?: string;
  targetId?: string;
  excludeTargetIds?: string[];
  itemId?: string;
  statuses?: string[];
  syncNewContent?: boolean;
  startIndex?: number;
  limit?: number;
}

export interface JobItemQuery {
  jobId?: string;
  itemId?: string;
  targetId?: string;
  statuses?: string[];
  /** Restrict to jobs of this user (non-admin callers). */
  userId?: string;
  startIndex?: number;
  limit?: number;
}
