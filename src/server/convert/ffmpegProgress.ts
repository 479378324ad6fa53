/**
 * `-progress pipe:1` parsing. ffmpeg writes `key=value` lines in blocks ending with `progress=continue|end`.
 * `out_time_us` is the output timestamp in microseconds; ffmpeg ≤ 4.x (our npm build) also writes
 * `out_time_ms`, which despite its name is microseconds too (an old ffmpeg bug kept for compatibility).
 */

/** Output time in seconds from one block's fields, or undefined if it has none (or `N/A`). */
export function outTimeSeconds(fields: ReadonlyMap<string, string>): number | undefined {
  for (const k of ['out_time_us', 'out_time_ms']) {
    const v = fields.get(k);
    if (v !== undefined && /^-?\d+$/.test(v)) return Math.max(0, Number(v) / 1e6);
  }
  const hms = fields.get('out_time');
  const m = hms ? /^(-?)(\d+):(\d\d):(\d\d(?:\.\d+)?)$/.exec(hms) : null;
  if (m && m[1] !== '-') return Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return undefined;
}

/** 0–100 from the output time over the source duration; never 100 before ffmpeg says `progress=end`. */
export function progressPercent(outSeconds: number, durationSeconds: number | undefined): number | undefined {
  if (!durationSeconds || durationSeconds <= 0) return undefined;
  return Math.min(99.9, Math.max(0, (outSeconds / durationSeconds) * 100));
}

/** Feeds raw stdout chunks; calls `onBlock` with each complete block's fields. */
export class ProgressReader {
  private buffer = '';
  private fields = new Map<string, string>();

  constructor(private readonly onBlock: (fields: ReadonlyMap<string, string>) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq).trim();
      this.fields.set(key, line.slice(eq + 1).trim());
      if (key === 'progress') {
        const done = this.fields;
        this.fields = new Map();
        this.onBlock(done);
      }
    }
  }
}

/**
 * Progress as a rising percentage: blocks → percent, never going backwards (ffmpeg's out_time can dip when
 * a second output starts), 100 only on `progress=end`.
 */
export class ProgressTracker {
  private last = 0;
  readonly reader: ProgressReader;

  constructor(
    private readonly durationSeconds: number | undefined,
    private readonly onPercent: (percent: number) => void,
  ) {
    this.reader = new ProgressReader((fields) => this.onBlock(fields));
  }

  private onBlock(fields: ReadonlyMap<string, string>): void {
    let pct: number | undefined;
    if (fields.get('progress') === 'end') pct = 100;
    else {
      const t = outTimeSeconds(fields);
      pct = t === undefined ? undefined : progressPercent(t, this.durationSeconds);
    }
    if (pct === undefined || pct < this.last) return;
    this.last = pct;
    this.onPercent(pct);
  }
}

/** "Duration: 00:01:02.50," from ffmpeg's input dump on stderr, for when the source was not probed. */
export function durationFromStderr(text: string): number | undefined {
  const m = /Duration:\s*(\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(text);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}
