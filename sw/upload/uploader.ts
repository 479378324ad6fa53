/**
 * The camera uploader: every queued photo or video goes to the chosen server, in chunks, resumably. Run by
 * the service worker after each sync run (sw/sync/index.ts) and when a file is queued.
 *
 *   queued    → a session is created (the server may answer "already uploaded": done, duplicate)
 *   uploading → chunks from `offset`; each answer's offset is stored before the next chunk, so a cut
 *               (tab closed, network lost) re-sends at most the chunk in flight; a 409 says where the
 *               server really is, and the loop continues from there
 *   done / failed (a 4xx the file cannot get past: too large, not media, not allowed)
 * The network being gone stops the run (the next one continues); Wi-Fi-only waits for Wi-Fi where the
 * browser says what the connection is (navigator.connection), and uploads anyway where it does not.
 */
import type { ServerRow, UploadRow, UploadSettings } from '../db';
import { ApiFailure } from '../sync/ports';
import type { UploadApiPort } from './uploadApi';

export interface UploadStorePort {
  queued(): Promise<UploadRow[]>;
  put(row: UploadRow): Promise<void>;
}

export interface UploaderDeps {
  store: UploadStorePort;
  apiFor(session: ServerRow): UploadApiPort;
  /** SHA-256 hex of the file (sent so the server can skip one it already has), or undefined to let the server hash it. */
  hash?(blob: Blob): Promise<string | undefined>;
  onProgress?(row: UploadRow): void;
}

export interface UploadRunSummary {
  uploaded: number;
  duplicates: number;
  failed: number;
  skipped?: 'disabled' | 'no-server' | 'not-wifi' | 'offline';
}

/** `navigator.connection.type` where the browser has it: cellular (and the like) is not Wi-Fi. */
export function allowedOnConnection(wifiOnly: boolean, connectionType: string | undefined): boolean {
  if (!wifiOnly || !connectionType || connectionType === 'unknown') return true;
  return connectionType === 'wifi' || connectionType === 'ethernet';
}

export function targetSession(sessions: readonly ServerRow[], settings: UploadSettings): ServerRow | undefined {
  const usable = sessions.filter((s) => s.token);
  return usable.find((s) => s.key === settings.serverKey) ?? (settings.serverKey ? undefined : usable[0]);
}

export class Uploader {
  constructor(private readonly d: UploaderDeps) {}

  async run(
    settings: UploadSettings,
    sessions: readonly ServerRow[],
    connectionType?: string,
    signal?: AbortSignal,
  ): Promise<UploadRunSummary> {
    const summary: UploadRunSummary = { uploaded: 0, duplicates: 0, failed: 0 };
    const queue = await this.d.store.queued();
    if (queue.length === 0) return summary;
    if (!settings.enabled) return { ...summary, skipped: 'disabled' };
    if (!allowedOnConnection(settings.wifiOnly, connectionType)) return { ...summary, skipped: 'not-wifi' };
    const session = targetSession(sessions, settings);
    if (!session) return { ...summary, skipped: 'no-server' };
    const api = this.d.apiFor(session);
    for (const start of queue.sort((a, b) => a.addedAt - b.addedAt)) {
      if (signal?.aborted) break;
      try {
        const row = await this.upload(api, session, start, settings.chunkSize, signal);
        if (row.state === 'done') {
          if (row.duplicate) summary.duplicates++;
          else summary.uploaded++;
        }
      } catch (err) {
        if (err instanceof ApiFailure && (err.isTransient || err.status === 409)) {
          if (err.isNetwork) return { ...summary, skipped: 'offline' };
          continue; // try again next run
        }
        if ((err as Error)?.name === 'AbortError') break;
        summary.failed++;
        const failed: UploadRow = {
          ...start,
          state: 'failed',
          error: (err as Error)?.message ?? String(err),
          attempts: start.attempts + 1,
        };
        await this.save(failed);
      }
    }
    return summary;
  }

  private async save(row: UploadRow): Promise<void> {
    await this.d.store.put(row);
    this.d.onProgress?.(row);
  }

  private async upload(
    api: UploadApiPort,
    session: ServerRow,
    start: UploadRow,
    chunkSize: number,
    signal?: AbortSignal,
  ): Promise<UploadRow> {
    let row: UploadRow = { ...start, error: undefined };
    // A session made for another server or user does not carry over.
    if (row.uploadId && row.serverKey !== session.key) row = { ...row, uploadId: undefined, offset: 0 };
    if (row.uploadId) {
      const known = await api.status(row.uploadId);
      row = known ? { ...row, offset: known.Offset } : { ...row, uploadId: undefined, offset: 0 };
      if (known?.Status === 'Complete') return this.finish(row, false);
    }
    if (!row.uploadId) {
      if (row.sha256 === undefined && this.d.hash) row = { ...row, sha256: await this.d.hash(row.blob) };
      const created = await api.createSession({
        Name: row.name,
        Size: row.size,
        Date: new Date(row.lastModified).toISOString(),
        MimeType: row.type || 'application/octet-stream',
        Id: row.id,
        Sha256: row.sha256,
      });
      if (created.Status === 'Complete') return this.finish({ ...row, serverKey: session.key }, created.Duplicate);
      row = {
        ...row,
        uploadId: created.UploadId,
        serverKey: session.key,
        offset: created.Offset,
        state: 'uploading',
      };
      await this.save(row);
    }
    let conflicts = 0;
    while (row.offset < row.size) {
      if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
      const end = Math.min(row.size, row.offset + chunkSize);
      const result = await api.putChunk(row.uploadId!, row.offset, row.blob.slice(row.offset, end), row.size, signal);
      if (result.kind === 'offset') {
        // The server holds another offset (a chunk half-arrived before a cut): continue from there.
        if (++conflicts > 3) throw new ApiFailure(409, 'the upload offset keeps moving');
        row = { ...row, offset: result.offset };
      } else {
        row = { ...row, offset: result.session.Offset, state: 'uploading' };
        if (result.session.Status === 'Complete') return this.finish(row, result.session.Duplicate);
      }
      await this.save(row);
    }
    const final = await api.status(row.uploadId!);
    if (final?.Status === 'Complete') return this.finish(row, false);
    throw new ApiFailure(409, 'the server has not completed the upload');
  }

  private async finish(row: UploadRow, duplicate: boolean): Promise<UploadRow> {
    // The bytes are on the server: the local copy is no longer needed (an empty Blob keeps the row shape).
    const done: UploadRow = {
      ...row,
      state: 'done',
      duplicate,
      offset: row.size,
      blob: new Blob([]),
      error: undefined,
    };
    await this.save(done);
    return done;
  }
}
