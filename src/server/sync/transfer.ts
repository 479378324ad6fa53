/**
 * Getting files onto the device (API.md §3 "Items/Ready", "File", "Transferred"; §9.3–9.4): what is ready
 * for a target, which file a job item serves, the Transferring state while bytes flow (progress at most
 * every 2 s; a broken-off download back to ReadyToTransfer unless another download of it still runs), and
 * the acknowledgement that makes it Synced.
 */
import fs from 'node:fs';
import type { AuthContext } from '../auth/authService.js';
import { badRequest, notFound } from '../errors.js';
import { normalizeId } from '../ids.js';
import type { BaseItemDto } from '../../shared/api/items.js';
import type { SyncedItem } from '../../shared/api/sync.js';
import { itemProgress, transferProgress } from '../../shared/jobStatus.js';
import type { ConversionPort } from './conversionPort.js';
import type { JobItemProcessor } from './jobItemProcessor.js';
import type { JobItemRepository, JobRepository, UnitOfWork } from './ports.js';
import type { JobItemRecord, JobRecord } from './records.js';
import type { Recovery } from './recovery.js';
import type { RefreshScheduler } from './refreshScheduler.js';
import type { SyncAccess } from './syncAccess.js';
import { toSyncedItem } from './syncDto.js';
import type { SyncLibrary } from './syncLibrary.js';

/** A file a job item serves: where it is, and what identifies its bytes (for the ETag). */
export interface ServedFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** The content's identity (SHA-256, output key or item id): with size and time, the strong ETag. */
  identity: string;
  kind: 'media' | 'subtitles';
  /** Where per-output caches (block digests) may live. */
  cacheDir?: string;
}

/** One download of a job item's media file, watched while its bytes flow. */
export interface DownloadWatch {
  onBytes(n: number): void;
  /** The response ended: completely (`finished`) or broken off. */
  closed(finished: boolean): void;
}

/** Per-block SHA-256 of a file; throws a domain conflict if the file changed while it was read. */
export interface BlockDigestSource {
  digests(file: { path: string; size: number; mtimeMs: number; cacheDir?: string }, blockSize: number): Promise<Buffer>;
}

export interface TransferDeps {
  store: JobRepository & JobItemRepository;
  uow: UnitOfWork;
  lib: Pick<SyncLibrary, 'getItem'>;
  access: SyncAccess;
  processor: JobItemProcessor;
  refresh: Pick<RefreshScheduler, 'refreshTargetIfStale'>;
  recovery: Pick<Recovery, 'requeueMissing'>;
  conversion?: ConversionPort;
  blockDigests: BlockDigestSource;
  serverId: string;
  /** BaseItemDtos of library items for a user, in one batch (Items/Ready lists many at once). */
  itemDtos: (userId: string, itemIds: readonly string[]) => Map<string, BaseItemDto>;
  now?: () => Date;
}

/** Transferring progress is saved and pushed at most this often while bytes flow. */
const PROGRESS_EVERY_MS = 2000;
const SERVABLE: readonly string[] = ['ReadyToTransfer', 'Transferring', 'Synced'];

export class Transfer {
  /** Downloads of each job item's media running now (a device may fetch ranges in parallel). */
  private readonly running = new Map<string, number>();
  private readonly now: () => Date;

  constructor(private readonly d: TransferDeps) {
    this.now = d.now ?? (() => new Date());
  }

  /** GET /Sync/Items/Ready: after a refresh of the device's jobs, its items ready to download. */
  readyItems(caller: AuthContext, targetId: string): SyncedItem[] {
    this.d.access.requireTarget(caller, targetId);
    this.d.refresh.refreshTargetIfStale(targetId);
    const waiting = this.d.store.itemsOfTarget(targetId, ['ReadyToTransfer', 'Transferring']);
    // Through a shared device, only what the caller could reach alone (a DeviceId is not a credential).
    const visible = this.d.access.visibleItems(
      caller,
      waiting.map((ji) => ji.itemId),
    );
    const ready = waiting.filter((ji) => visible.has(ji.itemId));
    const jobs = new Map<string, JobRecord | undefined>();
    const jobOf = (id: string) => {
      if (!jobs.has(id)) jobs.set(id, this.d.store.getJob(id));
      return jobs.get(id);
    };
    // One DTO batch per user: clients poll this, and a device may have hundreds of items waiting.
    const idsByUser = new Map<string, string[]>();
    for (const ji of ready) {
      const job = jobOf(ji.jobId);
      if (job) idsByUser.set(job.userId, [...(idsByUser.get(job.userId) ?? []), ji.itemId]);
    }
    const dtos = new Map<string, Map<string, BaseItemDto>>();
    for (const [userId, ids] of idsByUser) dtos.set(userId, this.d.itemDtos(userId, ids));
    const out: SyncedItem[] = [];
    for (const ji of ready) {
      const job = jobOf(ji.jobId);
      const dto = job && dtos.get(job.userId)?.get(ji.itemId);
      if (!job || !dto?.Path) continue;
      out.push(toSyncedItem(this.d.serverId, job, ji, dto, dto.Path));
    }
    return out;
  }

