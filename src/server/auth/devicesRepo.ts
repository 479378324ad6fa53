import type { Db } from '../db/connection.js';
import type { ClientCapabilities } from '../../shared/api/users.js';

export interface DeviceRecord {
  id: string;
  name: string;
  appName: string | null;
  appVersion: string | null;
  lastUserId: string | null;
  dateLastActivity: string;
  capabilities: ClientCapabilities | null;
}

interface DeviceRow {
  id: string;
  name: string;
  app_name: string | null;
  app_version: string | null;
  last_user_id: string | null;
  date_last_activity: string;
  capabilities: string | null;
}

function toRecord(r: DeviceRow): DeviceRecord {
  return {
    id: r.id,
    name: r.name,
    appName: r.app_name,
    appVersion: r.app_version,
    lastUserId: r.last_user_id,
    dateLastActivity: r.date_last_activity,
    capabilities: r.capabilities ? (JSON.parse(r.capabilities) as ClientCapabilities) : null,
  };
}

export class DevicesRepo {
  constructor(private readonly db: Db) {}

  get(id: string): DeviceRecord | undefined {
    const r = this.db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow | undefined;
    return r && toRecord(r);
  }

  list(): DeviceRecord[] {
    return (this.db.prepare('SELECT * FROM devices ORDER BY date_last_activity DESC').all() as DeviceRow[]).map(toRecord);
  }

  /** Devices a user has signed in on (sync targets come from these). */
  listForUser(userId: string): DeviceRecord[] {
    return (
      this.db
        .prepare(
          `SELECT d.* FROM devices d JOIN device_users du ON du.device_id = d.id
           WHERE du.user_id = ? ORDER BY d.name COLLATE NOCASE`,
        )
        .all(userId) as DeviceRow[]
    ).map(toRecord);
  }

  userIdsOf(deviceId: string): string[] {
    return (this.db.prepare('SELECT user_id FROM device_users WHERE device_id = ?').all(deviceId) as { user_id: string }[]).map(
      (r) => r.user_id,
    );
  }

  isUserOfDevice(deviceId: string, userId: string): boolean {
    return !!this.db.prepare('SELECT 1 FROM device_users WHERE device_id = ? AND user_id = ?').get(deviceId, userId);
  }

  /** When the user last signed in or out on the device (undefined: never). */
  lastSeen(deviceId: string, userId: string): string | undefined {
    const r = this.db.prepare('SELECT date_last_seen FROM device_users WHERE device_id = ? AND user_id = ?').get(deviceId, userId) as
      { date_last_seen: string } | undefined;
    return r?.date_last_seen;
  }

  /** A user signed out on the device: the moment counts as their last presence there. */
  touchUser(deviceId: string, userId: string, when: string): void {
    this.db.prepare('UPDATE device_users SET date_last_seen = ? WHERE device_id = ? AND user_id = ?').run(when, deviceId, userId);
  }

  /** Records a sign-in or request from a device: name/app/version as the client last reported them. */
  upsertSeen(d: { id: string; name: string; appName?: string; appVersion?: string; userId: string; when: string }): void {
    this.db
      .prepare(
        `INSERT INTO devices (id, name, app_name, app_version, last_user_id, date_last_activity)
         VALUES (@id, @name, @appName, @appVersion, @userId, @when)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, app_name = excluded.app_name,
           app_version = excluded.app_version, last_user_id = excluded.last_user_id,
           date_last_activity = excluded.date_last_activity`,
      )
      .run({ appName: null, appVersion: null, ...d });
    this.db
      .prepare(
        `INSERT INTO device_users (device_id, user_id, date_last_seen) VALUES (?, ?, ?)
         ON CONFLICT(device_id, user_id) DO UPDATE SET date_last_seen = excluded.date_last_seen`,
      )
      .run(d.id, d.userId, d.when);
  }

  setCapabilities(id: string, caps: ClientCapabilities): void {
    this.db.prepare('UPDATE devices SET capabilities = ? WHERE id = ?').run(JSON.stringify(caps), id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM devices WHERE id = ?').run(id);
  }
}
