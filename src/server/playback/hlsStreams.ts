/**
 * HLS on demand (`…/master.m3u8` → `main.m3u8` → `hls1/{playlistId}/{n}.ts|.mp4|init.mp4`): which encoder
 * session a URL belongs to, its playlists, its segment files, and stopping it. A URL's PlaySessionId names
 * what PlaybackInfo decided; a client that builds URLs itself (or one from before a restart) gets a
 * decision from the URL's own codecs.
 */
import fs from 'node:fs';
import type { AuthContext } from '../auth/authService.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { toMediaSource } from '../library/itemDto.js';
import type { ItemRow } from '../library/itemsRepo.js';
import type { MediaType } from '../../shared/api/items.js';
import { TICKS_PER_SECOND } from '../../shared/api/items.js';
import { videoFramerate } from '../../shared/profile/conditions.js';
import type { ServerEncoders } from '../../shared/profile/encoders.js';
import type { DeviceProfile } from '../../shared/profile/types.js';
import { pickAudio } from './hlsArgs.js';
import {
  audioCodecString,
  avcCodecString,
  buildMasterPlaylist,
  buildVariantPlaylist,
  segmentExtension,
  segmentIndexAt,
  transcodeLevel,
  videoCodecStringOf,
} from './hlsPlaylists.js';
import type { HlsSession } from './hlsSession.js';
import { durationOf, playableItem, sourceFile, type VisibleItems } from './playableItem.js';
import { decideStreaming, FALLBACK_STREAMING_PROFILES, streamBandwidth } from './playbackDecision.js';
import type { PlaybackSessions, StreamIntent } from './sessionRegistry.js';
import type { SubtitleVttCache } from './subtitleVtt.js';

/** What an HLS URL says about its stream. */
export interface HlsUrlQuery {
  PlaySessionId?: string;
  MaxStreamingBitrate?: number;
  StartTimeTicks?: number;
  AudioStreamIndex?: number;
  EnableTranscoding?: boolean;
  VideoCodec?: string;
  AudioCodec?: string;
  SegmentContainer?: string;
}

/** A segment file ready to send: opened before any header goes out. */
export interface SegmentFile {
  path: string;
  size: number;
  contentType: string;
}

/**
 * The streaming profile a URL implies when no PlaybackInfo came first: the HLS profile Emby web clients
 * use, with the URL's container and first codecs.
 */
export function profileFromUrl(type: 'Video' | 'Audio', q: HlsUrlQuery): DeviceProfile {
  const fallback = FALLBACK_STREAMING_PROFILES.find((p) => p.Type === type)!;
  const segment = (q.SegmentContainer ?? 'ts').toLowerCase();
  return {
    TranscodingProfiles: [
      {
        ...fallback,
        Container: segment === 'mp4' || segment === 'm4s' ? 'mp4' : 'ts',
        VideoCodec: q.VideoCodec?.split(',')[0] || fallback.VideoCodec,
        AudioCodec: q.AudioCodec?.split(',')[0] || fallback.AudioCodec,
      },
    ],
  };
}

export class HlsStreams {
  constructor(
    private readonly d: {
      items: VisibleItems;
      sessions: PlaybackSessions;
      subtitles: Pick<SubtitleVttCache, 'vttFor'>;
      /** The output codecs this server's ffmpeg can encode. */
      encoders?: ServerEncoders;
    },
  ) {}

  /** A text subtitle as WebVTT (`…/Subtitles/{index}/Stream.vtt`): HLS players and PlaybackInfo's delivery URLs. */
  async textSubtitle(me: AuthContext, itemId: string, index: number, format: string): Promise<string> {
    if (format.toLowerCase() !== 'vtt') throw badRequest('Subtitles are served as WebVTT (Stream.vtt)');
    return this.d.subtitles.vttFor(playableItem(this.d.items, me, itemId), index);
  }

  /** The encoder session behind an HLS URL, opened (or found) for the caller. */
  private async open(
    me: AuthContext,
    itemId: string,
    q: HlsUrlQuery,
  ): Promise<{ session: HlsSession; intent: StreamIntent; item: ItemRow }> {
    if (!q.PlaySessionId) throw badRequest('PlaySessionId is required');
    const item = playableItem(this.d.items, me, itemId);
    const file = await sourceFile(item);
    let intent = this.d.sessions.intent(q.PlaySessionId);
    if (intent && (intent.userId !== me.user.id || intent.itemId !== item.id)) throw notFound('Unknown play session');
    if (!intent) intent = this.intentFromUrl(item, me, q);
    const session = await this.d.sessions.open(intent, file, durationOf(item));
    return { session, intent, item };
  }

