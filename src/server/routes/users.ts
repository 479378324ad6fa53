import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import { normalizeId } from '../ids.js';
import { toSessionInfo, toUserDto } from '../auth/userDto.js';
import type { UserRecord } from '../auth/usersRepo.js';
import { tx } from '../db/connection.js';
import type { PasswordChangeInput } from '../auth/passwordChange.js';
import type { AuthenticationResult, UserPolicy } from '../../shared/api/users.js';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;

const policyBody = {
  type: 'object',
  properties: {
    IsAdministrator: { type: 'boolean' },
    IsDisabled: { type: 'boolean' },
    IsHidden: { type: 'boolean' },
    EnableSync: { type: 'boolean' },
    EnableSyncTranscoding: { type: 'boolean' },
    EnableContentDownloading: { type: 'boolean' },
    EnableMediaPlayback: { type: 'boolean' },
    EnableAllDevices: { type: 'boolean' },
    EnabledDevices: { type: 'array', items: { type: 'string', maxLength: 256 }, maxItems: 1000 },
    EnableCameraUpload: { type: 'boolean' },
    EnableAllFolders: { type: 'boolean' },
    EnabledFolders: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 1000 },
  },
} as const;

export function registerUserRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { users, auth, devices, serverId } = deps;

  const findUser = (raw: string): UserRecord => {
    const id = normalizeId(raw);
    const u = id && users.get(id);
    if (!u) throw notFound('User not found');
    return u;
  };

  /** Self, an administrator, or another user signed in on the caller's device (shared devices, API.md §2). */
  const canSee = (req: Parameters<typeof caller>[0], target: UserRecord): boolean => {
    const me = caller(req);
    return me.user.id === target.id || me.user.policy.IsAdministrator || devices.isUserOfDevice(me.deviceId, target.id);
  };

  app.post(
    '/Users/AuthenticateByName',
    {
      config: { auth: 'none' },
      schema: {
        body: {
          type: 'object',
          required: ['Username'],
          properties: {
            Username: { type: 'string', minLength: 1, maxLength: 128 },
            Pw: { type: 'string', maxLength: 1024 },
            Password: { type: 'string', maxLength: 128 },
            PasswordMd5: { type: 'string', maxLength: 128 },
          },
        },
      },
    },
    async (req): Promise<AuthenticationResult> => {
      const body = req.body as { Username: string; Pw?: string; Password?: string };
      const { user, token, deviceId } = await auth.authenticate({
        username: body.Username,
        pw: body.Pw,
        passwordSha1: body.Pw === undefined ? body.Password : undefined,
        identity: req.identity,
        remoteAddress: req.ip,
      });
      const when = new Date().toISOString();
      return {
        User: toUserDto(user, serverId),
        AccessToken: token,
        ServerId: serverId,
        SessionInfo: toSessionInfo(
          {
            user,
            deviceId,
            deviceName: req.identity.device ?? deviceId,
            client: req.identity.client ?? '',
            version: req.identity.version ?? '',
          },
          serverId,
          when,
        ),
      };
    },
  );

  app.get('/Users/Public', { config: { auth: 'none' } }, async () =>
    users
      .list()
      .filter((u) => !u.policy.IsHidden && !u.policy.IsDisabled)
      .map((u) => ({ Name: u.name, Id: u.id, ServerId: serverId, HasPassword: !!u.passwordHash })),
  );

  app.get('/Users', { config: { auth: 'admin' } }, async () => users.list().map((u) => toUserDto(u, serverId)));

  app.get('/Users/Me', async (req) => toUserDto(caller(req).user, serverId));

  app.get('/Users/:id', { schema: { params: idParams } }, async (req) => {
    const target = findUser((req.params as { id: string }).id);
    if (!canSee(req, target)) throw notFound('User not found');
    return toUserDto(target, serverId);
  });

  /**
   * The user as a device keeps it for offline use (issue 9 adds the offline sign-in verifier; the
   * client never stores a plain password).
   */
  app.get('/Users/:id/Offline', { schema: { params: idParams } }, async (req) => {
    const target = findUser((req.params as { id: string }).id);
    if (!canSee(req, target)) throw notFound('User not found');
    return toUserDto(target, serverId);
  });

  app.post(
    '/Users/New',
    {
      config: { auth: 'admin' },
      schema: {
        body: {
          type: 'object',
          required: ['Name'],
          properties: { Name: { type: 'string', minLength: 1, maxLength: 64 }, Password: { type: 'string', maxLength: 1024 } },
        },
      },
    },
    async (req) => {
      const body = req.body as { Name: string; Password?: string };
      return toUserDto(await auth.createUser(body.Name, body.Password), serverId);
    },
  );

  app.delete('/Users/:id', { config: { auth: 'admin' }, schema: { params: idParams } }, async (req, reply) => {
    const target = findUser((req.params as { id: string }).id);
    if (target.id === caller(req).user.id) throw badRequest('You cannot delete yourself');
    users.delete(target.id);
    return reply.status(204).send();
  });
  app.post('/Users/:id/Delete', { config: { auth: 'admin' }, schema: { params: idParams } }, async (req, reply) => {
    const target = findUser((req.params as { id: string }).id);
    if (target.id === caller(req).user.id) throw badRequest('You cannot delete yourself');
    users.delete(target.id);
    return reply.status(204).send();
  });

  app.post('/Users/:id/Policy', { config: { auth: 'admin' }, schema: { params: idParams, body: policyBody } }, async (req, reply) => {
    const target = findUser((req.params as { id: string }).id);
    const next: UserPolicy = { ...target.policy, ...(req.body as Partial<UserPolicy>) };
    // View ids in the server's form, so the visibility rule (library/itemVisibility.ts) matches them.
    next.EnabledFolders = [...new Set(next.EnabledFolders.map((id) => normalizeId(id) ?? id))];
    const me = caller(req);
    if (target.id === me.user.id && (!next.IsAdministrator || next.IsDisabled)) {
      throw badRequest('You cannot remove your own administrator rights or disable yourself');
    }
    tx(deps.db, () => {
      users.setPolicy(target.id, next);
      // A disabled user loses every session at once, not at token expiry.
      if (next.IsDisabled) deps.tokens.deleteForUser(target.id);
    });
    return reply.status(204).send();
  });

  app.post(
    '/Users/:id/Configuration',
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          properties: {
            AudioLanguagePreference: { type: 'string', maxLength: 16 },
            SubtitleLanguagePreference: { type: 'string', maxLength: 16 },
            PlayDefaultAudioTrack: { type: 'boolean' },
            SubtitleMode: { type: 'string', maxLength: 32 },
          },
        },
      },
    },
    async (req, reply) => {
      const target = findUser((req.params as { id: string }).id);
      const me = caller(req);
      if (me.user.id !== target.id && !me.user.policy.IsAdministrator) throw forbidden();
      users.setConfiguration(target.id, { ...target.configuration, ...(req.body as object) });
      return reply.status(204).send();
    },
  );

  app.post(
    '/Users/:id/Password',
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          properties: {
            CurrentPw: { type: 'string', maxLength: 1024 },
            NewPw: { type: 'string', maxLength: 1024 },
            ResetPassword: { type: 'boolean' },
          },
        },
      },
    },
    async (req, reply) => {
      const target = findUser((req.params as { id: string }).id);
      await deps.passwordChange.change(caller(req), target, req.body as PasswordChangeInput);
      return reply.status(204).send();
    },
  );
}
