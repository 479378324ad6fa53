import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { badRequest, notFound } from '../http/errors.js';
import { normalizeId } from '../ids.js';
import { clampLimit, dtoContext, idList, libraryUser, visibleItem } from './libraryAccess.js';

const csv = { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 10_000 } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;

const createCollectionBody = {
  type: 'object',
  properties: {
    Name: { type: 'string', maxLength: 256 },
    Ids: csv,
    ParentId: { type: 'string', maxLength: 64 },
    IsLocked: { type: 'boolean' },
  },
} as const;
const createPlaylistBody = {
  type: 'object',
  properties: {
    Name: { type: 'string', maxLength: 256 },
    Ids: csv,
    UserId: { type: 'string', maxLength: 64 },
    MediaType: { type: 'string', maxLength: 32 },
  },
} as const;
const idsQuery = { type: 'object', properties: { Ids: csv, UserId: { type: 'string', maxLength: 64 } } } as const;
const entryIdsQuery = { type: 'object', properties: { EntryIds: csv } } as const;
const playlistItemsQuery = {
  type: 'object',
  properties: {
    UserId: { type: 'string', maxLength: 64 },
    StartIndex: { type: 'integer', minimum: 0, maximum: 1e9 },
    Limit: { type: 'integer', minimum: 0, maximum: 1e6 },
    Fields: csv,
    EnableImages: { type: 'boolean' },
    EnableUserData: { type: 'boolean' },
    ImageTypeLimit: { type: 'integer' },
    EnableImageTypes: csv,
  },
} as const;
const moveParams = {
  type: 'object',
  required: ['id', 'entryId', 'newIndex'],
  properties: {
    id: { type: 'string', maxLength: 64 },
    entryId: { type: 'string', maxLength: 64 },
    newIndex: { type: 'integer', minimum: 0, maximum: 1e6 },
  },
} as const;

/** Ids that must all name items: a malformed one is a bad argument, not a silent drop. */
function requiredIds(raw: readonly string[] | undefined): string[] {
  const ids = idList(raw) ?? [];
  if (ids.length !== (raw?.length ?? 0)) throw badRequest('Ids must be item ids');
  return ids;
}

function folderId(raw: string): string {
  const id = normalizeId(raw);
  if (!id) throw notFound('Item not found');
  return id;
}

export function registerCollectionRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { collections } = deps;

  app.post('/Collections', { schema: { body: createCollectionBody } }, async (req) => {
    const body = req.body as { Name?: string; Ids?: string[] };
    if (!body.Name?.trim()) throw badRequest('Name is required');
    const id = collections.create({ type: 'BoxSet', name: body.Name, owner: caller(req).user, itemIds: requiredIds(body.Ids) });
    return { Id: id };
  });
  app.post('/Collections/:id/Items', { schema: { params: idParams, querystring: idsQuery } }, async (req, reply) => {
    const ids = requiredIds((req.query as { Ids?: string[] }).Ids);
    collections.addItems(caller(req).user, folderId((req.params as { id: string }).id), 'BoxSet', ids);
    return reply.status(204).send();
  });
  const removeFromCollection = async (req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    const ids = requiredIds((req.query as { Ids?: string[] }).Ids);
    collections.removeItems(caller(req).user, folderId((req.params as { id: string }).id), ids);
    return reply.status(204).send();
  };
  app.delete('/Collections/:id/Items', { schema: { params: idParams, querystring: idsQuery } }, removeFromCollection);
  app.post('/Collections/:id/Items/Delete', { schema: { params: idParams, querystring: idsQuery } }, removeFromCollection);

  app.post('/Playlists', { schema: { body: createPlaylistBody } }, async (req) => {
    const body = req.body as { Name?: string; Ids?: string[]; UserId?: string; MediaType?: string };
    if (!body.Name?.trim()) throw badRequest('Name is required');
    const owner = libraryUser(deps, req, body.UserId);
    const id = collections.create({
      type: 'Playlist',
      name: body.Name,
      owner,
      itemIds: requiredIds(body.Ids),
      mediaType: body.MediaType,
    });
    return { Id: id };
  });

  app.get('/Playlists/:id/Items', { schema: { params: idParams, querystring: playlistItemsQuery } }, async (req) => {
    const q = req.query as { UserId?: string; StartIndex?: number; Limit?: number; Fields?: string[] };
    const user = libraryUser(deps, req, q.UserId);
    const playlist = visibleItem(deps, user.id, (req.params as { id: string }).id);
    if (playlist.type !== 'Playlist') throw notFound('Playlist not found');
    const { rows, total } = deps.items.query({
      userId: user.id,
      parentId: playlist.id,
      startIndex: q.StartIndex,
      limit: clampLimit(q.Limit),
    });
    return { Items: deps.itemDtos.toDtos(rows, dtoContext(req, user, q.Fields)), TotalRecordCount: total, StartIndex: q.StartIndex ?? 0 };
  });
  app.post('/Playlists/:id/Items', { schema: { params: idParams, querystring: idsQuery } }, async (req, reply) => {
    const q = req.query as { Ids?: string[]; UserId?: string };
    const user = libraryUser(deps, req, q.UserId);
    collections.addItems(user, folderId((req.params as { id: string }).id), 'Playlist', requiredIds(q.Ids));
    return reply.status(204).send();
  });
  app.delete('/Playlists/:id/Items', { schema: { params: idParams, querystring: entryIdsQuery } }, async (req, reply) => {
    const entryIds = idList((req.query as { EntryIds?: string[] }).EntryIds) ?? [];
    collections.removeEntries(caller(req).user, folderId((req.params as { id: string }).id), entryIds);
    return reply.status(204).send();
  });
  app.post('/Playlists/:id/Items/:entryId/Move/:newIndex', { schema: { params: moveParams } }, async (req, reply) => {
    const p = req.params as { id: string; entryId: string; newIndex: number };
    const entryId = normalizeId(p.entryId);
    if (!entryId) throw notFound('Playlist entry not found');
    collections.moveEntry(caller(req).user, folderId(p.id), entryId, p.newIndex);
    return reply.status(204).send();
  });
}
