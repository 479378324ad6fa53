import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type UserConfiguration, type UserPolicy } from '../../../src/shared/api/users.js';
import { DomainError } from '../../../src/server/errors.js';
import type { UserRecord } from '../../../src/server/auth/usersRepo.js';
import {
  UsersService,
  type Actor,
  type DeviceMembership,
  type SessionTokens,
  type UserStore,
} from '../../../src/server/auth/usersService.js';

/** In-memory ports: users by id, tokens as rows, device membership as pairs; a transaction rolls back on throw. */
function world() {
  const users = new Map<string, UserRecord>();
  let tokens: Array<{ hash: string; userId: string; deviceId: string }> = [];
  const members = new Set<string>();
  let transactions = 0;
  let failNextTokenWrite = false;
  const tokenWrite = () => {
    if (failNextTokenWrite) {
      failNextTokenWrite = false;
      throw new Error('disk full');
    }
  };
  const userStore: UserStore = {
    get: (id) => users.get(id),
    getByName: (name) => [...users.values()].find((u) => u.name.toLowerCase() === name.toLowerCase()),
    list: () => [...users.values()],
    insert: (u) => void users.set(u.id, u),
    delete: (id) => void users.delete(id),
    setPolicy: (id, policy: UserPolicy) => void users.set(id, { ...users.get(id)!, policy }),
    setConfiguration: (id, configuration: UserConfiguration) => void users.set(id, { ...users.get(id)!, configuration }),
    setPasswordHash: (id, passwordHash) => void users.set(id, { ...users.get(id)!, passwordHash, mustChangePassword: false }),
  };
  const tokenStore: SessionTokens = {
    deleteForUser: (userId) => {
      tokenWrite();
      tokens = tokens.filter((t) => t.userId !== userId);
    },
    deleteForUserExcept: (userId, keep) => {
      tokenWrite();
      tokens = tokens.filter((t) => t.userId !== userId || t.hash === keep);
    },
    deleteForUserOutsideDevices: (userId, deviceIds) => {
      tokenWrite();
      tokens = tokens.filter((t) => t.userId !== userId || deviceIds.includes(t.deviceId));
    },
  };
  const devices: DeviceMembership = { isUserOfDevice: (deviceId, userId) => members.has(`${deviceId}|${userId}`) };
  const service = new UsersService({
    users: userStore,
    tokens: tokenStore,
    devices,
    transaction: (fn) => {
      transactions++;
      const [savedUsers, savedTokens] = [new Map(users), [...tokens]];
      try {
        return fn();
      } catch (err) {
        users.clear();
        for (const [k, v] of savedUsers) users.set(k, v);
        tokens = savedTokens;
        throw err;
      }
    },
    passwords: { hash: async (pw) => `hashed:${pw}`, verify: async (stored, pw) => stored === `hashed:${pw}` },
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  let n = 0;
  const addUser = (name: string, policy: Partial<UserPolicy> = {}, password = 'pw'): UserRecord => {
    const id = (++n).toString(16).padStart(32, '0');
    const user: UserRecord = {
      id,
      name,
      passwordHash: `hashed:${password}`,
      policy: { ...DEFAULT_POLICY, ...policy },
      configuration: { PlayDefaultAudioTrack: true },
      dateCreated: '2025-01-01T00:00:00Z',
      lastLoginDate: null,
      lastActivityDate: null,
      mustChangePassword: false,
    };
    users.set(id, user);
    return user;
  };
  /** A session of `user` on `deviceId`, as the auth plugin would hand it to the service. */
  const signIn = (user: UserRecord, deviceId: string): Actor => {
    const hash = `${user.id}@${deviceId}`;
    tokens.push({ hash, userId: user.id, deviceId });
    members.add(`${deviceId}|${user.id}`);
    return { user: users.get(user.id)!, deviceId, tokenHash: hash };
  };
  return {
    service,
    users,
    addUser,
    signIn,
    tokensOf: (userId: string) => tokens.filter((t) => t.userId === userId).map((t) => t.deviceId),
    transactions: () => transactions,
    failNextTokenWrite: () => void (failNextTokenWrite = true),
  };
}

function kindOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? `${err.kind}:${err.code}` : String(err);
  }
  return undefined;
}