  private intentFromUrl(item: ItemRow, me: AuthContext, q: HlsUrlQuery): StreamIntent {
    const decision = decideStreaming(item.media_type as MediaType, toMediaSource(item), {
      profile: profileFromUrl(item.media_type === 'Audio' ? 'Audio' : 'Video', q),
      maxStreamingBitrate: q.MaxStreamingBitrate,
      audioStreamIndex: q.AudioStreamIndex,
      enableDirectPlay: false,
      enableTranscoding: q.EnableTranscoding !== false,
      encoders: this.d.encoders,
    });
    if (!decision.stream) throw badRequest(`This file cannot be streamed with ${q.VideoCodec ?? 'h264'}/${q.AudioCodec ?? 'aac'}`);
    const intent: StreamIntent = {
      playSessionId: q.PlaySessionId!,
      itemId: item.id,
      userId: me.user.id,
      deviceId: me.deviceId,
      plan: decision.stream,
      audioStreamIndex: q.AudioStreamIndex,
      segmentType: decision.segmentType,
      startSeconds: (q.StartTimeTicks ?? 0) / TICKS_PER_SECOND,
      createdAt: Date.now(),
    };
    this.d.sessions.remember(intent);
    return intent;
  }

  /** `master.m3u8`: starts encoding at once, so segment one is on its way while the player reads on. */
  async master(me: AuthContext, itemId: string, q: HlsUrlQuery, rawQuery: string): Promise<string> {
    const { session, intent, item } = await this.open(me, itemId, q);
    const start = q.StartTimeTicks !== undefined ? q.StartTimeTicks / TICKS_PER_SECOND : intent.startSeconds;
    session.prepare(segmentIndexAt(start, session.job.durationSeconds, session.job.segmentSeconds));
    return buildMasterPlaylist({ ...variantFacts(intent, item), variantUrl: `main.m3u8?${rawQuery}` });
  }

  /** `main.m3u8`: every segment of the whole duration (relative URLs keep the query: players drop it). */
  async variant(me: AuthContext, itemId: string, q: HlsUrlQuery, rawQuery: string): Promise<string> {
    const { session } = await this.open(me, itemId, q);
    session.touch();
    const ext = segmentExtension(session.job.segmentType);
    return buildVariantPlaylist({
      durationSeconds: session.job.durationSeconds,
      segmentSeconds: session.job.segmentSeconds,
      segmentType: session.job.segmentType,
      segmentUrl: (i) => `hls1/main/${i}.${ext}?${rawQuery}`,
      initUrl: `hls1/main/init.mp4?${rawQuery}`,
    });
  }

  /** A segment (or the fMP4 init section), waited for or encoded on demand. */
  async segment(me: AuthContext, itemId: string, name: string, q: HlsUrlQuery): Promise<SegmentFile> {
    const { session } = await this.open(me, itemId, q);
    const ext = segmentExtension(session.job.segmentType);
    if (name !== 'init.mp4' && !name.endsWith(`.${ext}`)) throw notFound(`This stream's segments are .${ext}`);
    const file = name === 'init.mp4' ? await session.initPath() : await session.segmentPath(Number.parseInt(name, 10));
    const stat = await fs.promises.stat(file);
    const audioOnly = session.job.plan.kind === 'audio-remux' || session.job.plan.kind === 'audio-transcode';
    return { path: file, size: stat.size, contentType: ext === 'ts' ? 'video/mp2t' : audioOnly ? 'audio/mp4' : 'video/mp4' };
  }

  /** Stops a play session's encoder: the caller's own, or anyone's for an administrator. */
  async stop(me: AuthContext, playSessionId: string): Promise<void> {
    const session = this.d.sessions.get(playSessionId);
    if (!session) return;
    if (session.job.userId !== me.user.id && !me.user.policy.IsAdministrator) throw forbidden('Not your play session');
    await this.d.sessions.stop(playSessionId);
  }

  async stopDevice(me: AuthContext, deviceId: string): Promise<void> {
    await this.d.sessions.stopDevice(deviceId, me.user.id);
  }
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
