/**
 * The storage bar's one set of numbers. `navigator.storage.estimate()` gives what this site uses and the
 * most the browser would let it use (`quota`); the quota is a browser policy, not free disk space, and
 * the page must not call it that. So the bar splits the quota into: what the downloads take, what the rest
 * of the site takes (app shell, posters, subtitles, the database), and the room the browser still allows.
 */
export interface StorageEstimate {
  usage?: number;
  quota?: number;
}

export interface StorageSegment {
  key: 'downloads' | 'other' | 'room';
  bytes: number;
  /** Share of the bar, 0–100. */
  percent: number;
}

export interface StorageBreakdown {
  downloads: number;
  /** Site data that is not downloaded media; undefined when the browser gives no estimate. */
  other?: number;
  /** How much more the browser lets this site store; undefined without a quota. */
  room?: number;
  segments: StorageSegment[];
}

export function storageBreakdown(downloads: number, estimate: StorageEstimate): StorageBreakdown {
  const usage = estimate.usage;
  const quota = estimate.quota;
  if (usage === undefined || quota === undefined || quota <= 0) {
    return { downloads, segments: [{ key: 'downloads', bytes: downloads, percent: 100 }] };
  }
  // The estimate lags and is rounded (Chromium pads it): never let downloads exceed what it reports in all.
  const used = Math.max(usage, downloads);
  const other = used - downloads;
  const room = Math.max(0, quota - used);
  const total = downloads + other + room;
  const pct = (n: number) => (total > 0 ? (n / total) * 100 : 0);
  return {
    downloads,
    other,
    room,
    segments: [
      { key: 'downloads', bytes: downloads, percent: pct(downloads) },
      { key: 'other', bytes: other, percent: pct(other) },
      { key: 'room', bytes: room, percent: pct(room) },
    ],
  };
}
