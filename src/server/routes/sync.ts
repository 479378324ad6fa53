import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { BlockHashService, DEFAULT_BLOCK_SIZE, FileChangedError, MAX_BLOCK_SIZE, MIN_BLOCK_SIZE } from '../convert/blockHashes.js';
import { SharedRateLimiter } from '../http/rateLimit.js';
import { contentTypeFor, parseRange, sendFileWithRange } from '../http/rangeResponse.js';
import { parseEnum, SYNC_CATEGORIES, type SyncCategory, type UserAction } from '../../shared/api/sync.js';
import { transferProgress } from '../../shared/jobStatus.js';
import fs from 'node:fs';
import path from 'node:path';

const str = { type: 'string', maxLength: 256 } as const;
const ids = { type: 'array', items: { type: 'string', maxLength: 256 }, maxItems: 10000 } as const;
const int = (min: number, max = 1e9) => ({ type: 'integer', minimum: min, maximum: max }) as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;
const targetParams = { type: 'object', required: ['targetId'], properties: { targetId: { type: 'string', maxLength: 256 } } } as const;
// Categories and qualities arrive by name in any case or by number (API.md §1): normalised in the handler.
const enumish = { anyOf: [{ type: 'string', maxLength: 64 }, { type: 'integer' }] } as const;

function category(value: unknown): SyncCategory | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const c = parseEnum(SYNC_CATEGORIES, value);
  if (!c) throw badRequest(`Unknown Category "${String(value)}"`);
  return c;
}

const jobRequestProps = {
  TargetId: str,
  ItemIds: ids,
  Category: enumish,
  ParentId: str,
  Quality: str,
  Profile: str,
  Name: { type: 'string', maxLength: 256 },
  UserId: str,
  UnwatchedOnly: { type: 'boolean' },
  SyncNewContent: { type: 'boolean' },
  ItemLimit: int(0),
  Bitrate: int(0, 1e10),
} as const;

