/**
 * Live sync routes: SSE `GET /Sync/Events` (ours, API.md §9.7) and Emby's WebSocket on `/embywebsocket` and
 * `/socket` (§3). The protocols live in events/liveSync.ts.
 */
import websocket from '@fastify/websocket';
import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { Id, ShortString } from '../http/schemas.js';

const EventsQuery = Type.Object({ UserId: Type.Optional(Id), TargetId: Type.Optional(ShortString), JobId: Type.Optional(Id) });

export async function registerSyncEventRoutes(app: Api, deps: AppDeps): Promise<void> {
  app.get('/Sync/Events', { schema: { querystring: EventsQuery } }, async (req, reply) => {
    // Access is checked before the stream opens, so a refusal is plain JSON.
    const stream = deps.liveSync.sse(caller(req), req.query);
    reply.hijack();
    stream(reply.raw, req.raw);
  });

  await app.register(websocket);
  for (const url of ['/embywebsocket', '/socket']) {
    app.get(url, { websocket: true }, (socket, req) => deps.liveSync.webSocket(caller(req), socket));
  }
}
