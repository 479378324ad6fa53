/**
 * The `sync` server configuration (API.md §4 SyncOptions), stored through SettingsRepo. Reads are cheap
 * and always current, and a change is announced so the queue applies a new concurrency without a restart.
 * TemporaryPath is the exception: it moves the output store, so it applies at the next start.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { DEFAULT_SYNC_OPTIONS, type SyncOptions } from '../../shared/api/sync.js';
import { badRequest } from '../errors.js';
import type { SettingsRepo } from '../system/settingsRepo.js';

export type { SyncOptions } from '../../shared/api/sync.js';
export { DEFAULT_SYNC_OPTIONS } from '../../shared/api/sync.js';

export const SETTINGS_KEY = 'sync';
export const MAX_CPU_CORE_LIMIT = 8;
/** More parallel ffmpeg runs than this only thrash the disk and the CPU caches. */
export const MAX_CONCURRENT_CONVERSIONS = 16;

/** What the queue needs to know about settings: the current value and when it changes. */
export interface SyncOptionsSource {
  get(): SyncOptions;
  onChange(listener: (options: SyncOptions) => void): () => void;
}

function intIn(name: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw badRequest(`${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}

function bool(name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw badRequest(`${name} must be true or false`);
}

/**
 * Validates a (possibly partial) SyncOptions over `base`. Unknown fields are ignored: Emby clients post the
 * whole configuration object back with fields we don't keep.
 */
export function normalizeSyncOptions(input: unknown, base: SyncOptions = DEFAULT_SYNC_OPTIONS): SyncOptions {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw badRequest('SyncOptions must be an object');
  const i = input as Record<string, unknown>;
  const out: SyncOptions = { ...DEFAULT_SYNC_OPTIONS, ...base };
  if ('TemporaryPath' in i) {
    const p = i.TemporaryPath;
    if (p === null || p === undefined || p === '') delete out.TemporaryPath;
    else if (typeof p !== 'string' || !path.isAbsolute(p)) throw badRequest('TemporaryPath must be an absolute path or empty');
    else out.TemporaryPath = path.normalize(p);
  }
  if (i.UploadSpeedLimitBytes !== undefined)
    out.UploadSpeedLimitBytes = intIn('UploadSpeedLimitBytes', i.UploadSpeedLimitBytes, 0, Number.MAX_SAFE_INTEGER);
  if (i.TranscodingCpuCoreLimit !== undefined)
    out.TranscodingCpuCoreLimit = intIn('TranscodingCpuCoreLimit', i.TranscodingCpuCoreLimit, 0, MAX_CPU_CORE_LIMIT);
  if (i.EnableFullSpeedTranscoding !== undefined)
    out.EnableFullSpeedTranscoding = bool('EnableFullSpeedTranscoding', i.EnableFullSpeedTranscoding);
  if (i.MaxConcurrentConversions !== undefined)
    out.MaxConcurrentConversions = intIn('MaxConcurrentConversions', i.MaxConcurrentConversions, 1, MAX_CONCURRENT_CONVERSIONS);
  return out;
}

export class SyncSettings implements SyncOptionsSource {
  private readonly events = new EventEmitter();

  constructor(
    private readonly repo: SettingsRepo,
    private readonly dataDir: string,
  ) {}

  get(): SyncOptions {
    const stored = this.repo.get<Partial<SyncOptions>>(SETTINGS_KEY);
    if (!stored) return { ...DEFAULT_SYNC_OPTIONS };
    try {
      return normalizeSyncOptions(stored);
    } catch {
      // A hand-edited row that no longer validates: defaults beat refusing to start.
      return { ...DEFAULT_SYNC_OPTIONS };
    }
  }

  /** Validates and stores `input` over the current value; returns the stored options. */
  update(input: unknown): SyncOptions {
    const next = normalizeSyncOptions(input, this.get());
    this.repo.set(SETTINGS_KEY, next);
    this.events.emit('change', next);
    return next;
  }

  /** `TemporaryPath`, else `<data dir>/sync` (API.md §5.13). */
  workDir(): string {
    return this.get().TemporaryPath ?? path.join(this.dataDir, 'sync');
  }

  onChange(listener: (options: SyncOptions) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }
}
