import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.js';
import { notFound } from '../http/errors.js';
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

export function registerDeviceRoutes(app: FastifyInstance, deps: AppDeps): void {
  const userName = (id: string) => deps.users.get(id)?.name;
  app.get(
    '/Devices',
    { config: { auth: 'admin' }, schema: { querystring: { type: 'object', properties: { UserId: { type: 'string', maxLength: 64 } } } } },
    async (req) => {
      const { UserId } = req.query as { UserId?: string };
      const list = UserId ? deps.devices.listForUser(UserId.replace(/-/g, '').toLowerCase()) : deps.devices.list();
      const items = list.map((d) => toDeviceInfo(d, userName));
      return { Items: items, TotalRecordCount: items.length };
    },
  );
  const idQuery = { type: 'object', required: ['Id'], properties: { Id: { type: 'string', minLength: 1, maxLength: 256 } } } as const;
  app.get('/Devices/Info', { config: { auth: 'admin' }, schema: { querystring: idQuery } }, async (req) => {
    const d = deps.devices.get((req.query as { Id: string }).Id);
    if (!d) throw notFound('Device not found');
    return toDeviceInfo(d, userName);
  });
  app.delete('/Devices', { config: { auth: 'admin' }, schema: { querystring: idQuery } }, async (req, reply) => {
    const id = (req.query as { Id: string }).Id;
    if (!deps.devices.get(id)) throw notFound('Device not found');
    deps.devices.delete(id);
    return reply.status(204).send();
  });
}
