/**
 * Queuing files for camera upload, shared by the share-target handler (SW) and the picker (page): free of
 * DOM- and worker-only types, like db.ts.
 */
import type { StowawayDb, UploadRow } from '../db';

/** Queues files (from the share sheet or the picker) as upload rows. */
export async function queueFiles(db: StowawayDb, files: readonly File[], source: UploadRow['source'], now = Date.now()): Promise<number> {
  const rows: UploadRow[] = files
    .filter((f) => f.size > 0)
    .map((f, i) => ({
      id: crypto.randomUUID().replace(/-/g, ''),
      name: f.name || `shared-${now}-${i}`,
      size: f.size,
      type: f.type,
      lastModified: f.lastModified || now,
      blob: f,
      addedAt: now + i,
      source,
      state: 'queued',
      offset: 0,
      attempts: 0,
    }));
  await db.uploads.bulkPut(rows);
  return rows.length;
}
