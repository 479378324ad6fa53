/**
 * The sync core's view of the conversion engine. Job items point at shared outputs by content key; the
 * engine converts each key once and reports progress, completion and failure as events.
 */
import type { EventEmitter } from 'node:events';
import type { MediaSourceInfo } from '../../shared/api/items.js';
import type { ConversionPlan } from '../../shared/profile/decision.js';

export type OutputStatus = 'queued' | 'converting' | 'ready' | 'failed';

export interface OutputSubtitleFile {
  Name: string;
  Language?: string;
  IsForced?: boolean;
  Codec: string;
  Index: number;
}

export interface OutputState {
  key: string;
  status: OutputStatus;
  progress: number;
  /** Bare name of the media file; absent for a direct plan (the source itself is served). */
  fileName?: string;
  size?: number;
  sha256?: string;
  mediaSource?: MediaSourceInfo;
  subtitleFiles: OutputSubtitleFile[];
  errorMessage?: string;
}

export interface EnsureOutputInput {
  itemId: string;
  source: { path: string; size: number; mtimeMs: number };
  plan: ConversionPlan;
  priority: number;
  ownerUserId: string;
  /** The source's duration as scanned, when known: the conversion then need not probe its source. */
  sourceSeconds?: number;
}

export interface ConversionEvents {
  progress: { key: string; progress: number };
  started: { key: string };
  ready: { key: string };
  failed: { key: string; error: string };
}

export interface ConversionPort {
  readonly events: EventEmitter;
  ensureOutput(input: EnsureOutputInput): OutputState;
  getOutput(key: string): OutputState | undefined;
  /** Absolute path of a finished output's media file or one of its subtitle files. */
  outputFilePath(key: string, name?: string): string | undefined;
  /** Directory of a finished output, where per-output caches (block digests) may live. */
  outputDir(key: string): string | undefined;
  schedule(key: string, priority: number): void;
  retry(key: string): void;
  /** No job item references the key any more: stop its conversion and delete its files. */
  release(key: string): void;
}
