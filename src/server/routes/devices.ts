import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { notFound } from '../http/errors.js';
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

export function registerDeviceRoutes(app: Api, deps: AppDeps): void {
  const userName = (id: string) => deps.users.get(id)?.name;
  app.get('/Devices', { config: { auth: 'admin' }, schema: { querystring: ListQuery } }, async (req) => {
    const { UserId } = req.query;
    const list = UserId ? deps.devices.listForUser(UserId.replace(/-/g, '').toLowerCase()) : deps.devices.list();
    const items = list.map((d) => toDeviceInfo(d, userName));
    return { Items: items, TotalRecordCount: items.length };
  });
  app.get('/Devices/Info', { config: { auth: 'admin' }, schema: { querystring: DeviceIdQuery } }, async (req) => {
    const d = deps.devices.get(req.query.Id);
    if (!d) throw notFound('Device not found');
    return toDeviceInfo(d, userName);
  });
  app.delete('/Devices', { config: { auth: 'admin' }, schema: { querystring: DeviceIdQuery } }, async (req, reply) => {
    const id = req.query.Id;
    if (!deps.devices.get(id)) throw notFound('Device not found');
    deps.devices.delete(id);
    return reply.status(204).send();
  });
}
