/**
 * The sync dialog's logic without the DOM: which fields it shows (only what GET /Sync/Options returned),
 * the form's starting values, the size estimate, and the job request it sends. The rules about which
 * options a selection gets live on the server (src/shared/syncOptions.ts); this file only follows them.
 */
import type {
  SelectionOnTarget,
  SyncDialogOptions,
  SyncJobOption,
  SyncJobRequest,
  SyncQualityOption,
  SyncTarget,
} from '../../shared/api/sync';
import { countOf, verbFor } from './words';
import type { SyncSelection } from './selection';

export interface SyncForm {
  targetId: string;
  name: string;
  qualityId: string;
  /** Text as typed, so "2,5" or "" can be explained instead of silently becoming NaN. */
  customMbps: string;
  profileId: string;
  unwatchedOnly: boolean;
  syncNewContent: boolean;
  /** Text as typed; empty = no limit. */
  itemLimit: string;
}

export interface VisibleFields {
  name: boolean;
  quality: boolean;
  profile: boolean;
  unwatchedOnly: boolean;
  syncNewContent: boolean;
  itemLimit: boolean;
}

export function visibleFields(options: SyncDialogOptions): VisibleFields {
  const has = (o: SyncJobOption) => options.Options.includes(o);
  return {
    name: has('Name'),
    // An option with nothing to choose from is no option (device targets send no profiles, API.md §5.7).
    quality: has('Quality') && options.QualityOptions.length > 0,
    profile: has('Profile') && options.ProfileOptions.length > 0,
    unwatchedOnly: has('UnwatchedOnly'),
    syncNewContent: has('SyncNewContent'),
    itemLimit: has('ItemLimit'),
  };
}

/** This device first (it is who asked), the rest by name as the server sent them. */
export function orderTargets(targets: readonly SyncTarget[], thisDeviceId: string): SyncTarget[] {
  const mine = targets.filter((t) => t.Id === thisDeviceId);
  return [...mine, ...targets.filter((t) => t.Id !== thisDeviceId)];
}

export function isCustomQuality(id: string): boolean {
  return id === 'custom';
}

/** The remembered quality if this target offers it, else the server's default, else the first. */
export function initialQuality(qualities: readonly SyncQualityOption[], remembered?: string): string {
  if (remembered && qualities.some((q) => q.Id === remembered)) return remembered;
  return (qualities.find((q) => q.IsDefault) ?? qualities[0])?.Id ?? '';
}

export function initialForm(
  options: SyncDialogOptions,
  selection: SyncSelection,
  targetId: string,
  remembered: { qualityId?: string; customMbps?: string } = {},
): SyncForm {
  return {
    targetId,
    name: options.Options.includes('Name') ? selection.label : '',
    qualityId: initialQuality(options.QualityOptions, remembered.qualityId),
    customMbps: remembered.customMbps ?? '',
    profileId: (options.ProfileOptions.find((p) => p.IsDefault) ?? options.ProfileOptions[0])?.Id ?? '',
    unwatchedOnly: false,
    // The server's default for new jobs (API.md §4): a growing selection keeps growing unless told not to.
    syncNewContent: true,
    itemLimit: '',
  };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Mbps as a person types it ("2.5", "2,5") → bps; the dialog sends Mbps × 10⁶ as Bitrate (API.md §6). */
export function parseMbps(text: string): Parsed<number> {
  const trimmed = text.trim().replace(',', '.');
  if (!trimmed) return { ok: false, error: 'Enter a bitrate in Mbps.' };
  const mbps = Number(trimmed);
  if (!Number.isFinite(mbps) || mbps <= 0) return { ok: false, error: 'The bitrate must be a number above 0.' };
  if (mbps > 1000) return { ok: false, error: 'The bitrate must be at most 1000 Mbps.' };
  return { ok: true, value: Math.round(mbps * 1_000_000) };
}

/** Empty = no limit; otherwise a whole number ≥ 1 (the server answers 400 below that). */
export function parseItemLimit(text: string): Parsed<number | undefined> {
  const trimmed = text.trim();
  if (!trimmed) return { ok: true, value: undefined };
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1) return { ok: false, error: 'The item limit must be a whole number of at least 1.' };
  return { ok: true, value: Number(trimmed) };
}

/** The Bitrate the form implies: only for Custom, and only when the typed value is valid. */
export function formBitrate(form: SyncForm, fields: VisibleFields): number | undefined {
  if (!fields.quality || !isCustomQuality(form.qualityId)) return undefined;
  const parsed = parseMbps(form.customMbps);
  return parsed.ok ? parsed.value : undefined;
}

