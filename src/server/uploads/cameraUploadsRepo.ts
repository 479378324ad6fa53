/** Camera upload sessions and history (table camera_uploads, migration 003). */
import type { Db } from '../db/connection.js';

export type UploadStatus = 'Uploading' | 'Complete';

export interface UploadRecord {
  id: string;
  deviceId: string;
  userId: string;
  clientFileId: string | null;
  album: string | null;
  name: string;
  size: number;
  date: string | null;
  mimeType: string | null;
  sha256: string | null;
  storedPath: string | null;
  status: UploadStatus;
  bytesReceived: number;
  dateCreated: string;
  dateModified: string;
}

interface Row {
  id: string;
  device_id: string;
  user_id: string;
  client_file_id: string | null;
  album: string | null;
  name: string;
  size: number;
  date: string | null;
  mime_type: string | null;
  sha256: string | null;
  stored_path: string | null;
  status: UploadStatus;
  bytes_received: number;
  date_created: string;
  date_modified: string;
}

const toRecord = (r: Row): UploadRecord => ({
  id: r.id,
  deviceId: r.device_id,
  userId: r.user_id,
  clientFileId: r.client_file_id,
  album: r.album,
  name: r.name,
  size: r.size,
  date: r.date,
  mimeType: r.mime_type,
  sha256: r.sha256,
  storedPath: r.stored_path,
  status: r.status,
  bytesReceived: r.bytes_received,
  dateCreated: r.date_created,
  dateModified: r.date_modified,
});

export class CameraUploadsRepo {
  constructor(private readonly db: Db) {}

  get(id: string): UploadRecord | undefined {
    const r = this.db.prepare('SELECT * FROM camera_uploads WHERE id = ?').get(id) as Row | undefined;
    return r && toRecord(r);
  }

  create(u: Omit<UploadRecord, 'storedPath' | 'status' | 'bytesReceived' | 'dateModified'>): UploadRecord {
    this.db
      .prepare(
        `INSERT INTO camera_uploads (id, device_id, user_id, client_file_id, album, name, size, date, mime_type, sha256,
           status, bytes_received, date_created, date_modified)
         VALUES (@id, @deviceId, @userId, @clientFileId, @album, @name, @size, @date, @mimeType, @sha256,
           'Uploading', 0, @dateCreated, @dateCreated)`,
      )
      .run(u);
    return this.get(u.id)!;
  }

  setReceived(id: string, bytes: number, now: string): void {
    this.db.prepare('UPDATE camera_uploads SET bytes_received = ?, date_modified = ? WHERE id = ?').run(bytes, now, id);
  }

  complete(id: string, sha256: string, storedPath: string, now: string): void {
    this.db
      .prepare(
        `UPDATE camera_uploads SET status = 'Complete', sha256 = ?, stored_path = ?, bytes_received = size, date_modified = ?
         WHERE id = ?`,
      )
      .run(sha256, storedPath, now, id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM camera_uploads WHERE id = ?').run(id);
  }

  /**
   * A finished upload of the same file by this user from this device: same content, or same name + size +
   * date. Per user: a DeviceId is not a credential, so another user on the device must neither learn of
   * the file nor be told it is there already (issue 14 item 3).
   */
  findDuplicate(
    deviceId: string,
    userId: string,
    f: {
      sha256?: string | null;
      name: string;
      size: number;
      date?: string | null;
    },
  ): UploadRecord | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM camera_uploads WHERE device_id = @deviceId AND user_id = @userId AND status = 'Complete'
           AND ((@sha256 IS NOT NULL AND sha256 = @sha256)
             OR (@date IS NOT NULL AND name = @name AND size = @size AND date = @date))
         ORDER BY date_created LIMIT 1`,
      )
      .get({
        deviceId,
        userId,
        sha256: f.sha256 ?? null,
        name: f.name,
        size: f.size,
        date: f.date ?? null,
      }) as Row | undefined;
    return r && toRecord(r);
  }

  /** An unfinished session for the same file, so a client that lost its upload id resumes instead of restarting. */
  findOpen(
    deviceId: string,
    userId: string,
    f: {
      name: string;
      size: number;
      date?: string | null;
      clientFileId?: string | null;
    },
  ): UploadRecord | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM camera_uploads WHERE device_id = @deviceId AND user_id = @userId AND status = 'Uploading'
           AND name = @name AND size = @size AND date IS @date AND client_file_id IS @clientFileId
         ORDER BY date_modified DESC LIMIT 1`,
      )
      .get({
        deviceId,
        userId,
        name: f.name,
        size: f.size,
        date: f.date ?? null,
        clientFileId: f.clientFileId ?? null,
      }) as Row | undefined;
    return r && toRecord(r);
  }

  /** What one user uploaded from one device (Emby's per-device history, per user: see findDuplicate). */
  history(deviceId: string, userId: string): UploadRecord[] {
    return (
      this.db
        .prepare(`SELECT * FROM camera_uploads WHERE device_id = ? AND user_id = ? AND status = 'Complete' ORDER BY date_created`)
        .all(deviceId, userId) as Row[]
    ).map(toRecord);
  }

  storedPathTaken(p: string): boolean {
    return !!this.db.prepare('SELECT 1 FROM camera_uploads WHERE stored_path = ?').get(p);
  }
}
