/**
 * Online playback (Emby wire shapes): PlaybackInfo, HLS on demand, text subtitles as WebVTT, and stopping
 * encoders. The decisions and sessions live in playback/ (playbackInfo.ts, hlsStreams.ts).
 */
import fs from 'node:fs';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Api, AppDeps } from '../appDeps.js';
import { badRequest, DomainError } from '../errors.js';
import { caller, extractToken } from '../http/authPlugin.js';
import { Id, IdParams, ShortString, Ticks } from '../http/schemas.js';
import { prepareProfileField } from '../profile/deviceCapabilities.js';
import { DeviceProfileSchema, toDeviceProfile } from '../profile/deviceProfileSchema.js';

const StreamOptions = {
  UserId: Type.Optional(Id),
  MediaSourceId: Type.Optional(Id),
  MaxStreamingBitrate: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })),
  StartTimeTicks: Type.Optional(Ticks),
  AudioStreamIndex: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  SubtitleStreamIndex: Type.Optional(Type.Integer({ minimum: -1, maximum: 10_000 })),
  EnableDirectPlay: Type.Optional(Type.Boolean()),
  EnableDirectStream: Type.Optional(Type.Boolean()),
  EnableTranscoding: Type.Optional(Type.Boolean()),
  DeviceId: Type.Optional(ShortString),
  api_key: Type.Optional(ShortString),
};
const PlaybackInfoQuery = Type.Object(StreamOptions);
// A null or absent body arrives as {} (http/tolerantInput.ts): the client sent no options.
const PlaybackInfoBody = Type.Object({ ...StreamOptions, DeviceProfile: Type.Optional(DeviceProfileSchema) });

/** PlaySessionIds are ours (32 hex) but clients may invent theirs: only safe characters, bounded. */
const HlsQuery = Type.Object({
  ...StreamOptions,
  PlaySessionId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$' })),
  VideoCodec: Type.Optional(Type.String({ maxLength: 64 })),
  AudioCodec: Type.Optional(Type.String({ maxLength: 64 })),
  SegmentContainer: Type.Optional(Type.String({ maxLength: 16 })),
});
const SegmentParams = Type.Object({ id: Id, playlistId: Id, segment: Type.String({ pattern: '^(\\d{1,7}\\.(ts|mp4)|init\\.mp4)$' }) });
const SubtitleParams = Type.Object({
  id: Id,
  mediaSourceId: Id,
  index: Type.Integer({ minimum: 0, maximum: 10_000 }),
  format: Type.String({ maxLength: 8 }),
});
const SubtitleQuery = Type.Object({ api_key: Type.Optional(ShortString) });
/**
 * The part of a Stopped report this file acts on. The report's own route (routes/userData.ts) has already
 * validated the whole body before onResponse runs; this fragment only gives the hook a typed view of it.
 */
const StoppedSession = Compile(Type.Object({ PlaySessionId: Type.String({ minLength: 1, maxLength: 128 }) }));
const ActiveEncodingsQuery = Type.Object({
  PlaySessionId: Type.Optional(Type.String({ maxLength: 128 })),
  DeviceId: Type.Optional(ShortString),
});

/** The original query, so relative playlist URLs keep api_key and PlaySessionId (players don't carry them). */
function rawQuery(req: FastifyRequest): string {
  const i = req.url.indexOf('?');
  return i >= 0 ? req.url.slice(i + 1) : '';
}

export function registerPlaybackRoutes(app: Api, deps: AppDeps): void {
  const { playbackInfo, hlsStreams } = deps;

  app.get('/Items/:id/PlaybackInfo', { schema: { params: IdParams, querystring: PlaybackInfoQuery } }, async (req) =>
    playbackInfo.answer(caller(req), req.params.id, req.query, undefined, extractToken(req, req.identity)),
  );
  app.post(
    '/Items/:id/PlaybackInfo',
    {
      schema: { params: IdParams, querystring: PlaybackInfoQuery, body: PlaybackInfoBody },
      preValidation: async (req) => prepareProfileField(req.body),
    },
    async (req) => {
      const profile = req.body.DeviceProfile && toDeviceProfile(req.body.DeviceProfile);
      return playbackInfo.answer(caller(req), req.params.id, { ...req.query, ...req.body }, profile, extractToken(req, req.identity));
    },
  );

  const playlist = 'application/vnd.apple.mpegurl';
  for (const kind of ['Videos', 'Audio']) {
    const opts = { schema: { params: IdParams, querystring: HlsQuery } };
    app.get(`/${kind}/:id/master.m3u8`, opts, async (req, reply) =>
      reply
        .header('Cache-Control', 'no-cache')
        .type(playlist)
        .send(await hlsStreams.master(caller(req), req.params.id, req.query, rawQuery(req))),
    );
    app.get(`/${kind}/:id/main.m3u8`, opts, async (req, reply) =>
      reply
        .header('Cache-Control', 'no-cache')
        .type(playlist)
        .send(await hlsStreams.variant(caller(req), req.params.id, req.query, rawQuery(req))),
    );
    app.get(`/${kind}/:id/hls1/:playlistId/:segment`, { schema: { params: SegmentParams, querystring: HlsQuery } }, async (req, reply) => {
      const file = await hlsStreams.segment(caller(req), req.params.id, req.params.segment, req.query);
      // Opened before any header goes out; an unlinked file (session stopped meanwhile) still reads.
      return reply
        .header('Content-Length', file.size)
        .header('Cache-Control', 'private, max-age=3600')
        .type(file.contentType)
        .send(fs.createReadStream(file.path));
    });
  }

  app.get(
    '/Videos/:id/:mediaSourceId/Subtitles/:index/Stream.:format',
    { schema: { params: SubtitleParams, querystring: SubtitleQuery } },
    async (req, reply) => {
      const file = await hlsStreams.textSubtitle(caller(req), req.params.id, req.params.index, req.params.format);
      return reply
        .header('Cache-Control', 'private, max-age=3600')
        .type('text/vtt; charset=utf-8')
        .send(await fs.promises.readFile(file));
    },
  );

  app.delete('/Videos/ActiveEncodings', { schema: { querystring: ActiveEncodingsQuery } }, async (req, reply) => {
    const { PlaySessionId, DeviceId } = req.query;
    if (!PlaySessionId && !DeviceId) throw badRequest('PlaySessionId or DeviceId is required');
    if (PlaySessionId) await hlsStreams.stop(caller(req), PlaySessionId);
    else if (DeviceId) await hlsStreams.stopDevice(caller(req), DeviceId);
    return reply.status(204).send();
  });

  // The player's Stopped report ends its encoder too (the route itself lives with the other reports).
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'POST' || reply.statusCode >= 300 || !/\/sessions\/playing\/stopped$/i.test(req.routeOptions.url ?? '')) return;
    if (!StoppedSession.Check(req.body)) return;
    try {
      await hlsStreams.stop(caller(req), req.body.PlaySessionId);
    } catch (err) {
      if (!(err instanceof DomainError)) req.log.warn({ err }, 'could not stop the encoder of a stopped session');
    }
  });
}
