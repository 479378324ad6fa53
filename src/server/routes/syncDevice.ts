/**
 * A device's reconciliation with the server (API.md §5.10, §5.12, §3 "Cancel items on a target"): what it
 * holds versus what it should, the plays made offline, and removing items from it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Api, AppDeps } from '../appDeps.js';
import { badRequest } from '../errors.js';
import { caller } from '../http/authPlugin.js';
import { CancelOnTarget, OfflineActions, SyncDataRequest, TargetParams } from './syncSchemas.js';

export function registerSyncDeviceRoutes(app: Api, deps: AppDeps): void {
  const { reconcile, jobs } = deps.sync;

  app.post('/Sync/Data', { schema: { body: SyncDataRequest } }, async (req) => reconcile.syncData(caller(req), req.body));

  app.post('/Sync/OfflineActions', { schema: { body: OfflineActions } }, async (req, reply) => {
    reconcile.offlineActions(caller(req), req.body);
    return reply.status(204).send();
  });

  const cancel = (req: FastifyRequest, reply: FastifyReply, input: { TargetId?: string; ItemIds?: string[] }, targetId?: string) => {
    const target = targetId ?? input.TargetId;
    if (!target) throw badRequest('TargetId is required');
    jobs.cancelItemsOnTarget(caller(req), target, input.ItemIds ?? []);
    return reply.status(204).send();
  };
  app.delete('/Sync/:targetId/Items', { schema: { params: TargetParams, querystring: CancelOnTarget } }, async (req, reply) =>
    cancel(req, reply, req.query, req.params.targetId),
  );
  app.post(
    '/Sync/:targetId/Items/Delete',
    { schema: { params: TargetParams, querystring: CancelOnTarget, body: CancelOnTarget } },
    async (req, reply) => cancel(req, reply, req.body, req.params.targetId),
  );
  app.post('/Sync/Items/Cancel', { schema: { querystring: CancelOnTarget, body: CancelOnTarget } }, async (req, reply) =>
    cancel(req, reply, req.body),
  );
}
