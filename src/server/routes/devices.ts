import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { DeviceId, Id } from '../http/schemas.js';
import type { DeviceInfo } from '../../shared/api/users.js';
import type { DeviceRecord } from '../auth/devicesRepo.js';

export function toDeviceInfo(d: DeviceRecord, userName: (id: string) => string | undefined): DeviceInfo {
  return {
    Id: d.id,
    Name: d.name,
    ReportedName: d.reportedName,
    CustomName: d.customName ?? undefined,
    AppName: d.appName ?? undefined,
    AppVersion: d.appVersion ?? undefined,
    LastUserId: d.lastUserId ?? undefined,
    LastUserName: d.lastUserId ? userName(d.lastUserId) : undefined,
    // The last sign-in or request (tokens are touched once a minute), so "last seen" is current.
    DateLastActivity: d.dateLastSeen,
    Capabilities: d.capabilities ?? undefined,
  };
}

const ListQuery = Type.Object({ UserId: Type.Optional(Id) });
const DeviceIdQuery = Type.Object({ Id: DeviceId });
const DeviceOptions = Type.Object({ CustomName: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])) });

/**
 * Emby's device routes. Administrators manage every device; anyone else sees, renames and removes only the
 * devices they have signed in on (DevicesService), so the routes are open to every signed-in user.
 */
export function registerDeviceRoutes(app: Api, deps: AppDeps): void {
  const service = deps.deviceManagement;
  const userName = (id: string) => deps.users.get(id)?.name;
  app.get('/Devices', { schema: { querystring: ListQuery } }, async (req) => {
    const userId = req.query.UserId?.replace(/-/g, '').toLowerCase();
    const items = service.list(caller(req), userId).map((d) => toDeviceInfo(d, userName));
    return { Items: items, TotalRecordCount: items.length };
  });
  app.get('/Devices/Info', { schema: { querystring: DeviceIdQuery } }, async (req) =>
    toDeviceInfo(service.get(caller(req), req.query.Id), userName),
  );
  app.get('/Devices/Options', { schema: { querystring: DeviceIdQuery } }, async (req) => ({
    CustomName: service.get(caller(req), req.query.Id).customName ?? undefined,
  }));
  app.post('/Devices/Options', { schema: { querystring: DeviceIdQuery, body: DeviceOptions } }, async (req, reply) => {
    service.rename(caller(req), req.query.Id, req.body.CustomName ?? undefined);
    return reply.status(204).send();
  });
  app.delete('/Devices', { schema: { querystring: DeviceIdQuery } }, async (req, reply) => {
    service.remove(caller(req), req.query.Id);
    return reply.status(204).send();
  });
}
