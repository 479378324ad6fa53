/**
 * Played state, favourites and playback reports (API.md §5.12): each route is its schema and one
 * `UserDataService` call.
 */
import { Type } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { Id, Ticks, UserItemParams } from '../http/schemas.js';

const PlayedQuery = Type.Object({ DatePlayed: Type.Optional(Type.String({ maxLength: 40 })) });

/** Ignored, but bounded: Emby sends -1 for "none". */
const index = Type.Optional(Type.Integer({ minimum: -1, maximum: 1_000_000 }));
/** Playback reports: what Emby clients send; only ItemId and PositionTicks change user data. */
const PlaybackBody = Type.Object({
  ItemId: Id,
  PositionTicks: Type.Optional(Ticks),
  MediaSourceId: Type.Optional(Type.String({ maxLength: 64 })),
  PlaySessionId: Type.Optional(Type.String({ maxLength: 128 })),
  IsPaused: Type.Optional(Type.Boolean()),
  IsMuted: Type.Optional(Type.Boolean()),
  CanSeek: Type.Optional(Type.Boolean()),
  AudioStreamIndex: index,
  SubtitleStreamIndex: index,
  VolumeLevel: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  PlayMethod: Type.Optional(Type.String({ maxLength: 32 })),
  EventName: Type.Optional(Type.String({ maxLength: 64 })),
  RepeatMode: Type.Optional(Type.String({ maxLength: 32 })),
  Failed: Type.Optional(Type.Boolean()),
});

/** `DatePlayed` as sent, or now when absent or unreadable (Emby's tolerance). */
function playedDate(raw: string | undefined): Date {
  const t = raw ? Date.parse(raw) : NaN;
  return Number.isFinite(t) ? new Date(t) : new Date();
}

export function registerUserDataRoutes(app: Api, deps: AppDeps): void {
  const { userData } = deps;
  const userItem = { schema: { params: UserItemParams } };
  const report = { schema: { body: PlaybackBody } };

  app.post('/Users/:userId/PlayedItems/:id', { schema: { params: UserItemParams, querystring: PlayedQuery } }, async (req) =>
    userData.markPlayed(caller(req), req.params.userId, req.params.id, playedDate(req.query.DatePlayed)),
  );
  app.delete('/Users/:userId/PlayedItems/:id', userItem, async (req) =>
    userData.markUnplayed(caller(req), req.params.userId, req.params.id),
  );
  app.post('/Users/:userId/FavoriteItems/:id', userItem, async (req) =>
    userData.setFavorite(caller(req), req.params.userId, req.params.id, true),
  );
  app.delete('/Users/:userId/FavoriteItems/:id', userItem, async (req) =>
    userData.setFavorite(caller(req), req.params.userId, req.params.id, false),
  );

  // Start changes nothing; Progress keeps the position; Stopped decides (the resume rules).
  app.post('/Sessions/Playing', report, async (req, reply) => {
    userData.reportStart(caller(req), req.body);
    return reply.status(204).send();
  });
  app.post('/Sessions/Playing/Progress', report, async (req, reply) => {
    userData.reportProgress(caller(req), req.body);
    return reply.status(204).send();
  });
  app.post('/Sessions/Playing/Stopped', report, async (req, reply) => {
    userData.reportStopped(caller(req), req.body);
    return reply.status(204).send();
  });
  app.post('/Sessions/Playing/Ping', async (_req, reply) => reply.status(204).send());
}
