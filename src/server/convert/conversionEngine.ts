/**
 * The sync core's ConversionPort (src/server/sync/conversionPort.ts) over the output store and a queue.
 * The core calls in from inside its SQLite transactions, so anything that starts work or emits events is
 * deferred to after the current synchronous call: listeners then open their own transactions.
 */
import type { Logger } from 'pino';
import type { ConversionPort, EnsureOutputInput, OutputState } from '../sync/conversionPort.js';
import type { ConversionEmitter, ConversionQueue } from './conversionQueue.js';
import type { OutputRecord, OutputStore } from './outputStore.js';

export class ConversionEngine implements ConversionPort {
  readonly events: ConversionEmitter;

  constructor(
    private readonly store: OutputStore,
    private readonly queue: ConversionQueue & ConversionEmitter,
    private readonly log: Logger,
  ) {
    this.events = queue;
  }

  ensureOutput(input: EnsureOutputInput): OutputState {
    const key = this.store.contentKey(input.source, input.plan);
    return toState(
      this.store.ensure({
        key,
        itemId: input.itemId,
        sourcePath: input.source.path,
        plan: input.plan,
        priority: input.priority,
        ownerUserId: input.ownerUserId,
        ...(input.sourceSeconds !== undefined ? { sourceSeconds: input.sourceSeconds } : {}),
      }),
    );
  }

  getOutput(key: string): OutputState | undefined {
    const record = this.store.get(key);
    return record ? toState(record) : undefined;
  }

  outputFilePath(key: string, name?: string): string | undefined {
    const record = this.store.get(key);
    if (!record || record.status !== 'ready') return undefined;
    if (name === undefined) return this.store.filePath(key);
    return record.subtitleFiles.some((s) => s.Name === name) ? this.store.subtitlePath(key, name) : undefined;
  }

  outputDir(key: string): string | undefined {
    return this.store.get(key)?.status === 'ready' ? this.store.layout.dir(key) : undefined;
  }

  schedule(key: string, priority: number): void {
    setImmediate(() => void this.queue.schedule(key, priority).catch((err: unknown) => this.log.error({ err, key }, 'schedule failed')));
  }

  retry(key: string): void {
    if (!this.store.retry(key)) return;
    const record = this.store.get(key);
    if (record) this.schedule(key, record.priority);
  }

  /**
   * Stop the conversion, then delete files and row — unless a job item took the key up again meanwhile,
   * in which case it goes back into the queue (its schedule may have been swallowed by the cancel).
   */
  release(key: string): void {
    setImmediate(() => {
      void (async () => {
        await this.queue.cancel(key);
        if (await this.store.release(key)) return;
        const record = this.store.get(key);
        if (record?.status === 'queued') await this.queue.schedule(key, record.priority);
      })().catch((err: unknown) => this.log.error({ err, key }, 'release failed'));
    });
  }
}

function toState(r: OutputRecord): OutputState {
  const state: OutputState = { key: r.key, status: r.status, progress: r.progress, subtitleFiles: r.subtitleFiles };
  // A direct plan serves the source: no fileName, so the core keeps the source's name and size.
  if (!r.servesSource) state.fileName = r.fileName;
  if (r.size !== null && !r.servesSource) state.size = r.size;
  if (r.sha256) state.sha256 = r.sha256;
  if (r.mediaSource) state.mediaSource = r.mediaSource;
  if (r.errorMessage) state.errorMessage = r.errorMessage;
  return state;
}
