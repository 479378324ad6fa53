/**
 * Online playback (Emby wire shapes):
 * - `GET|POST /Items/{id}/PlaybackInfo` — the streaming decision for the caller's DeviceProfile (body, else
 *   the device's reported one): direct play URL and/or an HLS TranscodingUrl, and a PlaySessionId;
 * - `GET /Videos|Audio/{id}/master.m3u8`, `…/main.m3u8`, `…/hls1/{playlistId}/{n}.ts|.mp4|init.mp4` —
 *   HLS produced by ffmpeg on demand (playback/hlsSession.ts). Audio that doesn't play as is streams
 *   through the same HLS path (audio-only segments): the simplest Emby-compatible shape that also seeks;
 * - `GET /Videos/{id}/{mediaSourceId}/Subtitles/{index}/Stream.vtt` — text subtitles as WebVTT;
 * - `DELETE /Videos/ActiveEncodings?PlaySessionId=|DeviceId=` — stop an encoder; `/Sessions/Playing/Stopped`
 *   with a PlaySessionId stops it too.
 */
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../appDeps.js';
import type { MediaType } from '../../shared/api/items.js';
import type { DeviceProfile } from '../../shared/profile/types.js';
import { TICKS_PER_SECOND } from '../../shared/api/items.js';
import { videoFramerate } from '../../shared/profile/conditions.js';
import { caller, extractToken } from '../http/authPlugin.js';
import { HttpError, badRequest, forbidden, notFound } from '../http/errors.js';
import { DomainError } from '../errors.js';
import { newId } from '../ids.js';
import { hasMediaFile, toMediaSource } from '../library/itemDto.js';
import type { ItemRow } from '../library/itemsRepo.js';
import { pickAudio } from '../playback/hlsArgs.js';
import {
  audioCodecString,
  avcCodecString,
  buildMasterPlaylist,
  buildVariantPlaylist,
  segmentExtension,
  segmentIndexAt,
  transcodeLevel,
  videoCodecStringOf,
} from '../playback/hlsPlaylists.js';
import { decideStreaming, streamBandwidth, withSubtitleDelivery, FALLBACK_STREAMING_PROFILES } from '../playback/playbackDecision.js';
import type { HlsSession } from '../playback/hlsSession.js';
import type { StreamIntent } from '../playback/sessionRegistry.js';
import { visibleItem } from './libraryAccess.js';
import { DeviceProfileSchema, toDeviceProfile, type DeviceProfileInput } from '../profile/deviceProfileSchema.js';
import { prepareProfileField } from '../profile/deviceCapabilities.js';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64 } },
} as const;

const streamOptions = {
  UserId: { type: 'string', maxLength: 64 },
  MediaSourceId: { type: 'string', maxLength: 64 },
  MaxStreamingBitrate: { type: 'number', minimum: 0 },
  StartTimeTicks: { type: 'number', minimum: 0 },
  AudioStreamIndex: { type: 'integer', minimum: 0 },
  SubtitleStreamIndex: { type: 'integer', minimum: -1 },
  EnableDirectPlay: { type: 'boolean' },
  EnableDirectStream: { type: 'boolean' },
  EnableTranscoding: { type: 'boolean' },
  DeviceId: { type: 'string', maxLength: 256 },
  api_key: { type: 'string', maxLength: 256 },
} as const;

const playbackInfoQuery = { type: 'object', properties: streamOptions } as const;
const playbackInfoBody = {
  type: ['object', 'null'],
  properties: { ...streamOptions, DeviceProfile: DeviceProfileSchema },
} as const;

/** PlaySessionIds are ours (32 hex) but clients may invent theirs: only safe characters, bounded. */
const SESSION_ID = '^[A-Za-z0-9_-]{1,100}$';

const hlsQuery = {
  type: 'object',
  properties: {
    ...streamOptions,
    PlaySessionId: { type: 'string', pattern: SESSION_ID },
    VideoCodec: { type: 'string', maxLength: 64 },
    AudioCodec: { type: 'string', maxLength: 64 },
    SegmentContainer: { type: 'string', maxLength: 16 },
  },
} as const;

