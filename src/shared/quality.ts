/** Sync quality levels (API.md §5.7): what each id means as a bitrate cap, and which ones a user may pick. */
import type { SyncQualityOption } from './api/sync.js';

export type SyncQualityId = 'original' | 'high' | 'medium' | 'low' | 'custom';

export interface QualityLevel {
  id: SyncQualityId;
  name: string;
  description: string;
  isDefault: boolean;
  isOriginalQuality: boolean;
  /** A fixed ceiling under the profile's MaxStaticBitrate; undefined = the profile's value alone. */
  ceiling?: number;
}

export const QUALITY_LEVELS: readonly QualityLevel[] = [
  {
    id: 'original',
    name: 'Original',
    description: 'The original file, unchanged',
    isDefault: false,
    isOriginalQuality: true,
  },
  {
    id: 'high',
    name: 'High',
    description: 'The best quality this device plays',
    isDefault: true,
    isOriginalQuality: false,
  },
  {
    id: 'medium',
    name: 'Medium',
    description: 'Up to 4 Mbps: smaller files',
    isDefault: false,
    isOriginalQuality: false,
    ceiling: 4_000_000,
  },
  {
    id: 'low',
    name: 'Low',
    description: 'Up to 1.5 Mbps: the smallest files',
    isDefault: false,
    isOriginalQuality: false,
    ceiling: 1_500_000,
  },
  {
    id: 'custom',
    name: 'Custom',
    description: 'A bitrate you choose',
    isDefault: false,
    isOriginalQuality: false,
  },
];

export const DEFAULT_QUALITY_ID: SyncQualityId = 'high';

/** A quality id from input (any case); unknown → undefined so the caller can answer 400. */
export function parseQualityId(value: unknown): SyncQualityId | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  return QUALITY_LEVELS.find((q) => q.id === lower)?.id;
}

export function qualityLevel(id: SyncQualityId): QualityLevel {
  return QUALITY_LEVELS.find((q) => q.id === id)!;
}

function positive(value: number | string | undefined | null): number | undefined {
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * The bitrate cap (bps) for a quality; undefined = no cap (Original, or High without a profile limit).
 * `profileMax` is the profile's MaxStaticBitrate (sync) or MaxStreamingBitrate (streaming).
 * A job Bitrate replaces the cap for every quality but Original; `custom` without one acts as High.
 */
export function qualityCap(
  id: SyncQualityId,
  profileMax?: number | string | null,
  jobBitrate?: number | string | null,
): number | undefined {
  if (id === 'original') return undefined;
  const override = positive(jobBitrate);
  if (override !== undefined) return override;
  const fromProfile = positive(profileMax);
  const ceiling = qualityLevel(id).ceiling;
  if (ceiling === undefined) return fromProfile;
  return fromProfile === undefined ? ceiling : Math.min(fromProfile, ceiling);
}

export interface QualityPolicy {
  EnableSyncTranscoding: boolean;
}

/** Qualities a user may choose: only Original when transcoding is off (never `[]`, see §5.7 Fix). */
export function allowedQualities(policy: QualityPolicy): readonly QualityLevel[] {
  return policy.EnableSyncTranscoding ? QUALITY_LEVELS : QUALITY_LEVELS.filter((q) => q.isOriginalQuality);
}

/** The quality a job gets when the request names none. */
export function defaultQualityId(policy: QualityPolicy): SyncQualityId {
  return policy.EnableSyncTranscoding ? DEFAULT_QUALITY_ID : 'original';
}

/**
 * Whether a job request's quality and Bitrate are allowed: without EnableSyncTranscoding only Original
 * and no Bitrate (the server answers 403 otherwise).
 */
export function isQualityAllowed(policy: QualityPolicy, id: SyncQualityId, jobBitrate?: number | null): boolean {
  if (policy.EnableSyncTranscoding) return true;
  return id === 'original' && positive(jobBitrate) === undefined;
}

/**
 * The dialog's quality list. With transcoding off the only entry, Original, is also the default.
 * `estimate` adds our EstimatedSize for the current selection when the caller can compute it.
 */
export function qualityOptions(policy: QualityPolicy, estimate?: (id: SyncQualityId) => number | undefined): SyncQualityOption[] {
  const defaultId = defaultQualityId(policy);
  return allowedQualities(policy).map((q) => {
    const option: SyncQualityOption = {
      Name: q.name,
      Description: q.description,
      Id: q.id,
      IsDefault: q.id === defaultId,
      IsOriginalQuality: q.isOriginalQuality,
    };
    const size = estimate?.(q.id);
    if (size !== undefined) option.EstimatedSize = size;
    return option;
  });
}
