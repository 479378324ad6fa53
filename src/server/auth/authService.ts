/**
 * Sign-in and sessions: verifies a password (or the SHA-1 form old clients send), throttles guessing,
 * issues one token per user and device, and resolves a token to its user on every request. Account
 * changes (policy, passwords, deletion) are the users service's (`usersService.ts`).
 */
import { badRequest, forbidden, tooManyRequests, unauthorized } from '../errors.js';
import type { ClientIdentity } from './authHeader.js';
import type { DevicesRepo } from './devicesRepo.js';
import { hashToken, newToken, verifyPassword, verifySha1Hex } from './passwords.js';
import type { TokenRecord, TokensRepo } from './tokensRepo.js';
import type { UserRecord, UsersRepo } from './usersRepo.js';
import { SignInThrottle } from './signInThrottle.js';
import type { RunInTransaction } from '../db/connection.js';

export interface AuthContext {
  user: UserRecord;
  deviceId: string;
  deviceName: string;
  client: string;
  version: string;
  tokenHash: string;
}

export interface LoginInput {
  username: string;
  pw?: string;
  /** SHA-1 hex of the password, as old Emby clients send it. */
  passwordSha1?: string;
  identity: ClientIdentity;
  remoteAddress?: string;
}

/** Failed sign-ins per (name, address) in a sliding window before answering 429. */
const MAX_FAILURES = 8;
const FAILURE_WINDOW_MS = 5 * 60_000;

export class AuthService {
  private readonly throttle: SignInThrottle;

  constructor(
    private readonly transaction: RunInTransaction,
    private readonly users: UsersRepo,
    private readonly tokens: TokensRepo,
    private readonly devices: DevicesRepo,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.throttle = new SignInThrottle(MAX_FAILURES, FAILURE_WINDOW_MS, () => this.now().getTime());
  }

  async authenticate(input: LoginInput): Promise<{ user: UserRecord; token: string; deviceId: string }> {
    const throttleKey = `${input.username.toLowerCase()}|${input.remoteAddress ?? ''}`;
    this.throwIfThrottled(throttleKey);
    const deviceId = input.identity.deviceId;
    if (!deviceId) throw badRequest('The X-Emby-Authorization header must name a DeviceId');
    const user = this.users.getByName(input.username);
    const ok = user ? await this.verify(user, input) : false;
    if (!user || !ok) {
      this.throttle.recordFailure(throttleKey);
      throw unauthorized('Invalid user name or password');
    }
    if (user.policy.IsDisabled) throw unauthorized('This user is disabled');
    if (!user.policy.EnableAllDevices && !user.policy.EnabledDevices.includes(deviceId)) {
      throw forbidden('This user may not sign in on this device');
    }
    this.throttle.forget(throttleKey);
    const token = newToken();
    const when = this.now().toISOString();
    this.transaction(() => {
      this.tokens.deleteForUserDevice(user.id, deviceId);
      this.tokens.insert({
        tokenHash: hashToken(token),
        userId: user.id,
        deviceId,
        appName: input.identity.client ?? null,
        appVersion: input.identity.version ?? null,
        dateCreated: when,
        dateLastUsed: when,
      });
      this.devices.upsertSeen({
        id: deviceId,
        name: input.identity.device ?? deviceId,
        appName: input.identity.client,
        appVersion: input.identity.version,
        userId: user.id,
        when,
      });
      this.users.touchLogin(user.id, when);
    });
    return { user: this.users.get(user.id)!, token, deviceId };
  }

  private async verify(user: UserRecord, input: LoginInput): Promise<boolean> {
    if (input.passwordSha1 !== undefined && input.pw === undefined) {
      if (!user.passwordHash) return input.passwordSha1 === '' || input.passwordSha1 === 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
      return verifySha1Hex(user.passwordHash, input.passwordSha1);
    }
    const pw = input.pw ?? '';
    return user.passwordHash ? verifyPassword(user.passwordHash, pw) : pw === '';
  }

  private throwIfThrottled(key: string): void {
    if (this.throttle.isBlocked(key)) throw tooManyRequests('Too many failed sign-ins; try again in a few minutes');
  }

  /** Resolves a token to its user and device; undefined when unknown or the user is disabled. */
  resolveToken(token: string): { record: TokenRecord; user: UserRecord } | undefined {
    const record = this.tokens.get(hashToken(token));
    if (!record) return undefined;
    const user = this.users.get(record.userId);
    if (!user || user.policy.IsDisabled) return undefined;
    // Writing on every request would serialise reads behind the writer: only once a minute per token.
    const now = this.now();
    if (now.getTime() - Date.parse(record.dateLastUsed) > 60_000) {
      this.tokens.touch(record.tokenHash, now.toISOString());
      this.users.touchActivity(user.id, now.toISOString());
    }
    return { record, user };
  }

  logout(tokenHash: string): void {
    this.tokens.delete(tokenHash);
  }
}