const segmentParams = {
  type: 'object',
  required: ['id', 'playlistId', 'segment'],
  properties: {
    id: { type: 'string', maxLength: 64 },
    playlistId: { type: 'string', maxLength: 64 },
    segment: { type: 'string', pattern: '^(\\d{1,7}\\.(ts|mp4)|init\\.mp4)$' },
  },
} as const;

const subtitleParams = {
  type: 'object',
  required: ['id', 'mediaSourceId', 'index', 'format'],
  properties: {
    id: { type: 'string', maxLength: 64 },
    mediaSourceId: { type: 'string', maxLength: 64 },
    index: { type: 'integer', minimum: 0 },
    format: { type: 'string', maxLength: 8 },
  },
} as const;

const activeEncodingsQuery = {
  type: 'object',
  properties: { PlaySessionId: { type: 'string', maxLength: 128 }, DeviceId: { type: 'string', maxLength: 256 } },
} as const;

type StreamOptions = {
  MaxStreamingBitrate?: number;
  StartTimeTicks?: number;
  AudioStreamIndex?: number;
  EnableDirectPlay?: boolean;
  EnableDirectStream?: boolean;
  EnableTranscoding?: boolean;
  DeviceProfile?: DeviceProfileInput;
  PlaySessionId?: string;
  VideoCodec?: string;
  AudioCodec?: string;
  SegmentContainer?: string;
};

function mediaKind(item: ItemRow): 'Videos' | 'Audio' {
  return item.media_type === 'Audio' ? 'Audio' : 'Videos';
}

async function sourceFile(item: ItemRow): Promise<string> {
  if (!hasMediaFile(item)) throw notFound('This item has no media file');
  try {
    if ((await fs.promises.stat(item.path!)).isFile()) return item.path!;
  } catch {
    // Falls through to the same answer as a directory in its place.
  }
  throw notFound('The media file is missing');
}

function durationOf(item: ItemRow): number {
  if (!item.run_time_ticks || item.run_time_ticks <= 0) throw badRequest('The duration of this file is unknown, so it cannot be streamed');
  return item.run_time_ticks / TICKS_PER_SECOND;
}