export function registerSyncRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { sync, reconcile } = deps;

  app.get('/Sync/Targets', { schema: { querystring: { type: 'object', properties: { UserId: str } } } }, async (req) => {
    const q = req.query as { UserId?: string };
    const me = caller(req);
    const userId = q.UserId ? q.UserId.replace(/-/g, '').toLowerCase() : me.user.id;
    if (userId !== me.user.id && !me.user.policy.IsAdministrator) throw forbidden('You may only list your own targets');
    return sync.targets(userId);
  });

  app.get(
    '/Sync/Options',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            UserId: str,
            ItemIds: ids,
            ParentId: str,
            TargetId: str,
            Category: enumish,
            UnwatchedOnly: { type: 'boolean' },
            ItemLimit: int(0),
            Bitrate: int(0, 1e10),
          },
        },
      },
    },
    async (req) => {
      const q = req.query as Record<string, any>;
      return sync.options(caller(req), { ...q, Category: category(q.Category) });
    },
  );

  app.post('/Sync/Jobs', { schema: { body: { type: 'object', properties: jobRequestProps } } }, async (req) => {
    const b = req.body as Record<string, any>;
    return sync.createJob(caller(req), { ...b, Category: category(b.Category) });
  });

  app.get(
    '/Sync/Jobs',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            StartIndex: int(0),
            Limit: int(0, 100000),
            TargetId: str,
            UserId: str,
            ExcludeTargetIds: ids,
            ItemId: str,
            Statuses: ids,
            SyncNewContent: { type: 'boolean' },
          },
        },
      },
    },
    async (req) => sync.listJobs(caller(req), req.query as any),
  );

  app.get('/Sync/Jobs/:id', { schema: { params: idParams } }, async (req) => sync.getJob(caller(req), (req.params as { id: string }).id));

  app.post(
    '/Sync/Jobs/:id',
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          properties: {
            Name: { type: 'string', maxLength: 256 },
            Quality: str,
            Bitrate: { anyOf: [int(0, 1e10), { type: 'null' }] },
            Profile: str,
            UnwatchedOnly: { type: 'boolean' },
            SyncNewContent: { type: 'boolean' },
            ItemLimit: { anyOf: [int(0), { type: 'null' }] },
          },
        },
      },
    },
    async (req, reply) => {
      sync.updateJob(caller(req), (req.params as { id: string }).id, req.body as any);
      return reply.status(204).send();
    },
  );

  const deleteJob = async (req: FastifyRequest, reply: FastifyReply) => {
    sync.deleteJob(caller(req), (req.params as { id: string }).id);
    return reply.status(204).send();
  };
  app.delete('/Sync/Jobs/:id', { schema: { params: idParams } }, deleteJob);
  app.post('/Sync/Jobs/:id/Delete', { schema: { params: idParams } }, deleteJob);

  app.get(
    '/Sync/JobItems',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            StartIndex: int(0),
            Limit: int(0, 100000),
            JobId: str,
            ItemId: str,
            TargetId: str,
            Statuses: ids,
            AddMetadata: { type: 'boolean' },
          },
        },
      },
    },
    async (req) => sync.listJobItems(caller(req), req.query as any),
  );

  const cancelItem = async (req: FastifyRequest, reply: FastifyReply) => {
    sync.cancelItem(caller(req), (req.params as { id: string }).id);
    return reply.status(204).send();
  };
  app.delete('/Sync/JobItems/:id', { schema: { params: idParams } }, cancelItem);
  app.post('/Sync/JobItems/:id/MarkForRemoval', { schema: { params: idParams } }, cancelItem);
  app.post('/Sync/JobItems/:id/Delete', { schema: { params: idParams } }, cancelItem);
  app.post('/Sync/JobItems/:id/UnmarkForRemoval', { schema: { params: idParams } }, async (req, reply) => {
    sync.unmarkItem(caller(req), (req.params as { id: string }).id);
    return reply.status(204).send();
  });
  app.post('/Sync/JobItems/:id/Enable', { schema: { params: idParams } }, async (req, reply) => {
    sync.enableItem(caller(req), (req.params as { id: string }).id);
    return reply.status(204).send();
  });
  app.post('/Sync/JobItems/:id/Transferred', { schema: { params: idParams } }, async (req, reply) => {
    sync.transferred(caller(req), (req.params as { id: string }).id);
    return reply.status(204).send();
  });

  // One bandwidth budget for every sync download, following the setting without a restart (API.md §5.13).
  const limiter = new SharedRateLimiter(deps.syncSettings.get().UploadSpeedLimitBytes);
  deps.onClose.push(deps.syncSettings.onChange((o) => limiter.setRate(o.UploadSpeedLimitBytes)));

  // Downloads: Range/If-Range/ETag (API.md §9.3); the item is Transferring while bytes flow.
  const serveFile = async (req: FastifyRequest, reply: FastifyReply, additional: boolean) => {
    const id = (req.params as { id: string }).id;
    const name = additional ? (req.query as { Name?: string }).Name : undefined;
    if (additional && !name) throw badRequest('Name is required');
    const { item, job, filePath } = sync.fileFor(caller(req), id, name);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(filePath);
    } catch {
      if (!additional) sync.requeueMissing(item, job);
      throw notFound('The file is gone; the item was queued again');
    }
    const etag = fileEtag(item, stat);
    const isMedia = !additional && req.method === 'GET';
    if (isMedia) sync.transferStarted(item, job);
    let last = 0;
    let sent = 0;
    const range = parseRange(req.headers.range, stat.size);
    const start = range.kind === 'range' ? range.start : 0;
    if (isMedia) {
      // A download that breaks off puts the item back to ReadyToTransfer (API.md §3 "File").
      reply.raw.on('close', () => {
        if (reply.raw.writableFinished) return;
        // An event handler: a throw here (the database already closed at shutdown) would kill the process.
        try {
          sync.transferAborted(item.id);
        } catch (err) {
          req.log.warn({ err, item: item.id }, 'could not record the aborted download');
        }
      });
    }
    await sendFileWithRange(req, reply, {
      path: filePath,
      size: stat.size,
      etag,
      contentType: additional ? 'text/vtt; charset=utf-8' : contentTypeFor(path.extname(filePath).slice(1)),
      limiter,
      onBytes: isMedia
        ? (n) => {
            sent += n;
            const now = Date.now();
            if (now - last > 2000) {
              last = now;
              sync.transferProgress(item.id, transferProgress(start + sent, stat.size));
            }
          }
        : undefined,
    });
    return reply;
  };
  const nameQuery = { type: 'object', properties: { Name: { type: 'string', maxLength: 512 } } } as const;

  // Per-block SHA-256 of the media file, so a client checks each chunk as it lands (README "Integrity").
  const blockHashes = new BlockHashService(path.join(deps.config.dataDir, 'cache', 'block-digests'));
  app.get(
    '/Sync/JobItems/:id/Blocks',
    {
      schema: {
        params: idParams,
        querystring: {
          type: 'object',
          properties: { BlockSize: { type: 'integer', minimum: MIN_BLOCK_SIZE, maximum: MAX_BLOCK_SIZE, multipleOf: MIN_BLOCK_SIZE } },
        },
      },
    },
    async (req) => {
      const blockSize = (req.query as { BlockSize?: number }).BlockSize ?? DEFAULT_BLOCK_SIZE;
      const { item, job, filePath, cacheDir } = sync.fileFor(caller(req), (req.params as { id: string }).id);
      let stat: fs.Stats;
      try {
        stat = await fs.promises.stat(filePath);
      } catch {
        sync.requeueMissing(item, job);
        throw notFound('The file is gone; the item was queued again');
      }
      let digests: Buffer;
      try {
        digests = await blockHashes.get({ path: filePath, size: stat.size, mtimeMs: stat.mtimeMs, cacheDir }, blockSize);
      } catch (err) {
        if (err instanceof FileChangedError) throw conflict('The file changed while it was read; ask again');
        throw err;
      }
      const blocks: string[] = [];
      for (let i = 0; i < digests.length; i += 32) blocks.push(digests.toString('hex', i, i + 32));
      return { Size: stat.size, BlockSize: blockSize, ETag: fileEtag(item, stat), Blocks: blocks };
    },
  );
  app.get('/Sync/JobItems/:id/File', { schema: { params: idParams } }, (req, reply) => serveFile(req, reply, false));
  app.get('/Sync/JobItems/:id/AdditionalFiles', { schema: { params: idParams, querystring: nameQuery } }, (req, reply) =>
    serveFile(req, reply, true),
  );

  app.get(
    '/Sync/Items/Ready',
    { schema: { querystring: { type: 'object', required: ['TargetId'], properties: { TargetId: str } } } },
    async (req) => sync.readyItems(caller(req), (req.query as { TargetId: string }).TargetId),
  );

  app.post(
    '/Sync/Data',
    {
      schema: {
        body: {
          type: 'object',
          required: ['TargetId'],
          properties: { TargetId: str, LocalItemIds: ids, OfflineUserIds: ids, SyncJobItemIds: ids },
        },
      },
    },
    async (req) => reconcile.syncData(caller(req), req.body as any),
  );

  app.post(
    '/Sync/OfflineActions',
    {
      schema: {
        body: {
          type: 'array',
          maxItems: 10000,
          items: {
            type: 'object',
            required: ['Id', 'ItemId', 'Date'],
            properties: {
              Id: { type: 'string', minLength: 1, maxLength: 128 },
              ServerId: str,
              UserId: str,
              ItemId: str,
              Type: enumish,
              Date: { type: 'string', maxLength: 64 },
              PositionTicks: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }] },
            },
          },
        },
      },
    },
    async (req, reply) => {
      reconcile.offlineActions(caller(req), req.body as UserAction[]);
      return reply.status(204).send();
    },
  );

  const cancelOnTarget = async (req: FastifyRequest, reply: FastifyReply) => {
    const params = req.params as { targetId?: string };
    const input = { ...(req.query as object), ...((req.body as object | undefined) ?? {}) } as {
      TargetId?: string;
      ItemIds?: string[] | string;
    };
    const targetId = params.targetId ?? input.TargetId;
    if (!targetId) throw badRequest('TargetId is required');
    const itemIds = typeof input.ItemIds === 'string' ? input.ItemIds.split(',').filter(Boolean) : (input.ItemIds ?? []);
    sync.cancelItemsOnTarget(caller(req), targetId, itemIds);
    return reply.status(204).send();
  };
  const cancelSchema = { type: 'object', properties: { TargetId: str, ItemIds: ids } } as const;
  app.delete('/Sync/:targetId/Items', { schema: { params: targetParams, querystring: cancelSchema } }, cancelOnTarget);
  app.post(
    '/Sync/:targetId/Items/Delete',
    { schema: { params: targetParams, querystring: cancelSchema, body: cancelSchema } },
    cancelOnTarget,
  );
  app.post('/Sync/Items/Cancel', { schema: { querystring: cancelSchema, body: cancelSchema } }, cancelOnTarget);

  app.get('/System/Configuration/sync', { config: { auth: 'admin' } }, async () => deps.syncSettings.get());
  app.post(
    '/System/Configuration/sync',
    {
      config: { auth: 'admin' },
      schema: {
        body: {
          type: 'object',
          properties: {
            TemporaryPath: { anyOf: [{ type: 'string', maxLength: 4096 }, { type: 'null' }] },
            UploadSpeedLimitBytes: { type: 'integer', minimum: 0 },
            TranscodingCpuCoreLimit: { type: 'integer', minimum: 0, maximum: 8 },
            EnableFullSpeedTranscoding: { type: 'boolean' },
            MaxConcurrentConversions: { type: 'integer', minimum: 1, maximum: 16 },
          },
        },
      },
    },
    async (req, reply) => {
      deps.syncSettings.update(req.body);
      return reply.status(204).send();
    },
  );
}

/** Strong ETag of a served file: its content identity plus size and time, so any change shows. */
function fileEtag(item: { sha256: string | null; outputKey: string | null; id: string }, stat: fs.Stats): string {
  return `"${(item.sha256 ?? item.outputKey ?? item.id).slice(0, 32)}-${stat.size}-${Math.floor(stat.mtimeMs)}"`;
}
