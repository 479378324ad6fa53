/**
 * Users and sign-in (API.md §2): each route is its schema, its access level, one call to the auth or
 * users service, and the mapping to Emby's DTOs. Access rules live in `UsersService`.
 */
import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { IdParams, ShortString } from '../http/schemas.js';
import { toSessionInfo, toUserDto } from '../auth/userDto.js';
import type { AuthenticationResult } from '../../shared/api/users.js';

const Password = Type.String({ maxLength: 1024 });

const SignInBody = Type.Object({
  Username: Type.String({ minLength: 1, maxLength: 128 }),
  Pw: Type.Optional(Password),
  /** SHA-1 hex of the password (old clients). */
  Password: Type.Optional(Type.String({ maxLength: 128 })),
  PasswordMd5: Type.Optional(Type.String({ maxLength: 128 })),
});

const NewUserBody = Type.Object({ Name: Type.String({ minLength: 1, maxLength: 64 }), Password: Type.Optional(Password) });

const flag = Type.Optional(Type.Boolean());
const PolicyBody = Type.Object({
  IsAdministrator: flag,
  IsDisabled: flag,
  IsHidden: flag,
  EnableSync: flag,
  EnableSyncTranscoding: flag,
  EnableContentDownloading: flag,
  EnableMediaPlayback: flag,
  EnableAllDevices: flag,
  EnabledDevices: Type.Optional(Type.Array(ShortString, { maxItems: 1000 })),
  EnableCameraUpload: flag,
  EnableAllFolders: flag,
  EnabledFolders: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000 })),
});

const ConfigurationBody = Type.Object({
  AudioLanguagePreference: Type.Optional(Type.String({ maxLength: 16 })),
  SubtitleLanguagePreference: Type.Optional(Type.String({ maxLength: 16 })),
  PlayDefaultAudioTrack: flag,
  SubtitleMode: Type.Optional(Type.String({ maxLength: 32 })),
});

const PasswordBody = Type.Object({ CurrentPw: Type.Optional(Password), NewPw: Type.Optional(Password), ResetPassword: flag });

export function registerUserRoutes(app: Api, deps: AppDeps): void {
  registerSignInRoute(app, deps);
  registerUserReadRoutes(app, deps);
  registerUserChangeRoutes(app, deps);
}

function registerSignInRoute(app: Api, deps: AppDeps): void {
  const { auth, serverId } = deps;
  app.post(
    '/Users/AuthenticateByName',
    { config: { auth: 'none' }, schema: { body: SignInBody } },
    async (req): Promise<AuthenticationResult> => {
      const { Username, Pw, Password: sha1 } = req.body;
      const { user, token, deviceId } = await auth.authenticate({
        username: Username,
        pw: Pw,
        passwordSha1: Pw === undefined ? sha1 : undefined,
        identity: req.identity,
        remoteAddress: req.ip,
      });
      const session = {
        user,
        deviceId,
        deviceName: req.identity.device ?? deviceId,
        client: req.identity.client ?? '',
        version: req.identity.version ?? '',
      };
      return {
        User: toUserDto(user, serverId),
        AccessToken: token,
        ServerId: serverId,
        SessionInfo: toSessionInfo(session, serverId, new Date().toISOString()),
      };
    },
  );
}

function registerUserReadRoutes(app: Api, deps: AppDeps): void {
  const { usersService: users, serverId } = deps;
  app.get('/Users/Public', { config: { auth: 'none' } }, async () =>
    users.listPublic().map((u) => ({ Name: u.name, Id: u.id, ServerId: serverId, HasPassword: !!u.passwordHash })),
  );

  app.get('/Users', { config: { auth: 'admin' } }, async () => users.list().map((u) => toUserDto(u, serverId)));

  app.get('/Users/Me', async (req) => toUserDto(caller(req).user, serverId));

  app.get('/Users/:id', { schema: { params: IdParams } }, async (req) => toUserDto(users.visibleTo(caller(req), req.params.id), serverId));

  // The user as a device keeps it for offline use (the client never stores a plain password).
  app.get('/Users/:id/Offline', { schema: { params: IdParams } }, async (req) =>
    toUserDto(users.visibleTo(caller(req), req.params.id), serverId),
  );
}

/** Creating, deleting and changing accounts; who may change what is the users service's rule. */
function registerUserChangeRoutes(app: Api, deps: AppDeps): void {
  const { usersService: users, serverId } = deps;
  app.post('/Users/New', { config: { auth: 'admin' }, schema: { body: NewUserBody } }, async (req) =>
    toUserDto(await users.create(req.body.Name, req.body.Password), serverId),
  );

  for (const [method, url] of [
    ['DELETE', '/Users/:id'],
    ['POST', '/Users/:id/Delete'],
  ] as const) {
    app.route({
      method,
      url,
      config: { auth: 'admin' },
      schema: { params: IdParams },
      handler: async (req, reply) => {
        users.delete(caller(req), req.params.id);
        return reply.status(204).send();
      },
    });
  }

  app.post('/Users/:id/Policy', { config: { auth: 'admin' }, schema: { params: IdParams, body: PolicyBody } }, async (req, reply) => {
    users.updatePolicy(caller(req), req.params.id, req.body);
    return reply.status(204).send();
  });

  app.post('/Users/:id/Configuration', { schema: { params: IdParams, body: ConfigurationBody } }, async (req, reply) => {
    users.updateConfiguration(caller(req), req.params.id, req.body);
    return reply.status(204).send();
  });

  app.post('/Users/:id/Password', { schema: { params: IdParams, body: PasswordBody } }, async (req, reply) => {
    const { CurrentPw, NewPw, ResetPassword } = req.body;
    await users.changePassword(caller(req), req.params.id, { currentPw: CurrentPw, newPw: NewPw, reset: ResetPassword });
    return reply.status(204).send();
  });
}
