import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { Id } from '../http/schemas.js';
import type { DeviceInfo } from '../../shared/api/users.js';
import type { DeviceRecord } from '../auth/devicesRepo.js';

export function toDeviceInfo(d: DeviceRecord, userName: (id: string) => string | undefined): DeviceInfo {
  return {
    Id: d.id,
    Name: d.name,
    AppName: d.appName ?? undefined,
    AppVersion: d.appVersion ?? undefined,
    LastUserId: d.lastUserId ?? undefined,
    LastUserName: d.lastUserId ? userName(d.lastUserId) : undefined,
    DateLastActivity: d.dateLastActivity,
    Capabilities: d.capabilities ?? undefined,
  };
}

const ListQuery = Type.Object({ UserId: Type.Optional(Id) });
const DeviceIdQuery = Type.Object({ Id: Type.String({ minLength: 1, maxLength: 256 }) });

/** Administrators' device list (API.md §2); routes over `DevicesService`. */
export function registerDeviceRoutes(app: Api, deps: AppDeps): void {
  const { devicesService: devices, usersService: users } = deps;
  const userName = (id: string) => users.nameOf(id);
  app.get('/Devices', { config: { auth: 'admin' }, schema: { querystring: ListQuery } }, async (req) => {
    const items = devices.list(req.query.UserId).map((d) => toDeviceInfo(d, userName));
    return { Items: items, TotalRecordCount: items.length };
  });
  app.get('/Devices/Info', { config: { auth: 'admin' }, schema: { querystring: DeviceIdQuery } }, async (req) =>
    toDeviceInfo(devices.info(req.query.Id), userName),
  );
  app.delete('/Devices', { config: { auth: 'admin' }, schema: { querystring: DeviceIdQuery } }, async (req, reply) => {
    devices.delete(req.query.Id);
    return reply.status(204).send();
  });
}