async function asyncKindOf(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (err: unknown) => (err instanceof DomainError ? `${err.kind}:${err.code}` : String(err)),
  );
}

describe('finding users', () => {
  it('finds a user by id in any spelling and answers NotFound for unknown or malformed ids', () => {
    const w = world();
    const ann = w.addUser('ann');
    const dashed = `${ann.id.slice(0, 8)}-${ann.id.slice(8, 12)}-${ann.id.slice(12, 16)}-${ann.id.slice(16, 20)}-${ann.id.slice(20)}`;
    expect(w.service.find(dashed.toUpperCase()).name).toBe('ann');
    expect(kindOf(() => w.service.find('f'.repeat(32)))).toBe('NotFound:NotFound');
    expect(kindOf(() => w.service.find('ann'))).toBe('NotFound:NotFound');
  });

  it('shows a user to themself, to administrators and to users of the same device; to nobody else', () => {
    const w = world();
    const [ann, bob, root] = [w.addUser('ann'), w.addUser('bob'), w.addUser('root', { IsAdministrator: true })];
    const annOnTv = w.signIn(ann, 'tv');
    w.signIn(bob, 'tv');
    const bobOnPhone = w.signIn(bob, 'bob-phone');
    expect(w.service.visibleTo(annOnTv, ann.id).name).toBe('ann');
    expect(w.service.visibleTo(annOnTv, bob.id).name).toBe('bob');
    expect(w.service.visibleTo(w.signIn(root, 'root-pc'), ann.id).name).toBe('ann');
    const carol = w.addUser('carol');
    expect(kindOf(() => w.service.visibleTo(bobOnPhone, carol.id))).toBe('NotFound:NotFound');
  });

  it('lists neither hidden nor disabled users publicly', () => {
    const w = world();
    w.addUser('shown');
    w.addUser('hidden', { IsHidden: true });
    w.addUser('gone', { IsDisabled: true });
    expect(w.service.listPublic().map((u) => u.name)).toEqual(['shown']);
    expect(w.service.list()).toHaveLength(3);
  });
});

describe('creating and deleting', () => {
  it('creates a user with a trimmed name, a hashed password and only known policy fields', async () => {
    const w = world();
    const u = await w.service.create('  dora ', 'secret', { EnableSync: false, Bogus: 1 } as Partial<UserPolicy>);
    expect(u).toMatchObject({ name: 'dora', passwordHash: 'hashed:secret', dateCreated: '2026-01-01T00:00:00.000Z' });
    expect(u.policy).toEqual({ ...DEFAULT_POLICY, EnableSync: false });
    expect((await w.service.create('nopw', undefined)).passwordHash).toBeNull();
  });

  it('refuses empty, overlong and taken names (400, UserExists for a taken one in any case)', async () => {
    const w = world();
    w.addUser('eve');
    expect(await asyncKindOf(w.service.create('  ', 'x'))).toBe('Invalid:BadRequest');
    expect(await asyncKindOf(w.service.create('x'.repeat(65), 'x'))).toBe('Invalid:BadRequest');
    expect(await asyncKindOf(w.service.create('EVE', 'x'))).toBe('Invalid:UserExists');
  });

  it('deletes another user with their sessions in one transaction, never oneself', () => {
    const w = world();
    const [root, fin] = [w.addUser('root', { IsAdministrator: true }), w.addUser('fin')];
    const admin = w.signIn(root, 'pc');
    w.signIn(fin, 'phone');
    expect(kindOf(() => w.service.delete(admin, root.id))).toBe('Invalid:BadRequest');
    const before = w.transactions();
    w.service.delete(admin, fin.id);
    expect(w.transactions()).toBe(before + 1);
    expect(w.users.has(fin.id)).toBe(false);
    expect(w.tokensOf(fin.id)).toEqual([]);
    expect(kindOf(() => w.service.delete(admin, fin.id))).toBe('NotFound:NotFound');
  });
});

