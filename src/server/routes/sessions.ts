import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import type { ClientCapabilities } from '../../shared/api/users.js';

const capabilitiesBody = {
  type: 'object',
  properties: {
    PlayableMediaTypes: { type: 'array', items: { type: 'string', maxLength: 32 }, maxItems: 20 },
    SupportedCommands: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 200 },
    SupportsMediaControl: { type: 'boolean' },
    SupportsSync: { type: 'boolean' },
    SupportsPersistentIdentifier: { type: 'boolean' },
    SupportsContentUploading: { type: 'boolean' },
    DeviceProfile: { type: 'object' },
    AppStoreUrl: { type: 'string', maxLength: 2000 },
    IconUrl: { type: 'string', maxLength: 2000 },
  },
} as const;

function toCapabilities(input: Partial<ClientCapabilities>): ClientCapabilities {
  return {
    PlayableMediaTypes: input.PlayableMediaTypes ?? [],
    SupportedCommands: input.SupportedCommands ?? [],
    SupportsMediaControl: input.SupportsMediaControl ?? false,
    SupportsSync: input.SupportsSync ?? false,
    SupportsPersistentIdentifier: input.SupportsPersistentIdentifier ?? true,
    SupportsContentUploading: input.SupportsContentUploading ?? false,
    DeviceProfile: input.DeviceProfile,
    AppStoreUrl: input.AppStoreUrl,
    IconUrl: input.IconUrl,
  };
}

export function registerSessionRoutes(app: FastifyInstance, deps: AppDeps): void {
  // Full: the body carries everything, DeviceProfile included (how sync targets get their profile).
  app.post('/Sessions/Capabilities/Full', { schema: { body: capabilitiesBody } }, async (req, reply) => {
    deps.devices.setCapabilities(caller(req).deviceId, toCapabilities(req.body as Partial<ClientCapabilities>));
    return reply.status(204).send();
  });
  // Short form: fields as query (API.md §2), no profile; keeps a profile reported earlier.
  app.post('/Sessions/Capabilities', { schema: { querystring: capabilitiesBody } }, async (req, reply) => {
    const me = caller(req);
    const previous = deps.devices.get(me.deviceId)?.capabilities;
    const input = req.query as Partial<ClientCapabilities>;
    deps.devices.setCapabilities(me.deviceId, toCapabilities({ ...input, DeviceProfile: previous?.DeviceProfile }));
    return reply.status(204).send();
  });
  app.post('/Sessions/Logout', async (req, reply) => {
    deps.auth.logout(caller(req).tokenHash);
    return reply.status(204).send();
  });
  app.get('/Sessions', async (req) => {
    const me = caller(req);
    const list = me.user.policy.IsAdministrator ? deps.devices.list() : deps.devices.listForUser(me.user.id);
    return list.map((d) => ({
      Id: d.id,
      DeviceId: d.id,
      DeviceName: d.name,
      Client: d.appName ?? '',
      ApplicationVersion: d.appVersion ?? '',
      UserId: d.lastUserId ?? undefined,
      LastActivityDate: d.dateLastActivity,
      ServerId: deps.serverId,
      SupportsSync: d.capabilities?.SupportsSync ?? false,
      PlayableMediaTypes: d.capabilities?.PlayableMediaTypes ?? [],
      SupportedCommands: d.capabilities?.SupportedCommands ?? [],
    }));
  });
}
