/** The data that crosses module (and, with BullMQ, process) boundaries in the conversion pipeline. */
import type { MediaSourceInfo } from '../../shared/api/items.js';
import type { ConversionPlan } from '../../shared/profile/decision.js';

export type OutputStatus = 'queued' | 'converting' | 'ready' | 'failed';

/** A WebVTT (or other text) sidecar in the output directory. `Index` is the source stream's index. */
export interface SubtitleFile {
  Name: string;
  Language?: string;
  IsForced: boolean;
  Codec: string;
  Index: number;
}

/**
 * What a runner needs to produce an output. Plain JSON so a BullMQ job can carry it to a worker on another
 * machine, which must see the same `sourcePath` and `outputDir` (README "Scale-out").
 */
export interface ConversionJob {
  key: string;
  sourcePath: string;
  plan: ConversionPlan;
  /** Bare name of the media file the plan produces (for a direct plan: the source's name). */
  fileName: string;
  /** `<workDir>/<key>`. */
  outputDir: string;
  /** Source duration when known; otherwise the runner probes the source for progress. */
  durationSeconds?: number;
}

/** What a finished conversion reports; the server writes it into `conversion_outputs`. */
export interface ConversionResult {
  fileName: string;
  size: number;
  sha256: string;
  mediaSource: MediaSourceInfo;
  subtitleFiles: SubtitleFile[];
  /** A direct plan: the media bytes are the source file itself; only sidecars (if any) were written. */
  servesSource: boolean;
  elapsedMs: number;
}