describe('policy', () => {
  it('merges known fields, stores folder ids in the server form and drops unknown keys', () => {
    const w = world();
    const [root, gil] = [w.addUser('root', { IsAdministrator: true }), w.addUser('gil')];
    const view = 'ABCDEF00-1111-2222-3333-444455556666';
    const next = w.service.updatePolicy(w.signIn(root, 'pc'), gil.id, {
      EnableAllFolders: false,
      EnabledFolders: [view, view.replace(/-/g, '').toLowerCase()],
      Extra: true,
    } as Partial<UserPolicy>);
    expect(next).toEqual({ ...DEFAULT_POLICY, EnableAllFolders: false, EnabledFolders: ['abcdef00111122223333444455556666'] });
    expect(w.users.get(gil.id)!.policy).toEqual(next);
  });

  it('ends every session of a disabled user, and only the sessions of devices taken out of the policy', () => {
    const w = world();
    const [root, hal, ivy] = [w.addUser('root', { IsAdministrator: true }), w.addUser('hal'), w.addUser('ivy')];
    const admin = w.signIn(root, 'pc');
    w.signIn(hal, 'a');
    w.signIn(hal, 'b');
    w.signIn(ivy, 'a');
    w.signIn(ivy, 'b');
    w.service.updatePolicy(admin, hal.id, { IsDisabled: true });
    expect(w.tokensOf(hal.id)).toEqual([]);
    w.service.updatePolicy(admin, ivy.id, { EnableAllDevices: false, EnabledDevices: ['b'] });
    expect(w.tokensOf(ivy.id)).toEqual(['b']);
    // Other users' sessions are untouched.
    expect(w.tokensOf(root.id)).toEqual(['pc']);
  });

  it('keeps an administrator from demoting, disabling or locking out themself', () => {
    const w = world();
    const root = w.addUser('root', { IsAdministrator: true });
    const admin = w.signIn(root, 'pc');
    for (const change of [{ IsAdministrator: false }, { IsDisabled: true }, { EnableAllDevices: false, EnabledDevices: ['other'] }]) {
      expect(
        kindOf(() => w.service.updatePolicy(admin, root.id, change)),
        JSON.stringify(change),
      ).toBe('Invalid:BadRequest');
    }
    expect(w.users.get(root.id)!.policy).toEqual(root.policy);
    w.service.updatePolicy(admin, root.id, { EnableAllDevices: false, EnabledDevices: ['pc'] });
    expect(w.tokensOf(root.id)).toEqual(['pc']);
  });

  it('writes nothing when ending the sessions fails (one transaction)', () => {
    const w = world();
    const [root, jay] = [w.addUser('root', { IsAdministrator: true }), w.addUser('jay')];
    const admin = w.signIn(root, 'pc');
    w.signIn(jay, 'phone');
    w.failNextTokenWrite();
    expect(() => w.service.updatePolicy(admin, jay.id, { IsDisabled: true })).toThrow('disk full');
    expect(w.users.get(jay.id)!.policy.IsDisabled).toBe(false);
    expect(w.tokensOf(jay.id)).toEqual(['phone']);
  });
});

describe('configuration', () => {
  it('lets users change their own preferences (and administrators anyone’s), with known fields only', () => {
    const w = world();
    const [kim, lee, root] = [w.addUser('kim'), w.addUser('lee'), w.addUser('root', { IsAdministrator: true })];
    const next = w.service.updateConfiguration(w.signIn(kim, 'k'), kim.id, {
      SubtitleMode: 'Always',
      Junk: 1,
    } as Partial<UserConfiguration>);
    expect(next).toEqual({ PlayDefaultAudioTrack: true, SubtitleMode: 'Always' });
    expect(kindOf(() => w.service.updateConfiguration(w.signIn(lee, 'l'), kim.id, { SubtitleMode: 'None' }))).toBe('Forbidden:Forbidden');
    w.service.updateConfiguration(w.signIn(root, 'r'), kim.id, { AudioLanguagePreference: 'fra' });
    expect(w.users.get(kim.id)!.configuration).toMatchObject({ SubtitleMode: 'Always', AudioLanguagePreference: 'fra' });
  });
});

