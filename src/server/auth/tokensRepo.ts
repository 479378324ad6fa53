import type { Db } from '../db/connection.js';

export interface TokenRecord {
  tokenHash: string;
  userId: string;
  deviceId: string;
  appName: string | null;
  appVersion: string | null;
  dateCreated: string;
  dateLastUsed: string;
}

interface TokenRow {
  token_hash: string;
  user_id: string;
  device_id: string;
  app_name: string | null;
  app_version: string | null;
  date_created: string;
  date_last_used: string;
}

export class TokensRepo {
  constructor(private readonly db: Db) {}

  get(tokenHash: string): TokenRecord | undefined {
    const r = this.db.prepare('SELECT * FROM tokens WHERE token_hash = ?').get(tokenHash) as TokenRow | undefined;
    return (
      r && {
        tokenHash: r.token_hash,
        userId: r.user_id,
        deviceId: r.device_id,
        appName: r.app_name,
        appVersion: r.app_version,
        dateCreated: r.date_created,
        dateLastUsed: r.date_last_used,
      }
    );
  }

  insert(t: TokenRecord): void {
    this.db
      .prepare(
        `INSERT INTO tokens (token_hash, user_id, device_id, app_name, app_version, date_created, date_last_used)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.tokenHash, t.userId, t.deviceId, t.appName, t.appVersion, t.dateCreated, t.dateLastUsed);
  }

  /** One session per user and device, as Emby: signing in again replaces the old token. */
  deleteForUserDevice(userId: string, deviceId: string): void {
    this.db.prepare('DELETE FROM tokens WHERE user_id = ? AND device_id = ?').run(userId, deviceId);
  }

  delete(tokenHash: string): void {
    this.db.prepare('DELETE FROM tokens WHERE token_hash = ?').run(tokenHash);
  }

  deleteForUser(userId: string): void {
    this.db.prepare('DELETE FROM tokens WHERE user_id = ?').run(userId);
  }

  /** Every session of the user but one (a password change keeps the session that made it). */
  deleteForUserExcept(userId: string, keepTokenHash: string): void {
    this.db.prepare('DELETE FROM tokens WHERE user_id = ? AND token_hash <> ?').run(userId, keepTokenHash);
  }

  /** Every session of the user on a device outside `deviceIds` (a device taken out of the user's policy). */
  deleteForUserOutsideDevices(userId: string, deviceIds: readonly string[]): void {
    this.db
      .prepare('DELETE FROM tokens WHERE user_id = ? AND device_id NOT IN (SELECT value FROM json_each(?))')
      .run(userId, JSON.stringify(deviceIds));
  }

  /** Signs every user out of a device. */
  deleteForDevice(deviceId: string): void {
    this.db.prepare('DELETE FROM tokens WHERE device_id = ?').run(deviceId);
  }

  touch(tokenHash: string, when: string): void {
    this.db.prepare('UPDATE tokens SET date_last_used = ? WHERE token_hash = ?').run(when, tokenHash);
  }
}