function queryString(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

/** The original query, so relative playlist URLs keep api_key and PlaySessionId (players don't carry them). */
function rawQuery(req: FastifyRequest): string {
  const i = req.url.indexOf('?');
  return i >= 0 ? req.url.slice(i + 1) : '';
}

export function registerPlaybackRoutes(app: FastifyInstance, deps: AppDeps): void {
  const sessions = deps.playback;
  const subtitles = deps.subtitleVtt;

  const requirePlayback = (req: FastifyRequest) => {
    const me = caller(req);
    if (!me.user.policy.EnableMediaPlayback) throw forbidden('Media playback is not enabled for this user');
    return me;
  };

  const playbackInfo = async (req: FastifyRequest) => {
    const me = requirePlayback(req);
    const input = { ...(req.query as StreamOptions), ...((req.body as StreamOptions | null) ?? {}) };
    const item = visibleItem(deps, me.user.id, (req.params as { id: string }).id);
    await sourceFile(item);
    const profile = input.DeviceProfile ? toDeviceProfile(input.DeviceProfile) : (deps.capabilities.profileOf(me.deviceId) ?? {});
    const source = toMediaSource(item);
    const decision = decideStreaming(item.media_type as MediaType, source, {
      profile,
      maxStreamingBitrate: input.MaxStreamingBitrate,
      audioStreamIndex: input.AudioStreamIndex,
      enableDirectPlay: input.EnableDirectPlay !== false,
      enableTranscoding: input.EnableTranscoding !== false,
    });
    const playSessionId = newId();
    const token = extractToken(req, req.identity);
    const kind = mediaKind(item);
    const common = { MediaSourceId: item.id, PlaySessionId: playSessionId, api_key: token };
    const container = (item.container ?? '').split(',')[0] || 'mp4';
    const out: Record<string, unknown> = {
      ...source,
      MediaStreams: withSubtitleDelivery(
        source.MediaStreams,
        (i) => `/Videos/${item.id}/${item.id}/Subtitles/${i}/Stream.vtt?${queryString({ api_key: token })}`,
      ),
      SupportsDirectPlay: decision.directPlay,
      SupportsDirectStream: decision.directPlay,
      SupportsTranscoding: !!decision.stream,
      // Ours: why, in words (the admin and the player's info panel show it).
      PlayMethod: decision.directPlay && !decision.stream ? 'DirectPlay' : decision.method,
      TranscodeReasons: decision.reasons,
    };
    if (decision.directPlay) out.DirectStreamUrl = `/${kind}/${item.id}/stream.${container}?${queryString({ Static: 'true', ...common })}`;
    if (decision.stream) {
      const startSeconds = (input.StartTimeTicks ?? 0) / TICKS_PER_SECOND;
      sessions.remember({
        playSessionId,
        itemId: item.id,
        userId: me.user.id,
        deviceId: me.deviceId,
        plan: decision.stream,
        audioStreamIndex: input.AudioStreamIndex,
        segmentType: decision.segmentType,
        startSeconds,
        createdAt: Date.now(),
      });
      out.TranscodingUrl = `/${kind}/${item.id}/master.m3u8?${queryString({
        ...common,
        AudioStreamIndex: input.AudioStreamIndex,
        SegmentContainer: segmentExtension(decision.segmentType),
        StartTimeTicks: input.StartTimeTicks || undefined,
      })}`;
      out.TranscodingSubProtocol = 'hls';
      out.TranscodingContainer = segmentExtension(decision.segmentType);
    }
    return { MediaSources: [out], PlaySessionId: playSessionId };
  };
  app.get('/Items/:id/PlaybackInfo', { schema: { params: idParams, querystring: playbackInfoQuery } }, playbackInfo);
  app.post(
    '/Items/:id/PlaybackInfo',
    {
      schema: { params: idParams, querystring: playbackInfoQuery, body: playbackInfoBody },
      preValidation: async (req) => prepareProfileField(req.body),
    },
    playbackInfo,
  );

  /**
   * The session behind an HLS URL: what PlaybackInfo decided for its PlaySessionId, or — for a client
   * that builds URLs itself, or after a server restart — a decision from the URL's codecs.
   */
  const sessionFor = async (req: FastifyRequest): Promise<{ session: HlsSession; intent: StreamIntent; item: ItemRow }> => {
    const me = requirePlayback(req);
    const q = req.query as StreamOptions;
    if (!q.PlaySessionId) throw badRequest('PlaySessionId is required');
    const item = visibleItem(deps, me.user.id, (req.params as { id: string }).id);
    const file = await sourceFile(item);
    let intent = sessions.intent(q.PlaySessionId);
    if (intent && (intent.userId !== me.user.id || intent.itemId !== item.id)) throw notFound('Unknown play session');
    if (!intent) intent = intentFromUrl(item, me.user.id, me.deviceId, q);
    const session = await sessions.open(intent, file, durationOf(item));
    return { session, intent, item };
  };

  const intentFromUrl = (item: ItemRow, userId: string, deviceId: string, q: StreamOptions): StreamIntent => {
    const type = item.media_type === 'Audio' ? 'Audio' : 'Video';
    const fallback = FALLBACK_STREAMING_PROFILES.find((p) => p.Type === type)!;
    const segment = (q.SegmentContainer ?? 'ts').toLowerCase();
    const profile: DeviceProfile = {
      TranscodingProfiles: [
        {
          ...fallback,
          Container: segment === 'mp4' || segment === 'm4s' ? 'mp4' : 'ts',
          VideoCodec: q.VideoCodec?.split(',')[0] || fallback.VideoCodec,
          AudioCodec: q.AudioCodec?.split(',')[0] || fallback.AudioCodec,
        },
      ],
    };
    const decision = decideStreaming(item.media_type as MediaType, toMediaSource(item), {
      profile,
      maxStreamingBitrate: q.MaxStreamingBitrate,
      audioStreamIndex: q.AudioStreamIndex,
      enableDirectPlay: false,
      enableTranscoding: q.EnableTranscoding !== false,
    });
    if (!decision.stream) throw badRequest(`This file cannot be streamed with ${q.VideoCodec ?? 'h264'}/${q.AudioCodec ?? 'aac'}`);
    const intent: StreamIntent = {
      playSessionId: q.PlaySessionId!,
      itemId: item.id,
      userId,
      deviceId,
      plan: decision.stream,
      audioStreamIndex: q.AudioStreamIndex,
      segmentType: decision.segmentType,
      startSeconds: (q.StartTimeTicks ?? 0) / TICKS_PER_SECOND,
      createdAt: Date.now(),
    };
    sessions.remember(intent);
    return intent;
  };

  const playlistReply = (reply: FastifyReply, text: string) =>
    reply.header('Cache-Control', 'no-cache').type('application/vnd.apple.mpegurl').send(text);

  const hlsOpts = { schema: { params: idParams, querystring: hlsQuery } };
  for (const kind of ['Videos', 'Audio']) {
    app.get(`/${kind}/:id/master.m3u8`, hlsOpts, async (req, reply) => {
      const { session, intent, item } = await sessionFor(req);
      const q = req.query as StreamOptions;
      const start = q.StartTimeTicks !== undefined ? q.StartTimeTicks / TICKS_PER_SECOND : intent.startSeconds;
      // Start encoding now: by the time the player has read the variant playlist, segment one is on its way.
      session.prepare(segmentIndexAt(start, session.job.durationSeconds, session.job.segmentSeconds));
      return playlistReply(reply, buildMasterPlaylist({ ...variantFacts(intent, item), variantUrl: `main.m3u8?${rawQuery(req)}` }));
    });
    app.get(`/${kind}/:id/main.m3u8`, hlsOpts, async (req, reply) => {
      const { session } = await sessionFor(req);
      session.touch();
      const query = rawQuery(req);
      const ext = segmentExtension(session.job.segmentType);
      return playlistReply(
        reply,
        buildVariantPlaylist({
          durationSeconds: session.job.durationSeconds,
          segmentSeconds: session.job.segmentSeconds,
          segmentType: session.job.segmentType,
          segmentUrl: (i) => `hls1/main/${i}.${ext}?${query}`,
          initUrl: `hls1/main/init.mp4?${query}`,
        }),
      );
    });
    app.get(`/${kind}/:id/hls1/:playlistId/:segment`, { schema: { params: segmentParams, querystring: hlsQuery } }, async (req, reply) => {
      const { session } = await sessionFor(req);
      const name = (req.params as { segment: string }).segment;
      const ext = segmentExtension(session.job.segmentType);
      if (name !== 'init.mp4' && !name.endsWith(`.${ext}`)) throw notFound(`This stream's segments are .${ext}`);
      const file = name === 'init.mp4' ? await session.initPath() : await session.segmentPath(Number.parseInt(name, 10));
      const stat = await fs.promises.stat(file);
      const audioOnly = session.job.plan.kind === 'audio-remux' || session.job.plan.kind === 'audio-transcode';
      const type = ext === 'ts' ? 'video/mp2t' : audioOnly ? 'audio/mp4' : 'video/mp4';
      // Opened before any header goes out; an unlinked file (session stopped meanwhile) still reads.
      return reply
        .header('Content-Length', stat.size)
        .header('Cache-Control', 'private, max-age=3600')
        .type(type)
        .send(fs.createReadStream(file));
    });
  }

  app.get(
    '/Videos/:id/:mediaSourceId/Subtitles/:index/Stream.:format',
    { schema: { params: subtitleParams, querystring: { type: 'object', properties: { api_key: { type: 'string', maxLength: 256 } } } } },
    async (req, reply) => {
      const me = requirePlayback(req);
      const p = req.params as { id: string; index: number; format: string };
      if (p.format.toLowerCase() !== 'vtt') throw badRequest('Subtitles are served as WebVTT (Stream.vtt)');
      const item = visibleItem(deps, me.user.id, p.id);
      const file = await subtitles.vttFor(item, p.index);
      return reply
        .header('Cache-Control', 'private, max-age=3600')
        .type('text/vtt; charset=utf-8')
        .send(await fs.promises.readFile(file));
    },
  );

  const stopOwned = async (req: FastifyRequest, playSessionId: string) => {
    const me = caller(req);
    const session = sessions.get(playSessionId);
    if (!session) return;
    if (session.job.userId !== me.user.id && !me.user.policy.IsAdministrator) throw forbidden('Not your play session');
    await sessions.stop(playSessionId);
  };

  app.delete('/Videos/ActiveEncodings', { schema: { querystring: activeEncodingsQuery } }, async (req, reply) => {
    const q = req.query as { PlaySessionId?: string; DeviceId?: string };
    if (!q.PlaySessionId && !q.DeviceId) throw badRequest('PlaySessionId or DeviceId is required');
    if (q.PlaySessionId) await stopOwned(req, q.PlaySessionId);
    else await sessions.stopDevice(q.DeviceId!, caller(req).user.id);
    return reply.status(204).send();
  });

  // The player's Stopped report ends its encoder too (the route itself lives with the other reports).
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'POST' || reply.statusCode >= 300 || !/\/sessions\/playing\/stopped$/i.test(req.routeOptions.url ?? '')) return;
    const id = (req.body as { PlaySessionId?: unknown } | undefined)?.PlaySessionId;
    if (typeof id === 'string' && id) {
      try {
        await stopOwned(req, id);
      } catch (err) {
        if (!(err instanceof HttpError || err instanceof DomainError))
          req.log.warn({ err }, 'could not stop the encoder of a stopped session');
      }
    }
  });
}