describe('passwords', () => {
  it('needs the current password from a user, ends their other sessions and keeps the one in use', async () => {
    const w = world();
    const mia = w.addUser('mia', {}, 'old');
    const phone = w.signIn(mia, 'phone');
    w.signIn(mia, 'laptop');
    expect(await asyncKindOf(w.service.changePassword(phone, mia.id, { currentPw: 'wrong', newPw: 'new' }))).toBe('Forbidden:Forbidden');
    expect(w.tokensOf(mia.id)).toEqual(['phone', 'laptop']);
    await w.service.changePassword(phone, mia.id, { currentPw: 'old', newPw: 'new' });
    expect(w.users.get(mia.id)!.passwordHash).toBe('hashed:new');
    expect(w.tokensOf(mia.id)).toEqual(['phone']);
  });

  it('lets an administrator set or remove anyone’s password, ending all of that user’s sessions', async () => {
    const w = world();
    const [root, ned] = [w.addUser('root', { IsAdministrator: true }), w.addUser('ned')];
    const admin = w.signIn(root, 'pc');
    w.signIn(ned, 'phone');
    await w.service.changePassword(admin, ned.id, { newPw: 'set-by-admin' });
    expect(w.tokensOf(ned.id)).toEqual([]);
    expect(w.tokensOf(root.id)).toEqual(['pc']);
    w.signIn(ned, 'phone');
    await w.service.changePassword(admin, ned.id, { reset: true, newPw: 'ignored' });
    expect(w.users.get(ned.id)!.passwordHash).toBeNull();
    expect(await w.service.checkPassword(w.users.get(ned.id)!, '')).toBe(true);
  });

  it('asks an administrator for their own current password too, and lets only administrators reset one', async () => {
    const w = world();
    const [root, uma] = [w.addUser('root', { IsAdministrator: true }, 'rootpw'), w.addUser('uma')];
    const admin = w.signIn(root, 'pc');
    expect(await asyncKindOf(w.service.changePassword(admin, root.id, { newPw: 'x' }))).toBe('Forbidden:Forbidden');
    await w.service.changePassword(admin, root.id, { currentPw: 'rootpw', newPw: 'x' });
    expect(w.users.get(root.id)!.passwordHash).toBe('hashed:x');
    const self = w.signIn(uma, 'u');
    expect(await asyncKindOf(w.service.changePassword(self, uma.id, { currentPw: 'pw', reset: true }))).toBe('Forbidden:Forbidden');
    expect(await asyncKindOf(w.service.changePassword(self, uma.id, { currentPw: 'pw' }))).toBe('Invalid:BadRequest');
    expect(w.users.get(uma.id)!.passwordHash).toBe('hashed:pw');
  });

  it('clears the first-run “must change” flag with the new password', async () => {
    const w = world();
    const vic = w.addUser('vic');
    w.users.set(vic.id, { ...w.users.get(vic.id)!, mustChangePassword: true });
    await w.service.changePassword(w.signIn(vic, 'v'), vic.id, { currentPw: 'pw', newPw: 'fresh' });
    expect(w.users.get(vic.id)!.mustChangePassword).toBe(false);
  });

  it('refuses another user’s password to a non-administrator', async () => {
    const w = world();
    const [ola, pat] = [w.addUser('ola'), w.addUser('pat')];
    expect(await asyncKindOf(w.service.changePassword(w.signIn(ola, 'o'), pat.id, { currentPw: 'pw', newPw: 'x' }))).toBe(
      'Forbidden:Forbidden',
    );
    expect(w.users.get(pat.id)!.passwordHash).toBe('hashed:pw');
  });

  it('revokeOtherTokens keeps exactly the named session', () => {
    const w = world();
    const quinn = w.addUser('quinn');
    const keep = w.signIn(quinn, 'one');
    w.signIn(quinn, 'two');
    w.signIn(quinn, 'three');
    w.service.revokeOtherTokens(quinn.id, keep.tokenHash);
    expect(w.tokensOf(quinn.id)).toEqual(['one']);
  });
});
