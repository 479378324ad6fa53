/** When a device was last seen, in words, and which devices have been gone long enough to offer removal. Pure. */
import { countOf } from '../sync/words';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Devices not seen for this long are offered for removal (a phone replaced, a browser profile wiped). */
export const STALE_AFTER_DAYS = 30;

export function lastSeenText(iso: string | undefined, now: number = Date.now()): string {
  const at = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(at)) return 'Never seen';
  const ago = Math.max(0, now - at);
  if (ago < 2 * MINUTE) return 'Seen just now';
  if (ago < HOUR) return `Seen ${countOf(Math.floor(ago / MINUTE), 'minute')} ago`;
  if (ago < DAY) return `Seen ${countOf(Math.floor(ago / HOUR), 'hour')} ago`;
  if (ago < 60 * DAY) return `Seen ${countOf(Math.floor(ago / DAY), 'day')} ago`;
  return `Last seen ${new Date(at).toLocaleDateString()}`;
}

export function isStale(iso: string | undefined, now: number = Date.now(), days = STALE_AFTER_DAYS): boolean {
  const at = iso ? Date.parse(iso) : NaN;
  return !Number.isFinite(at) || now - at > days * DAY;
}
