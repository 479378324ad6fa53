/**
 * Camera upload's storage port on the device (Dexie): the queue, its settings, the signed-in servers and
 * the last run, so the worker's upload handlers (index.ts) make no database calls of their own.
 */
import { DEFAULT_UPLOAD_SETTINGS, openDb, type ServerRow, type StowawayDb, type UploadRow, type UploadSettings } from '../db';
import { queueFiles } from './queue';
import type { UploadRunSummary, UploadStorePort } from './uploader';

export class DexieUploadStorage implements UploadStorePort {
  constructor(private readonly db: StowawayDb = openDb()) {}

  queued(): Promise<UploadRow[]> {
    return this.db.uploads.where('state').anyOf('queued', 'uploading').toArray();
  }

  async put(row: UploadRow): Promise<void> {
    await this.db.uploads.put(row);
  }

  async settings(): Promise<UploadSettings> {
    const stored = (await this.db.meta.get('uploadSettings'))?.value as Partial<UploadSettings> | undefined;
    return { ...DEFAULT_UPLOAD_SETTINGS, ...stored };
  }

  servers(): Promise<ServerRow[]> {
    return this.db.servers.toArray();
  }

  async saveLastRun(summary: UploadRunSummary, finishedAt: number): Promise<void> {
    await this.db.meta.put({ key: 'lastUploadRun', value: { ...summary, finishedAt } });
  }

  /** Queues shared or picked files; how many were queued (empty files are not). */
  queue(files: readonly File[], source: UploadRow['source']): Promise<number> {
    return queueFiles(this.db, files, source);
  }
}
