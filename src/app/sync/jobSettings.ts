/** A job's editable settings as a form, and the POST /Sync/Jobs/{id} body back (API.md §3 "Edit job"). */
import type { SyncJob } from '../../shared/api/sync';
import { isCustomQuality, parseItemLimit, parseMbps, type SyncForm } from './syncDialogModel';

export function formFromJob(job: SyncJob): SyncForm {
  const custom = job.Bitrate !== undefined && job.Bitrate > 0;
  return {
    targetId: job.TargetId,
    name: job.Name,
    // A Bitrate on any quality but Original is what the server converts to, so the form shows it as Custom.
    qualityId: custom && job.Quality !== 'original' ? 'custom' : (job.Quality ?? 'high'),
    customMbps: custom ? String(job.Bitrate! / 1_000_000) : '',
    profileId: job.Profile ?? '',
    unwatchedOnly: job.UnwatchedOnly,
    syncNewContent: job.SyncNewContent,
    itemLimit: job.ItemLimit ? String(job.ItemLimit) : '',
  };
}

/**
 * The server keeps a field it does not receive, and clears Bitrate/ItemLimit on null: so "not custom any
 * more" and "no limit any more" are sent as null, not left out.
 */
export function jobUpdateFromForm(job: SyncJob, form: SyncForm): SyncJob {
  const mbps = isCustomQuality(form.qualityId) ? parseMbps(form.customMbps) : undefined;
  const limit = parseItemLimit(form.itemLimit);
  return {
    ...job,
    Name: form.name.trim() || job.Name,
    Quality: form.qualityId,
    Bitrate: (mbps?.ok ? mbps.value : null) as number | undefined,
    Profile: form.profileId || job.Profile,
    UnwatchedOnly: form.unwatchedOnly,
    SyncNewContent: form.syncNewContent,
    ItemLimit: (limit.ok && limit.value !== undefined ? limit.value : null) as number | undefined,
  };
}
