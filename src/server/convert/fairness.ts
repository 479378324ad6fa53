/**
 * Which queued output converts next: the lowest priority number first (the sync core gives a single item
 * a user waits for a lower number than a 100-episode backlog); among equal priorities, round-robin over
 * owners so one user's backlog can't starve another's; within an owner, first come first served.
 */

export interface PendingEntry {
  key: string;
  priority: number;
  owner: string;
  /** Rising number given when the entry was queued: FIFO order. */
  seq: number;
  /** No video encode (remux, subtitle extraction, a song): may run beside a transcode (inProcessQueue.ts). */
  light?: boolean;
}

/**
 * @param lastServed owner → a rising counter of when that owner last got a slot (absent = never): the
 *   owner served longest ago wins a tie.
 */
export function pickNext(pending: Iterable<PendingEntry>, lastServed: ReadonlyMap<string, number>): PendingEntry | undefined {
  let best: PendingEntry | undefined;
  for (const e of pending) {
    if (!best || compare(e, best, lastServed) < 0) best = e;
  }
  return best;
}

function compare(a: PendingEntry, b: PendingEntry, lastServed: ReadonlyMap<string, number>): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.owner !== b.owner) {
    const la = lastServed.get(a.owner) ?? -1;
    const lb = lastServed.get(b.owner) ?? -1;
    if (la !== lb) return la - lb;
  }
  return a.seq - b.seq;
}
