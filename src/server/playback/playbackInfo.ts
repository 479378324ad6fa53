/**
 * `GET|POST /Items/{id}/PlaybackInfo` (Emby shape): the streaming decision for the caller's DeviceProfile
 * (the body's, else the one the device reported) — a direct play URL and/or an HLS TranscodingUrl, and a
 * PlaySessionId the HLS URLs carry.
 */
import type { AuthContext } from '../auth/authService.js';
import { newId } from '../ids.js';
import { toMediaSource } from '../library/itemDto.js';
import type { MediaType } from '../../shared/api/items.js';
import { TICKS_PER_SECOND } from '../../shared/api/items.js';
import type { ServerEncoders } from '../../shared/profile/encoders.js';
import type { DeviceProfile } from '../../shared/profile/types.js';
import { segmentExtension } from './hlsPlaylists.js';
import { mediaKind, playableItem, sourceFile, type VisibleItems } from './playableItem.js';
import { decideStreaming, withSubtitleDelivery } from './playbackDecision.js';
import type { PlaybackSessions } from './sessionRegistry.js';

export interface StreamOptions {
  MaxStreamingBitrate?: number;
  StartTimeTicks?: number;
  AudioStreamIndex?: number;
  EnableDirectPlay?: boolean;
  EnableTranscoding?: boolean;
}

export interface PlaybackInfoDeps {
  items: VisibleItems;
  sessions: Pick<PlaybackSessions, 'remember'>;
  /** The profile the caller's device reported (validated), if any. */
  deviceProfile(deviceId: string): DeviceProfile | undefined;
  /** The output codecs this server's ffmpeg can encode. */
  encoders?: ServerEncoders;
}

function queryString(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

export class PlaybackInfoService {
  constructor(private readonly d: PlaybackInfoDeps) {}

  /** `profile`: from the request body (validated at the route); else the device's. `token`: for the URLs. */
  async answer(
    me: AuthContext,
    itemId: string,
    input: StreamOptions,
    profile: DeviceProfile | undefined,
    token: string | undefined,
  ): Promise<{ MediaSources: Record<string, unknown>[]; PlaySessionId: string }> {
    const item = playableItem(this.d.items, me, itemId);
    await sourceFile(item);
    const source = toMediaSource(item);
    const decision = decideStreaming(item.media_type as MediaType, source, {
      profile: profile ?? this.d.deviceProfile(me.deviceId) ?? {},
      maxStreamingBitrate: input.MaxStreamingBitrate,
      audioStreamIndex: input.AudioStreamIndex,
      enableDirectPlay: input.EnableDirectPlay !== false,
      enableTranscoding: input.EnableTranscoding !== false,
      encoders: this.d.encoders,
    });
    const playSessionId = newId();
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
      this.d.sessions.remember({
        playSessionId,
        itemId: item.id,
        userId: me.user.id,
        deviceId: me.deviceId,
        plan: decision.stream,
        audioStreamIndex: input.AudioStreamIndex,
        segmentType: decision.segmentType,
        startSeconds: (input.StartTimeTicks ?? 0) / TICKS_PER_SECOND,
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
  }
}
