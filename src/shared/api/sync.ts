/**
 * Sync wire types (API.md §4). Enums travel as names; clients may send names in any case or the numbers,
 * so every enum is a name tuple whose position is its number, with `parseEnum` for input.
 */
import type { BaseItemDto, MediaSourceInfo } from './items.js';
import type { JobSyncSummary } from '../syncProgress.js';

export const SYNC_JOB_STATUSES = [
  'Queued',
  'Converting',
  'ReadyToTransfer',
  'Transferring',
  'Completed',
  'CompletedWithError',
  'Failed',
  'Cancelled',
] as const;
export type SyncJobStatus = (typeof SYNC_JOB_STATUSES)[number];

export const SYNC_JOB_ITEM_STATUSES = [
  'Queued',
  'Converting',
  'ReadyToTransfer',
  'Transferring',
  'Synced',
  'RemovedFromDevice',
  'Failed',
  'Cancelled',
] as const;
export type SyncJobItemStatus = (typeof SYNC_JOB_ITEM_STATUSES)[number];

export const SYNC_CATEGORIES = ['Latest', 'NextUp', 'Resume'] as const;
export type SyncCategory = (typeof SYNC_CATEGORIES)[number];

export const SYNC_JOB_OPTIONS = ['Name', 'Quality', 'UnwatchedOnly', 'SyncNewContent', 'ItemLimit', 'Profile'] as const;
export type SyncJobOption = (typeof SYNC_JOB_OPTIONS)[number];

export const ITEM_FILE_TYPES = ['Media', 'Image', 'Subtitles'] as const;
export type ItemFileType = (typeof ITEM_FILE_TYPES)[number];

export const USER_ACTION_TYPES = ['PlayedItem'] as const;
export type UserActionType = (typeof USER_ACTION_TYPES)[number];

/**
 * An enum value from input: a name in any case, its number, or the number as a string.
 * Unknown or empty → undefined, so callers can answer 400 rather than guess.
 */
export function parseEnum<T extends string>(names: readonly T[], value: unknown): T | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? names[value] : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return names[Number(text)];
  const lower = text.toLowerCase();
  return names.find((n) => n.toLowerCase() === lower);
}

/** The number Emby used for an enum name (for clients or stores that want the numeric form). */
export function enumNumber<T extends string>(names: readonly T[], name: T): number {
  return names.indexOf(name);
}

export interface SyncJobRequest {
  TargetId: string;
  ItemIds: string[];
  Category?: SyncCategory;
  ParentId?: string;
  /** Quality id (quality.ts). */
  Quality?: string;
  /** Profile id; device targets offer none. */
  Profile?: string;
  Name?: string;
  UserId?: string;
  UnwatchedOnly: boolean;
  /** Default true on create. */
  SyncNewContent: boolean;
  ItemLimit?: number;
  /** bps; overrides the quality's cap for every quality but Original. */
  Bitrate?: number;
}

export interface SyncJob {
  Id: string;
  TargetId: string;
  TargetName?: string;
  Quality?: string;
  Bitrate?: number;
  Profile?: string;
  Category?: SyncCategory;
  ParentId?: string;
  Progress?: number;
  Name: string;
  Status: SyncJobStatus;
  UserId: string;
  UnwatchedOnly: boolean;
  SyncNewContent: boolean;
  ItemLimit?: number;
  RequestedItemIds: string[];
  DateCreated: string;
  DateLastModified: string;
  ItemCount: number;
  ParentName?: string;
  PrimaryImageItemId?: string;
  PrimaryImageTag?: string;
  /** Ours: Σ Size ?? EstimatedSize over items not Failed/Cancelled/RemovedFromDevice. */
  EstimatedSize?: number;
  /** Ours: the items by progress phase, so a list shows conversion and download apart (syncProgress.ts). */
  SyncSummary?: JobSyncSummary;
}

export interface ItemFileInfo {
  Type: ItemFileType;
  Name: string;
  /** Bare file name on the wire, never a server path (omitted in SyncedItem). */
  Path?: string;
  ImageType?: string;
  Index: number;
}

