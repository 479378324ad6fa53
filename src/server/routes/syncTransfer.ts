/**
 * Getting files onto the device (API.md §3, §9.3): what is ready, the files with Range/If-Range/ETag at the
 * shared bandwidth budget, their block digests, and the acknowledgement. The item's Transferring state
 * while bytes flow is the Transfer service's; this page maps it onto HTTP.
 */
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { DEFAULT_BLOCK_SIZE, MAX_BLOCK_SIZE, MIN_BLOCK_SIZE } from '../convert/blockHashes.js';
import { caller } from '../http/authPlugin.js';
import { contentTypeFor, parseRange, sendFileWithRange, strongEtag } from '../http/rangeResponse.js';
import { SharedRateLimiter } from '../http/rateLimit.js';
import type { ServedFile } from '../sync/transfer.js';
import { IdParams } from '../http/schemas.js';
import { AdditionalFileQuery, ReadyQuery } from './syncSchemas.js';

const BlocksQuery = Type.Object({
  BlockSize: Type.Optional(Type.Integer({ minimum: MIN_BLOCK_SIZE, maximum: MAX_BLOCK_SIZE, multipleOf: MIN_BLOCK_SIZE })),
});

/** The one ETag scheme of served files (`http/rangeResponse.ts`): content identity, size and time. */
const etagOf = (f: ServedFile) => strongEtag(f.identity, f.size, Math.floor(f.mtimeMs));

export function registerSyncTransferRoutes(app: Api, deps: AppDeps): void {
  const { transfer } = deps.sync;
  // One bandwidth budget for every sync download, following the setting without a restart (API.md §5.13).
  const limiter = new SharedRateLimiter(deps.syncSettings.get().UploadSpeedLimitBytes);
  deps.onClose.push(deps.syncSettings.onChange((o) => limiter.setRate(o.UploadSpeedLimitBytes)));

  const send = async (req: FastifyRequest, reply: FastifyReply, id: string, subtitleName?: string) => {
    const { file, item } = await transfer.file(caller(req), id, subtitleName);
    // A GET of the media is a download the item's state follows; HEAD and subtitles are not.
    const range = parseRange(req.headers.range, file.size);
    const watch =
      file.kind === 'media' && req.method === 'GET'
        ? transfer.watchDownload(item, range.kind === 'range' ? range.start : 0, file.size)
        : undefined;
    if (watch) {
      reply.raw.on('close', () => {
        // An event handler: a throw here (the database already closed at shutdown) would kill the process.
        try {
          watch.closed(reply.raw.writableFinished);
        } catch (err) {
          req.log.warn({ err, item: item.id }, 'could not record the end of a download');
        }
      });
    }
    return sendFileWithRange(req, reply, {
      path: file.path,
      size: file.size,
      etag: etagOf(file),
      contentType: file.kind === 'subtitles' ? 'text/vtt; charset=utf-8' : contentTypeFor(path.extname(file.path).slice(1)),
      limiter,
      onBytes: watch?.onBytes,
    });
  };
  app.get('/Sync/JobItems/:id/File', { schema: { params: IdParams } }, (req, reply) => send(req, reply, req.params.id));
  app.get('/Sync/JobItems/:id/AdditionalFiles', { schema: { params: IdParams, querystring: AdditionalFileQuery } }, (req, reply) =>
    send(req, reply, req.params.id, req.query.Name),
  );

  // Per-block SHA-256 of the media file, so a client checks each chunk as it lands (README "Integrity").
  app.get('/Sync/JobItems/:id/Blocks', { schema: { params: IdParams, querystring: BlocksQuery } }, async (req) => {
    const blockSize = req.query.BlockSize ?? DEFAULT_BLOCK_SIZE;
    const { file, digests } = await transfer.blocks(caller(req), req.params.id, blockSize);
    const blocks: string[] = [];
    for (let i = 0; i < digests.length; i += 32) blocks.push(digests.toString('hex', i, i + 32));
    return { Size: file.size, BlockSize: blockSize, ETag: etagOf(file), Blocks: blocks };
  });

  app.post('/Sync/JobItems/:id/Transferred', { schema: { params: IdParams } }, async (req, reply) => {
    transfer.transferred(caller(req), req.params.id);
    return reply.status(204).send();
  });

  app.get('/Sync/Items/Ready', { schema: { querystring: ReadyQuery } }, async (req) =>
    transfer.readyItems(caller(req), req.query.TargetId),
  );
}
