/**
 * Accounts as administrators and users change them — creation, deletion, policy, configuration, passwords —
 * and which sessions survive each change: a disabled user loses all of them, a device taken out of the
 * policy loses its own, a new password ends every session but the one that set it. Each change that spans
 * steps is one transaction. The service reaches storage through the ports below only (spec-tested with
 * in-memory fakes; `UsersRepo`, `TokensRepo`, `DevicesRepo` are the real ones).
 */
import { DEFAULT_POLICY, type UserConfiguration, type UserPolicy } from '../../shared/api/users.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { newId, normalizeId } from '../ids.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { RunInTransaction } from '../db/connection.js';
import type { UserRecord } from './usersRepo.js';

export interface UserStore {
  get(id: string): UserRecord | undefined;
  getByName(name: string): UserRecord | undefined;
  list(): UserRecord[];
  insert(user: UserRecord): void;
  delete(id: string): void;
  setPolicy(id: string, policy: UserPolicy): void;
  setConfiguration(id: string, configuration: UserConfiguration): void;
  /** Also clears the first-run "must change" flag. */
  setPasswordHash(id: string, hash: string | null): void;
}

export interface SessionTokens {
  deleteForUser(userId: string): void;
  /** Every token of the user except `keepTokenHash` (which may be another user's: then all go). */
  deleteForUserExcept(userId: string, keepTokenHash: string): void;
  /** Every token of the user on a device outside `deviceIds`. */
  deleteForUserOutsideDevices(userId: string, deviceIds: readonly string[]): void;
}

export interface DeviceMembership {
  isUserOfDevice(deviceId: string, userId: string): boolean;
}

export interface PasswordHashing {
  hash(password: string): Promise<string>;
  verify(stored: string, password: string): Promise<boolean>;
}

/** Who asks: the signed-in user and the session they use (`AuthContext` fits). */
export interface Actor {
  user: UserRecord;
  deviceId: string;
  tokenHash: string;
}

export interface PasswordChange {
  currentPw?: string;
  newPw?: string;
  /** Remove the password (administrators only). */
  reset?: boolean;
}

export interface UsersServiceDeps {
  users: UserStore;
  tokens: SessionTokens;
  devices: DeviceMembership;
  transaction: RunInTransaction;
  passwords?: PasswordHashing;
  now?: () => Date;
}

const POLICY_KEYS = Object.keys(DEFAULT_POLICY) as Array<keyof UserPolicy>;
const CONFIGURATION_KEYS: ReadonlyArray<keyof UserConfiguration> = [
  'AudioLanguagePreference',
  'SubtitleLanguagePreference',
  'PlayDefaultAudioTrack',
  'SubtitleMode',
];

const conflictingName = (name: string) => badRequest(`A user named "${name}" already exists`, 'UserExists');

/** Only the fields the type names: extra keys in a request body never reach the stored JSON. */
function pick<T extends object>(changes: Partial<T>, keys: ReadonlyArray<keyof T>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of keys) if (changes[key] !== undefined) out[key] = changes[key];
  return out;
}

export class UsersService {
  private readonly passwords: PasswordHashing;
  private readonly now: () => Date;

  constructor(private readonly deps: UsersServiceDeps) {
    this.passwords = deps.passwords ?? { hash: hashPassword, verify: verifyPassword };
    this.now = deps.now ?? (() => new Date());
  }

  /** A user by id (dashed or not); NotFound when unknown or not an id. */
  find(rawId: string): UserRecord {
    const id = normalizeId(rawId);
    const user = id ? this.deps.users.get(id) : undefined;
    if (!user) throw notFound('User not found');
    return user;
  }

  /** Self, an administrator, or another user signed in on the actor's device (shared devices, API.md §2). */
  visibleTo(actor: Actor, rawId: string): UserRecord {
    const target = this.find(rawId);
    const me = actor.user;
    const allowed = me.id === target.id || me.policy.IsAdministrator || this.deps.devices.isUserOfDevice(actor.deviceId, target.id);
    if (!allowed) throw notFound('User not found');
    return target;
  }

  /** A user's name for display (device lists); undefined when the user is gone. */
  nameOf(id: string): string | undefined {
    return this.deps.users.get(id)?.name;
  }

  list(): UserRecord[] {
    return this.deps.users.list();
  }

  /** The sign-in screen's list: neither hidden nor disabled. */
  listPublic(): UserRecord[] {
    return this.deps.users.list().filter((u) => !u.policy.IsHidden && !u.policy.IsDisabled);
  }