export interface SyncJobItem {
  Id: string;
  JobId: string;
  ItemId: string;
  ItemName: string;
  MediaSourceId?: string;
  MediaSource?: MediaSourceInfo;
  TargetId: string;
  /** Bare file name, never a server path. */
  OutputPath?: string;
  Status: SyncJobItemStatus;
  Progress?: number;
  DateCreated: string;
  PrimaryImageItemId?: string;
  PrimaryImageTag?: string;
  /** Never sent (server paths stay on the server); kept for wire completeness. */
  TemporaryPath?: string;
  AdditionalFiles: ItemFileInfo[];
  IsMarkedForRemoval: boolean;
  JobItemIndex: number;
  ItemDateModifiedTicks?: number;
  // Ours
  EstimatedSize?: number;
  Size?: number;
  Sha256?: string;
  ErrorMessage?: string;
  /**
   * Another job already syncs this library item to the same device, so this item waits (its Status stays
   * `Cancelled`, as Emby has it, and it is re-queued if the other leaves): that job and its item's status.
   */
  ThroughJobId?: string;
  ThroughJobName?: string;
  ThroughJobItemStatus?: SyncJobItemStatus;
}

export interface SyncJobCreationResult {
  Job: SyncJob;
  JobItems: SyncJobItem[];
}

export interface SyncTarget {
  Name: string;
  Id: string;
}

export interface SyncQualityOption {
  Name: string;
  Description: string;
  Id: string;
  IsDefault: boolean;
  IsOriginalQuality: boolean;
  /** Ours: bytes for the dialog's selection. */
  EstimatedSize?: number;
}

export interface SyncProfileOption {
  Name: string;
  Description: string;
  Id: string;
  IsDefault: boolean;
  /** Default true. */
  EnableQualityOptions: boolean;
}

export interface SyncDialogOptions {
  Targets: SyncTarget[];
  Options: SyncJobOption[];
  QualityOptions: SyncQualityOption[];
  ProfileOptions: SyncProfileOption[];
  /** Ours, with a TargetId: how much of the selection other jobs already sync to that target. */
  AlreadyOnTarget?: SelectionOnTarget;
}

/** Of the `ItemCount` items a selection expands to, those another job already holds on the target. */
export interface SelectionOnTarget {
  ItemCount: number;
  /** On the device already (Synced). */
  OnTarget: number;
  /** Still on their way through another job (Queued … Transferring). */
  Coming: number;
  /** The jobs that hold them, by name. */
  Jobs: Array<{ Id: string; Name: string }>;
}

export interface SyncedItem {
  ServerId: string;
  SyncJobId: string;
  SyncJobName: string;
  SyncJobDateCreated: string;
  SyncJobItemId: string;
  /** Source name with the output's extension. */
  OriginalFileName: string;
  /** For the job's user, without MediaStreams, Path and sync fields; MediaSources = [jobItem.MediaSource]. */
  Item: BaseItemDto;
  UserId: string;
  AdditionalFiles: ItemFileInfo[];
  // Ours
  Size?: number;
  Sha256?: string;
}

export interface UserAction {
  Id: string;
  ServerId: string;
  UserId: string;
  ItemId: string;
  Type: UserActionType;
  Date: string;
  PositionTicks?: number;
}

export interface SyncDataRequest {
  LocalItemIds: string[];
  OfflineUserIds: string[];
  SyncJobItemIds?: string[];
  TargetId: string;
}

export interface SyncDataResponse {
  ItemIdsToRemove: string[];
  ItemUserAccess: Record<string, string[]>;
}

/** Server configuration section `sync`. */
export interface SyncOptions {
  TemporaryPath?: string;
  /** 0 = no limit. */
  UploadSpeedLimitBytes: number;
  /** 0–8; default 1. */
  TranscodingCpuCoreLimit: number;
  EnableFullSpeedTranscoding: boolean;
  /** Ours; default 1. */
  MaxConcurrentConversions: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  UploadSpeedLimitBytes: 0,
  TranscodingCpuCoreLimit: 0,
  EnableFullSpeedTranscoding: false,
  MaxConcurrentConversions: 1,
};
