import type { Db } from '../db/connection.js';
import type { UsersTable } from '../db/tables.js';
import { DEFAULT_POLICY, type UserConfiguration, type UserPolicy } from '../../shared/api/users.js';

export interface UserRecord {
  id: string;
  name: string;
  passwordHash: string | null;
  policy: UserPolicy;
  configuration: UserConfiguration;
  dateCreated: string;
  lastLoginDate: string | null;
  lastActivityDate: string | null;
  /** The generated first password is still in use: the app asks for a new one (issue 15 §6). */
  mustChangePassword: boolean;
}

type UserRow = UsersTable;

const DEFAULT_CONFIGURATION: UserConfiguration = { PlayDefaultAudioTrack: true };

function toRecord(r: UserRow): UserRecord {
  return {
    id: r.id,
    name: r.name,
    passwordHash: r.password_hash,
    // Merge with defaults so a policy field added later has a value for users created before it.
    policy: { ...DEFAULT_POLICY, ...(JSON.parse(r.policy) as Partial<UserPolicy>) },
    configuration: { ...DEFAULT_CONFIGURATION, ...(JSON.parse(r.configuration) as Partial<UserConfiguration>) },
    dateCreated: r.date_created,
    lastLoginDate: r.last_login_date,
    lastActivityDate: r.last_activity_date,
    mustChangePassword: !!r.must_change_password,
  };
}

export class UsersRepo {
  constructor(private readonly db: Db) {}

  get(id: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toRecord(row);
  }

  getByName(name: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ? COLLATE NOCASE').get(name) as UserRow | undefined;
    return row && toRecord(row);
  }

  list(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY name COLLATE NOCASE').all() as UserRow[]).map(toRecord);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  insert(u: UserRecord): void {
    this.db
      .prepare(
        `INSERT INTO users (id, name, password_hash, policy, configuration, date_created)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(u.id, u.name, u.passwordHash, JSON.stringify(u.policy), JSON.stringify(u.configuration), u.dateCreated);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
  }

  setPolicy(id: string, policy: UserPolicy): void {
    this.db.prepare('UPDATE users SET policy = ? WHERE id = ?').run(JSON.stringify(policy), id);
  }

  setConfiguration(id: string, configuration: UserConfiguration): void {
    this.db.prepare('UPDATE users SET configuration = ? WHERE id = ?').run(JSON.stringify(configuration), id);
  }

  /** A new password (or none); the must-change flag goes with the old one unless `mustChange` says otherwise. */
  setPasswordHash(id: string, hash: string | null, mustChange = false): void {
    this.db.prepare('UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?').run(hash, mustChange ? 1 : 0, id);
  }

  setMustChangePassword(id: string, mustChange: boolean): void {
    this.db.prepare('UPDATE users SET must_change_password = ? WHERE id = ?').run(mustChange ? 1 : 0, id);
  }

  touchLogin(id: string, when: string): void {
    this.db.prepare('UPDATE users SET last_login_date = ?, last_activity_date = ? WHERE id = ?').run(when, when, id);
  }

  touchActivity(id: string, when: string): void {
    this.db.prepare('UPDATE users SET last_activity_date = ? WHERE id = ?').run(when, id);
  }
}