/** BANDWIDTH, RESOLUTION and CODECS of the one variant, so players pick decoders before the first segment. */
function variantFacts(intent: StreamIntent, item: ItemRow): { bandwidth: number; width?: number; height?: number; codecs: string[] } {
  const source = toMediaSource(item);
  const plan = intent.plan;
  const bandwidth = streamBandwidth(plan, source);
  if (plan.kind === 'audio-remux' || plan.kind === 'audio-transcode') {
    const codec =
      plan.kind === 'audio-remux' && ['aac', 'mp3'].includes(plan.audio.codec)
        ? plan.audio.codec
        : plan.kind === 'audio-transcode'
          ? plan.audio.codec
          : 'aac';
    return { bandwidth, codecs: [audioCodecString(codec) ?? 'mp4a.40.2'] };
  }
  const audio = pickAudio(plan.audio, intent.audioStreamIndex);
  const audioCodec = audio ? audioCodecString(audio.codec) : undefined;
  const videoStream = source.MediaStreams.find((s) => s.Index === plan.video.streamIndex);
  if (plan.kind === 'remux') {
    const video = videoStream && videoCodecStringOf(videoStream);
    return {
      bandwidth,
      width: videoStream?.Width,
      height: videoStream?.Height,
      codecs: [video, audioCodec].filter((c): c is string => !!c),
    };
  }
  const fps = videoStream ? videoFramerate(videoStream) : undefined;
  const v = plan.video;
  const video = v.codec === 'h264' ? avcCodecString(v.profile, transcodeLevel(v.width, v.height, fps, v.level)) : undefined;
  return { bandwidth, width: v.width, height: v.height, codecs: [video, audioCodec].filter((c): c is string => !!c) };
}