  /**
   * The file behind `…/File` (no `subtitleName`) or `…/AdditionalFiles?Name=`: 400 when the item is not
   * ready, 404 when unknown, not the caller's to reach, or gone from disk (then the item converts again).
   */
  async file(caller: AuthContext, id: string, subtitleName?: string): Promise<{ file: ServedFile; item: JobItemRecord; job: JobRecord }> {
    const { item, job } = this.d.access.transferItem(caller, normalizeId(id));
    if (!SERVABLE.includes(item.status)) throw badRequest(`The item is ${item.status}, not ready to transfer`);
    const path = this.pathOf(item, job, subtitleName);
    let stat: fs.Stats | undefined;
    try {
      stat = path ? await fs.promises.stat(path) : undefined;
    } catch {
      stat = undefined;
    }
    if (!path || !stat?.isFile()) {
      if (subtitleName === undefined) this.d.recovery.requeueMissing(item, job);
      throw notFound(subtitleName === undefined ? 'The file is gone; the item was queued again' : 'No such additional file');
    }
    const file: ServedFile = {
      path,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      identity: item.sha256 ?? item.outputKey ?? item.id,
      kind: subtitleName === undefined ? 'media' : 'subtitles',
      cacheDir: subtitleName === undefined && item.outputKey ? this.d.conversion?.outputDir(item.outputKey) : undefined,
    };
    return { file, item, job };
  }

  private pathOf(item: JobItemRecord, job: JobRecord, subtitleName: string | undefined): string | undefined {
    if (subtitleName !== undefined) {
      // Matched against the item's own list only: a name from input never becomes a path.
      const sidecar = item.additionalFiles.find((f) => f.Name.toLowerCase() === subtitleName.toLowerCase());
      return sidecar && item.outputKey ? this.d.conversion?.outputFilePath(item.outputKey, sidecar.Name) : undefined;
    }
    if (item.outputKey && this.d.conversion?.getOutput(item.outputKey)?.fileName) return this.d.conversion.outputFilePath(item.outputKey);
    return this.d.lib.getItem(job.userId, item.itemId)?.path ?? undefined;
  }

  /** `…/Blocks`: the media file's per-block SHA-256, so a client checks each chunk as it lands. */
  async blocks(caller: AuthContext, id: string, blockSize: number): Promise<{ file: ServedFile; digests: Buffer }> {
    const { file } = await this.file(caller, id);
    return { file, digests: await this.d.blockDigests.digests(file, blockSize) };
  }

  /** A GET of the media starts: Transferring while bytes flow, from byte `start` of `size`. */
  watchDownload(item: JobItemRecord, start: number, size: number): DownloadWatch {
    this.running.set(item.id, (this.running.get(item.id) ?? 0) + 1);
    this.setIf(item.id, 'ReadyToTransfer', { status: 'Transferring' });
    let sent = 0;
    let lastSaved = 0;
    let open = true;
    return {
      onBytes: (n) => {
        sent += n;
        const now = this.now().getTime();
        if (now - lastSaved < PROGRESS_EVERY_MS) return;
        lastSaved = now;
        this.saveProgress(item.id, transferProgress(start + sent, size));
      },
      closed: (finished) => {
        if (!open) return;
        open = false;
        const left = (this.running.get(item.id) ?? 1) - 1;
        if (left > 0) this.running.set(item.id, left);
        else this.running.delete(item.id);
        // Broken off: back to ReadyToTransfer — unless another download of it still runs.
        if (!finished && left === 0)
          this.setIf(item.id, 'Transferring', { status: 'ReadyToTransfer', progress: itemProgress('ReadyToTransfer') });
      },
    };
  }

  private saveProgress(itemId: string, progress: number): void {
    const fresh = this.d.store.getItem(itemId);
    if (fresh?.status === 'Transferring' && Math.abs(fresh.progress - progress) >= 1) this.setIf(itemId, 'Transferring', { progress });
  }

  /** Changes the item as it is now in the store, if it is still in `status`. */
  private setIf(itemId: string, status: JobItemRecord['status'], patch: Partial<JobItemRecord>): void {
    this.d.uow.run(() => {
      const fresh = this.d.store.getItem(itemId);
      const job = fresh && this.d.store.getJob(fresh.jobId);
      if (fresh?.status === status && job) this.d.processor.setItem(fresh, job, patch);
    });
  }

  /** POST …/Transferred: ReadyToTransfer/Transferring → Synced; unknown ids and other states are ignored. */
  transferred(caller: AuthContext, id: string): void {
    const normalized = normalizeId(id);
    const item = normalized ? this.d.store.getItem(normalized) : undefined;
    if (!item) return;
    this.d.access.transferItem(caller, item.id);
    this.d.uow.run(() => {
      for (const status of ['ReadyToTransfer', 'Transferring'] as const) this.setIf(item.id, status, { status: 'Synced', progress: 100 });
    });
  }
}