  async create(name: string, password: string | undefined, policy: Partial<UserPolicy> = {}): Promise<UserRecord> {
    const clean = name.trim();
    if (!clean) throw badRequest('Name must not be empty');
    if (clean.length > 64) throw badRequest('Name is longer than 64 characters');
    if (this.deps.users.getByName(clean)) throw conflictingName(clean);
    // Hashing yields to the event loop: another request may create the same name meanwhile (the unique
    // index decides, below).
    const passwordHash = password ? await this.passwords.hash(password) : null;
    const record: UserRecord = {
      id: newId(),
      name: clean,
      passwordHash,
      policy: { ...DEFAULT_POLICY, ...pick(policy, POLICY_KEYS) },
      configuration: { PlayDefaultAudioTrack: true },
      dateCreated: this.now().toISOString(),
      lastLoginDate: null,
      lastActivityDate: null,
      mustChangePassword: false,
    };
    try {
      this.deps.users.insert(record);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflictingName(clean);
      throw err;
    }
    return record;
  }

  /** An administrator deletes another user; their sessions go with them. */
  delete(actor: Actor, rawId: string): void {
    const target = this.find(rawId);
    if (target.id === actor.user.id) throw badRequest('You cannot delete yourself');
    this.deps.transaction(() => {
      this.deps.tokens.deleteForUser(target.id);
      this.deps.users.delete(target.id);
    });
  }

  /**
   * Merges the given policy fields. Sessions follow at once: a disabled user loses all of them; with
   * `EnableAllDevices` off, a session on a device outside `EnabledDevices` ends (sign-in refuses that device,
   * so its old token must not outlive the rule).
   */
  updatePolicy(actor: Actor, rawId: string, changes: Partial<UserPolicy>): UserPolicy {
    const target = this.find(rawId);
    const next: UserPolicy = { ...target.policy, ...pick(changes, POLICY_KEYS) };
    // View ids in the server's form, so the visibility rule (library/itemVisibility.ts) matches them.
    next.EnabledFolders = [...new Set(next.EnabledFolders.map((id) => normalizeId(id) ?? id))];
    if (target.id === actor.user.id) {
      if (!next.IsAdministrator || next.IsDisabled) throw badRequest('You cannot remove your own administrator rights or disable yourself');
      if (!next.EnableAllDevices && !next.EnabledDevices.includes(actor.deviceId)) {
        throw badRequest('You cannot take away the device you are using');
      }
    }
    this.deps.transaction(() => {
      this.deps.users.setPolicy(target.id, next);
      if (next.IsDisabled) this.deps.tokens.deleteForUser(target.id);
      else if (!next.EnableAllDevices) this.deps.tokens.deleteForUserOutsideDevices(target.id, next.EnabledDevices);
    });
    return next;
  }

  /** The user's own display and playback preferences (or an administrator for them). */
  updateConfiguration(actor: Actor, rawId: string, changes: Partial<UserConfiguration>): UserConfiguration {
    const target = this.find(rawId);
    this.requireSelfOrAdmin(actor, target);
    const next = { ...target.configuration, ...pick(changes, CONFIGURATION_KEYS) };
    this.deps.users.setConfiguration(target.id, next);
    return next;
  }

  /**
   * `POST /Users/{id}/Password` (issue 15 §6). Changing one's own password needs the current one —
   * administrators included, so a session left open is not enough to take an account over; an
   * administrator sets or resets (removes) another user's without it. The user's other sessions end — a
   * stolen token does not survive the change — while the session that made it stays; when an administrator
   * changes someone else's password, all of that user's sessions end. A new password also clears the
   * first-run "must change" flag.
   */
  async changePassword(actor: Actor, rawId: string, change: PasswordChange): Promise<void> {
    const target = this.find(rawId);
    const self = actor.user.id === target.id;
    const isAdmin = actor.user.policy.IsAdministrator;
    if (!self && !isAdmin) throw forbidden('You may only change your own password');
    if (change.reset) {
      if (!isAdmin) throw forbidden('Only an administrator may reset a password');
    } else if (!change.newPw) {
      throw badRequest('Give the new password (NewPw)');
    }
    if (self && !(await this.checkPassword(target, change.currentPw ?? ''))) throw forbidden('The current password is wrong');
    const hash = change.reset ? null : await this.passwords.hash(change.newPw!);
    this.deps.transaction(() => {
      this.deps.users.setPasswordHash(target.id, hash);
      this.revokeOtherTokens(target.id, actor.tokenHash);
    });
  }

  /** Ends every session of the user except the one whose token hash is `keepTokenHash`. */
  revokeOtherTokens(userId: string, keepTokenHash: string): void {
    this.deps.tokens.deleteForUserExcept(userId, keepTokenHash);
  }

  async checkPassword(user: UserRecord, password: string): Promise<boolean> {
    if (!user.passwordHash) return password === '';
    return this.passwords.verify(user.passwordHash, password);
  }

  private requireSelfOrAdmin(actor: Actor, target: UserRecord): void {
    if (actor.user.id !== target.id && !actor.user.policy.IsAdministrator) throw forbidden();
  }
}
