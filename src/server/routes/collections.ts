/** Box sets and playlists: each route is its schema and one `CollectionsService` (or browser) call. */
import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { CsvStrings, Id, IdParams, Paging } from '../http/schemas.js';
import { clampLimit } from './libraryAccess.js';

const Name = Type.Optional(Type.String({ maxLength: 256 }));
const Ids = Type.Optional(CsvStrings);
const UserId = Type.Optional(Id);

const CreateCollectionBody = Type.Object({ Name, Ids, ParentId: Type.Optional(Id), IsLocked: Type.Optional(Type.Boolean()) });
const CreatePlaylistBody = Type.Object({ Name, Ids, UserId, MediaType: Type.Optional(Type.String({ maxLength: 32 })) });
const IdsQuery = Type.Object({ Ids, UserId });
const EntryIdsQuery = Type.Object({ EntryIds: Ids });
const PlaylistItemsQuery = Type.Object({
  UserId,
  ...Paging,
  Fields: Ids,
  EnableImages: Type.Optional(Type.Boolean()),
  EnableUserData: Type.Optional(Type.Boolean()),
  ImageTypeLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  EnableImageTypes: Ids,
});
const MoveParams = Type.Object({ id: Id, entryId: Id, newIndex: Type.Integer({ minimum: 0, maximum: 1e6 }) });

export function registerCollectionRoutes(app: Api, deps: AppDeps): void {
  const { collections } = deps;
  const folderItems = { schema: { params: IdParams, querystring: IdsQuery } };

  app.post('/Collections', { schema: { body: CreateCollectionBody } }, async (req) => ({
    Id: collections.createBoxSet(caller(req), req.body.Name, req.body.Ids),
  }));
  app.post('/Collections/:id/Items', folderItems, async (req, reply) => {
    collections.addItems(caller(req), undefined, req.params.id, 'BoxSet', req.query.Ids);
    return reply.status(204).send();
  });
  for (const [method, url] of [
    ['DELETE', '/Collections/:id/Items'],
    ['POST', '/Collections/:id/Items/Delete'],
  ] as const) {
    app.route({
      method,
      url,
      ...folderItems,
      handler: async (req, reply) => {
        collections.removeItems(caller(req), req.params.id, req.query.Ids);
        return reply.status(204).send();
      },
    });
  }

  app.post('/Playlists', { schema: { body: CreatePlaylistBody } }, async (req) => ({
    Id: collections.createPlaylist(caller(req), req.body.UserId, {
      name: req.body.Name,
      itemIds: req.body.Ids,
      mediaType: req.body.MediaType,
    }),
  }));
  app.get('/Playlists/:id/Items', { schema: { params: IdParams, querystring: PlaylistItemsQuery } }, async (req) => {
    const q = req.query;
    const page = { startIndex: q.StartIndex, limit: clampLimit(q.Limit), fields: q.Fields };
    return deps.libraryBrowser.playlistItems(caller(req), q.UserId, req.params.id, page);
  });
  app.post('/Playlists/:id/Items', folderItems, async (req, reply) => {
    collections.addItems(caller(req), req.query.UserId, req.params.id, 'Playlist', req.query.Ids);
    return reply.status(204).send();
  });
  app.delete('/Playlists/:id/Items', { schema: { params: IdParams, querystring: EntryIdsQuery } }, async (req, reply) => {
    collections.removeEntries(caller(req), req.params.id, req.query.EntryIds);
    return reply.status(204).send();
  });
  app.post('/Playlists/:id/Items/:entryId/Move/:newIndex', { schema: { params: MoveParams } }, async (req, reply) => {
    collections.moveEntry(caller(req), req.params.id, req.params.entryId, req.params.newIndex);
    return reply.status(204).send();
  });
}