/** Query params for re-fetching the estimate: what changes the size (API.md §6). */
export function estimateParams(form: SyncForm, fields: VisibleFields): { unwatchedOnly?: boolean; itemLimit?: number; bitrate?: number } {
  const limit = fields.itemLimit ? parseItemLimit(form.itemLimit) : undefined;
  return {
    unwatchedOnly: fields.unwatchedOnly && form.unwatchedOnly ? true : undefined,
    itemLimit: limit?.ok ? limit.value : undefined,
    bitrate: formBitrate(form, fields),
  };
}

/** Bytes for the chosen quality, when the server could estimate it. */
export function estimatedSize(options: SyncDialogOptions | undefined, qualityId: string): number | undefined {
  return options?.QualityOptions.find((q) => q.Id === qualityId)?.EstimatedSize;
}

export function validateForm(form: SyncForm, fields: VisibleFields): string[] {
  const errors: string[] = [];
  if (!form.targetId) errors.push('Choose a device to sync to.');
  if (fields.quality && isCustomQuality(form.qualityId)) {
    const mbps = parseMbps(form.customMbps);
    if (!mbps.ok) errors.push(mbps.error);
  }
  if (fields.itemLimit) {
    const limit = parseItemLimit(form.itemLimit);
    if (!limit.ok) errors.push(limit.error);
  }
  return errors;
}

/**
 * The POST /Sync/Jobs body. Only options the dialog showed are sent: a hidden option keeps the server's
 * default rather than whatever the form happened to hold.
 */
export function toJobRequest(form: SyncForm, fields: VisibleFields, selection: SyncSelection, userId: string): SyncJobRequest {
  const request: SyncJobRequest = {
    TargetId: form.targetId,
    ItemIds: selection.category ? [] : [...selection.itemIds],
    UserId: userId,
    UnwatchedOnly: fields.unwatchedOnly ? form.unwatchedOnly : false,
    SyncNewContent: fields.syncNewContent ? form.syncNewContent : false,
  };
  if (selection.category) request.Category = selection.category;
  if (selection.parentId) request.ParentId = selection.parentId;
  if (fields.name && form.name.trim()) request.Name = form.name.trim();
  if (fields.quality && form.qualityId) request.Quality = form.qualityId;
  const bitrate = formBitrate(form, fields);
  if (bitrate !== undefined) request.Bitrate = bitrate;
  if (fields.profile && form.profileId) request.Profile = form.profileId;
  if (fields.itemLimit) {
    const limit = parseItemLimit(form.itemLimit);
    if (limit.ok && limit.value !== undefined) request.ItemLimit = limit.value;
  }
  return request;
}

const LAST_QUALITY_KEY = 'stowaway.sync.lastQuality';
const LAST_MBPS_KEY = 'stowaway.sync.lastCustomMbps';

export function rememberedQuality(storage: Pick<Storage, 'getItem'> = localStorage): { qualityId?: string; customMbps?: string } {
  return { qualityId: storage.getItem(LAST_QUALITY_KEY) ?? undefined, customMbps: storage.getItem(LAST_MBPS_KEY) ?? undefined };
}

export function rememberQuality(form: SyncForm, storage: Pick<Storage, 'setItem'> = localStorage): void {
  if (!form.qualityId) return;
  storage.setItem(LAST_QUALITY_KEY, form.qualityId);
  if (isCustomQuality(form.qualityId)) storage.setItem(LAST_MBPS_KEY, form.customMbps.trim());
}

/**
 * "2 of 5 are already on this device through job “Weekend”", said before the job is created (issue 15 §4);
 * undefined when none is. `where` names the target ("this device", "Pixel 7").
 */
export function alreadyThereText(a: SelectionOnTarget | undefined, where: string): string | undefined {
  if (!a || a.OnTarget + a.Coming === 0) return undefined;
  const of = (n: number) => (a.ItemCount === 1 ? 'It' : n === a.ItemCount ? `All ${n}` : `${n} of ${a.ItemCount}`);
  const parts: string[] = [];
  if (a.OnTarget > 0) parts.push(`${of(a.OnTarget)} ${verbFor(a.OnTarget, 'is')} already on ${where}`);
  if (a.Coming > 0 && a.OnTarget > 0) parts.push(`${a.Coming} more ${verbFor(a.Coming, 'is')} on the way`);
  if (a.Coming > 0 && a.OnTarget === 0) parts.push(`${of(a.Coming)} ${verbFor(a.Coming, 'is')} already on the way to ${where}`);
  const names = a.Jobs.map((j) => `“${j.Name}”`).join(', ');
  const through = names ? ` through ${countOf(a.Jobs.length, 'job').replace(/^\d+ /, '')} ${names}` : '';
  const total = a.OnTarget + a.Coming;
  return `${parts.join(', and ')}${through}: ${total === 1 ? 'it is' : 'they are'} not downloaded twice.`;
}
