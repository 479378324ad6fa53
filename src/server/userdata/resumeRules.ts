/**
 * Emby's resume rules (API.md §5.12), pure so both the playback report and the sync core's offline
 * actions apply exactly the same thresholds.
 */
import { TICKS_PER_SECOND } from '../../shared/api/items.js';

/** Below this share of the runtime a stop counts as "just looked": nothing to resume. */
export const MIN_RESUME_PCT = 5;
/** Above this share the item counts as watched (credits are rarely sat through). */
export const MAX_RESUME_PCT = 90;
/** Items shorter than this are never resumed: a short clip or song is either played or not. */
export const MIN_RESUME_DURATION_SECONDS = 300;

export interface PlayedPositionOutcome {
  /** Mark played and count one more play; false leaves the played flag and count as they were. */
  markPlayed: boolean;
  /** The resume position to store (0 = start over). */
  positionTicks: number;
}

export function decidePlayedPosition(
  runTimeTicks: number | null | undefined,
  positionTicks: number | null | undefined,
): PlayedPositionOutcome {
  const played = { markPlayed: true, positionTicks: 0 };
  // No position, or no runtime to compare it with: the client played it through (Emby's reading).
  if (positionTicks === undefined || positionTicks === null) return played;
  if (!runTimeTicks || runTimeTicks <= 0) return played;
  const pct = (positionTicks / runTimeTicks) * 100;
  if (pct < MIN_RESUME_PCT) return { markPlayed: false, positionTicks: 0 };
  if (pct > MAX_RESUME_PCT) return played;
  if (runTimeTicks < MIN_RESUME_DURATION_SECONDS * TICKS_PER_SECOND) return played;
  return { markPlayed: false, positionTicks: Math.round(positionTicks) };
}
