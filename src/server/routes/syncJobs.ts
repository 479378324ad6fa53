/** Sync jobs and their items (API.md §3): targets, dialog options, create, list, edit, delete, item actions. */
import type { FastifyReply } from 'fastify';
import type { Api, AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { IdParams } from '../http/schemas.js';
import { JobItemsQuery, JobRequest, JobsQuery, JobUpdate, OptionsQuery, parseCategory, TargetsQuery } from './syncSchemas.js';

const noContent = (reply: FastifyReply) => reply.status(204).send();

export function registerSyncJobRoutes(app: Api, deps: AppDeps): void {
  const { dialog, jobs, views } = deps.sync;

  app.get('/Sync/Targets', { schema: { querystring: TargetsQuery } }, async (req) => dialog.targetsFor(caller(req), req.query.UserId));

  app.get('/Sync/Options', { schema: { querystring: OptionsQuery } }, async (req) =>
    dialog.options(caller(req), { ...req.query, Category: parseCategory(req.query.Category) }),
  );

  app.post('/Sync/Jobs', { schema: { body: JobRequest } }, async (req) =>
    jobs.createJob(caller(req), { ...req.body, Category: parseCategory(req.body.Category) }),
  );
  app.get('/Sync/Jobs', { schema: { querystring: JobsQuery } }, async (req) => views.listJobs(caller(req), req.query));
  app.get('/Sync/Jobs/:id', { schema: { params: IdParams } }, async (req) => views.getJob(caller(req), req.params.id));
  app.post('/Sync/Jobs/:id', { schema: { params: IdParams, body: JobUpdate } }, async (req, reply) => {
    jobs.updateJob(caller(req), req.params.id, req.body);
    return noContent(reply);
  });
  for (const [method, url] of [
    ['DELETE', '/Sync/Jobs/:id'],
    ['POST', '/Sync/Jobs/:id/Delete'],
  ] as const) {
    app.route({
      method,
      url,
      schema: { params: IdParams },
      handler: async (req, reply) => {
        jobs.deleteJob(caller(req), req.params.id);
        return noContent(reply);
      },
    });
  }

  app.get('/Sync/JobItems', { schema: { querystring: JobItemsQuery } }, async (req) => views.listJobItems(caller(req), req.query));
  const itemActions = [
    ['DELETE', '/Sync/JobItems/:id', jobs.cancelItem],
    ['POST', '/Sync/JobItems/:id/MarkForRemoval', jobs.cancelItem],
    ['POST', '/Sync/JobItems/:id/Delete', jobs.cancelItem],
    ['POST', '/Sync/JobItems/:id/UnmarkForRemoval', jobs.unmarkItem],
    ['POST', '/Sync/JobItems/:id/Enable', jobs.enableItem],
  ] as const;
  for (const [method, url, action] of itemActions) {
    app.route({
      method,
      url,
      schema: { params: IdParams },
      handler: async (req, reply) => {
        action.call(jobs, caller(req), req.params.id);
        return noContent(reply);
      },
    });
  }
}
