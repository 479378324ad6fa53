import type { Db } from '../db/connection.js';
import type { ClientCapabilities } from '../../shared/api/users.js';

export interface DeviceRecord {
  id: string;
  /** What people see: the custom name when one was given, else the name the client reports. */
  name: string;
  /** The name the client reported at its last sign-in ("Chrome on Android · 7F2"). */
  reportedName: string;
  /** The name a person gave it (POST /Devices/Options); a sign-in never changes it. */
  customName: string | null;
  appName: string | null;
  appVersion: string | null;
  lastUserId: string | null;
  dateLastActivity: string;
  /** The last sign-in or request from the device (its tokens are touched at most once a minute). */
  dateLastSeen: string;
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
  custom_name: string | null;
  date_last_seen: string | null;
}

function toRecord(r: DeviceRow): DeviceRecord {
  return {
    id: r.id,
    name: r.custom_name ?? r.name,
    reportedName: r.name,
    customName: r.custom_name,
    appName: r.app_name,
    appVersion: r.app_version,
    lastUserId: r.last_user_id,
    dateLastActivity: r.date_last_activity,
    dateLastSeen: r.date_last_seen && r.date_last_seen > r.date_last_activity ? r.date_last_seen : r.date_last_activity,
    capabilities: r.capabilities ? (JSON.parse(r.capabilities) as ClientCapabilities) : null,
  };
}

/** A device row with when it was last seen: its last sign-in or the last use of one of its tokens. */
const SELECT_DEVICE = `SELECT d.*, (SELECT MAX(t.date_last_used) FROM tokens t WHERE t.device_id = d.id) AS date_last_seen FROM devices d`;

export class DevicesRepo {
  constructor(private readonly db: Db) {}

  get(id: string): DeviceRecord | undefined {
    const r = this.db.prepare(`${SELECT_DEVICE} WHERE d.id = ?`).get(id) as DeviceRow | undefined;
    return r && toRecord(r);
  }

  list(): DeviceRecord[] {
    return (this.db.prepare(`${SELECT_DEVICE} ORDER BY d.date_last_activity DESC`).all() as DeviceRow[]).map(toRecord);
  }

  /** Devices a user has signed in on (sync targets come from these). */
  listForUser(userId: string): DeviceRecord[] {
    return (
      this.db
        .prepare(
          `${SELECT_DEVICE} JOIN device_users du ON du.device_id = d.id
           WHERE du.user_id = ? ORDER BY COALESCE(d.custom_name, d.name) COLLATE NOCASE`,
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

  /** A person's name for the device; null goes back to the name the client reports. */
  setCustomName(id: string, name: string | null): void {
    this.db.prepare('UPDATE devices SET custom_name = ? WHERE id = ?').run(name, id);
  }

  /** The user no longer uses the device (their link goes; the device stays for its other users). */
  removeUser(deviceId: string, userId: string): void {
    this.db.prepare('DELETE FROM device_users WHERE device_id = ? AND user_id = ?').run(deviceId, userId);
  }

  setCapabilities(id: string, caps: ClientCapabilities): void {
    this.db.prepare('UPDATE devices SET capabilities = ? WHERE id = ?').run(JSON.stringify(caps), id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM devices WHERE id = ?').run(id);
  }
}
