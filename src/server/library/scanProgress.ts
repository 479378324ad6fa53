/**
 * What the library is doing right now, for "Preparing the library…" on a first start: generating the demo
 * library, walking the folders, probing files, extracting images — with files done of total. Written by
 * the demo generator and the scanner, read by `GET /Library/Status` and the scan report.
 */

export type ScanPhase = 'Idle' | 'GeneratingDemo' | 'Walking' | 'Probing' | 'Images';

export interface ScanProgressSnapshot {
  Phase: ScanPhase;
  /** Files done in this phase, of `Total` (0 of 0 while walking: the total is not known yet). */
  Done: number;
  Total: number;
  /** When this phase began (ISO 8601); absent when idle. */
  Since?: string;
}

export class ScanProgress {
  private phase: ScanPhase = 'Idle';
  private done = 0;
  private total = 0;
  private since: string | undefined;

  begin(phase: Exclude<ScanPhase, 'Idle'>, total = 0): void {
    this.phase = phase;
    this.done = 0;
    this.total = total;
    this.since = new Date().toISOString();
  }

  step(n = 1): void {
    this.done = Math.min(this.total, this.done + n);
  }

  idle(): void {
    this.phase = 'Idle';
    this.done = 0;
    this.total = 0;
    this.since = undefined;
  }

  snapshot(): ScanProgressSnapshot {
    return { Phase: this.phase, Done: this.done, Total: this.total, ...(this.since ? { Since: this.since } : {}) };
  }
}
