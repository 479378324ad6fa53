import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { normalizeId } from '../ids.js';
import { notFound } from '../http/errors.js';
import { libraryUser, visibleItem } from './libraryAccess.js';
import { Ticks } from '../http/schemas.js';

const userItemParams = {
  type: 'object',
  required: ['userId', 'id'],
  properties: { userId: { type: 'string', maxLength: 64 }, id: { type: 'string', maxLength: 64 } },
} as const;

const playedQuery = {
  type: 'object',
  properties: { DatePlayed: { type: 'string', maxLength: 40 } },
} as const;

/** Playback reports: what Emby clients send; only ItemId and PositionTicks change user data. */
const playbackBody = {
  type: 'object',
  required: ['ItemId'],
  properties: {
    ItemId: { type: 'string', maxLength: 64 },
    PositionTicks: Ticks,
    MediaSourceId: { type: 'string', maxLength: 64 },
    PlaySessionId: { type: 'string', maxLength: 128 },
    IsPaused: { type: 'boolean' },
    IsMuted: { type: 'boolean' },
    CanSeek: { type: 'boolean' },
    AudioStreamIndex: { type: 'integer' },
    SubtitleStreamIndex: { type: 'integer' },
    VolumeLevel: { type: 'integer' },
    PlayMethod: { type: 'string', maxLength: 32 },
    EventName: { type: 'string', maxLength: 64 },
    RepeatMode: { type: 'string', maxLength: 32 },
    Failed: { type: 'boolean' },
  },
} as const;

interface PlaybackInput {
  ItemId: string;
  PositionTicks?: number;
}

function playedDate(raw: string | undefined): Date {
  const t = raw ? Date.parse(raw) : NaN;
  return Number.isFinite(t) ? new Date(t) : new Date();
}

export function registerUserDataRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { userData } = deps;
  type P = { userId: string; id: string };

  app.post('/Users/:userId/PlayedItems/:id', { schema: { params: userItemParams, querystring: playedQuery } }, async (req) => {
    const p = req.params as P;
    const user = libraryUser(deps, req, p.userId);
    const item = visibleItem(deps, user.id, p.id);
    return userData.markPlayed(user.id, item.id, playedDate((req.query as { DatePlayed?: string }).DatePlayed));
  });
  app.delete('/Users/:userId/PlayedItems/:id', { schema: { params: userItemParams } }, async (req) => {
    const p = req.params as P;
    const user = libraryUser(deps, req, p.userId);
    return userData.markUnplayed(user.id, visibleItem(deps, user.id, p.id).id);
  });
  app.post('/Users/:userId/FavoriteItems/:id', { schema: { params: userItemParams } }, async (req) => {
    const p = req.params as P;
    const user = libraryUser(deps, req, p.userId);
    return userData.setFavorite(user.id, visibleItem(deps, user.id, p.id).id, true);
  });
  app.delete('/Users/:userId/FavoriteItems/:id', { schema: { params: userItemParams } }, async (req) => {
    const p = req.params as P;
    const user = libraryUser(deps, req, p.userId);
    return userData.setFavorite(user.id, visibleItem(deps, user.id, p.id).id, false);
  });

  const itemOf = (raw: string): string => {
    const id = normalizeId(raw);
    if (!id) throw notFound('Item not found');
    return id;
  };

  // Start changes nothing (Emby records the session only); Progress keeps the position; Stopped decides.
  app.post('/Sessions/Playing', { schema: { body: playbackBody } }, async (req, reply) => {
    visibleItem(deps, caller(req).user.id, (req.body as PlaybackInput).ItemId);
    return reply.status(204).send();
  });
  app.post('/Sessions/Playing/Progress', { schema: { body: playbackBody } }, async (req, reply) => {
    const body = req.body as PlaybackInput;
    userData.reportProgress(caller(req).user.id, { ItemId: itemOf(body.ItemId), PositionTicks: body.PositionTicks });
    return reply.status(204).send();
  });
  app.post('/Sessions/Playing/Stopped', { schema: { body: playbackBody } }, async (req, reply) => {
    const body = req.body as PlaybackInput;
    userData.reportStopped(caller(req).user.id, { ItemId: itemOf(body.ItemId), PositionTicks: body.PositionTicks });
    return reply.status(204).send();
  });
  app.post('/Sessions/Playing/Ping', async (_req, reply) => reply.status(204).send());
}
