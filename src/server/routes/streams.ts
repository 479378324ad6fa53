import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { forbidden, notFound } from '../http/errors.js';
import { contentTypeFor, sendFileWithRange, strongEtag } from '../http/rangeResponse.js';
import { bareFileName, hasMediaFile } from '../library/itemDto.js';
import { visibleItem } from './libraryAccess.js';

const streamParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64 }, container: { type: 'string', maxLength: 16 } },
} as const;

/**
 * Stream options Emby clients send. We always serve the original file (`Static=true` semantics):
 * conversion happens in sync jobs, not on the fly.
 */
const streamQuery = {
  type: 'object',
  properties: {
    Static: { type: 'boolean' },
    MediaSourceId: { type: 'string', maxLength: 64 },
    DeviceId: { type: 'string', maxLength: 256 },
    PlaySessionId: { type: 'string', maxLength: 128 },
    Container: { type: 'string', maxLength: 64 },
    AudioCodec: { type: 'string', maxLength: 64 },
    VideoCodec: { type: 'string', maxLength: 64 },
    AudioStreamIndex: { type: 'integer' },
    SubtitleStreamIndex: { type: 'integer' },
    StartTimeTicks: { type: 'number', minimum: 0 },
    Tag: { type: 'string', maxLength: 128 },
    api_key: { type: 'string', maxLength: 256 },
  },
} as const;

export function registerStreamRoutes(app: FastifyInstance, deps: AppDeps): void {
  const serveOriginal = (download: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const user = caller(req).user;
    if (download && !user.policy.EnableContentDownloading) throw forbidden('Downloading is not enabled for this user');
    const item = visibleItem(deps, user.id, (req.params as { id: string }).id);
    if (!hasMediaFile(item)) throw notFound('This item has no media file');
    const file = item.path!;
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      throw notFound('The media file is missing');
    }
    if (!stat.isFile()) throw notFound('The media file is missing');
    return sendFileWithRange(req, reply, {
      path: file,
      size: stat.size,
      etag: strongEtag(item.id, stat.size, Math.floor(stat.mtimeMs)),
      contentType: contentTypeFor(item.container ?? path.extname(file), item.media_type),
      lastModified: stat.mtime,
      downloadName: download ? bareFileName(file) : undefined,
    });
  };

  // GET also answers HEAD (Fastify's exposeHeadRoutes): same headers, no body.
  const opts = { schema: { params: streamParams, querystring: streamQuery } };
  for (const kind of ['Videos', 'Audio']) {
    app.get(`/${kind}/:id/stream`, opts, serveOriginal(false));
    app.get(`/${kind}/:id/stream.:container`, opts, serveOriginal(false));
  }
  app.get('/Items/:id/Download', opts, serveOriginal(true));
}
