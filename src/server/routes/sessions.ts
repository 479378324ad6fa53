import type { Api, AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { signOut } from '../auth/signOut.js';
import { CapabilitiesBody, CapabilitiesQuery, prepareProfileField } from '../profile/deviceCapabilities.js';

export function registerSessionRoutes(app: Api, deps: AppDeps): void {
  // Full: the body carries everything, DeviceProfile included (how sync targets get their profile).
  app.post(
    '/Sessions/Capabilities/Full',
    { schema: { body: CapabilitiesBody }, preValidation: async (req) => prepareProfileField(req.body) },
    async (req, reply) => {
      deps.capabilities.report(caller(req), req.body);
      return reply.status(204).send();
    },
  );
  // Short form: fields as query (API.md §2), no profile; keeps a profile reported earlier.
  app.post('/Sessions/Capabilities', { schema: { querystring: CapabilitiesQuery } }, async (req, reply) => {
    deps.capabilities.report(caller(req), req.query, true);
    return reply.status(204).send();
  });
  app.post('/Sessions/Logout', async (req, reply) => {
    signOut(deps, caller(req));
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
