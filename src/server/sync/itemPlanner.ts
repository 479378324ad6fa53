/**
 * The conversion plan of a library item for a job's target (API.md §5.5–5.7): the target's DeviceProfile,
 * the job's quality and bitrate, the owner's policy and languages, into the shared decision.
 */
import type { Logger } from 'pino';
import type { UserRecord } from '../auth/usersRepo.js';
import { badRequest } from '../errors.js';
import type { MediaSourceInfo, MediaType } from '../../shared/api/items.js';
import { decideConversion, type ConversionPlan } from '../../shared/profile/decision.js';
import type { ServerEncoders } from '../../shared/profile/encoders.js';
import type { DeviceProfile } from '../../shared/profile/types.js';
import { parseQualityId } from '../../shared/quality.js';
import { expandJob } from './expansion.js';
import type { JobRecord } from './records.js';
import type { SyncCandidate, SyncLibrary, SyncLibraryItem } from './syncLibrary.js';

/** The DeviceProfile a target last reported and that still validates (undefined: none, originals only). */
export interface TargetProfiles {
  profileOf(targetId: string): DeviceProfile | undefined;
}

export type PlannedJob = Pick<JobRecord, 'targetId' | 'quality' | 'bitrate'>;

export class ItemPlanner {
  constructor(
    private readonly d: {
      lib: SyncLibrary;
      profiles: TargetProfiles;
      log: Pick<Logger, 'warn'>;
      /** The output codecs this server's ffmpeg can encode (media/serverEncoders.ts); absent: all. */
      encoders?: ServerEncoders;
    },
  ) {}

  profileOf(targetId: string): DeviceProfile {
    return this.d.profiles.profileOf(targetId) ?? {};
  }

  /** `profile`: the target's, read once by a caller that plans many items. */
  planFor(
    job: PlannedJob,
    user: UserRecord,
    item: SyncLibraryItem,
    source: MediaSourceInfo,
    profile: DeviceProfile = this.profileOf(job.targetId),
  ): ConversionPlan {
    const transcoding = user.policy.EnableSyncTranscoding;
    return decideConversion({
      mediaType: (item.mediaType ?? 'Video') as MediaType,
      source,
      profile,
      // Without EnableSyncTranscoding the user's jobs are processed as Original (API.md §2).
      quality: transcoding ? (parseQualityId(job.quality) ?? 'high') : 'original',
      bitrate: transcoding ? (job.bitrate ?? undefined) : undefined,
      enableTranscoding: transcoding,
      audioLanguage: user.configuration.AudioLanguagePreference,
      subtitleLanguage: user.configuration.SubtitleLanguagePreference,
      context: 'Static',
      encoders: this.d.encoders,
    });
  }

  /**
   * Plans for a job not saved yet: every item its expansion would add, within ItemLimit. A plan that cannot
   * be made refuses the job (a 400 naming the item) before anything is written, so no job is left behind
   * with an item that stays Queued forever (issue 14 item 2).
   */
  planNewJob(job: JobRecord, user: UserRecord): { candidates: SyncCandidate[]; plans: Map<string, ConversionPlan> } {
    const candidates = expandJob(this.d.lib, job);
    const wanted = job.itemLimit != null ? candidates.slice(0, job.itemLimit) : candidates;
    const profile = this.profileOf(job.targetId);
    const plans = new Map<string, ConversionPlan>();
    for (const c of wanted) {
      const item = this.d.lib.getItem(user.id, c.id);
      const source = item && this.d.lib.mediaSource(item);
      if (!item || !source) continue;
      try {
        plans.set(c.id, this.planFor(job, user, item, source, profile));
      } catch (err) {
        this.d.log.warn({ err, itemId: c.id, targetId: job.targetId }, 'no conversion plan for an item of a new job');
        throw badRequest(`"${item.name}" cannot be planned for this device's profile; report the device's capabilities again`);
      }
    }
    return { candidates, plans };
  }
}
