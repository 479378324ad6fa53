/**
 * The playback endpoints the player speaks (Emby shapes): PlaybackInfo with this browser's DeviceProfile,
 * the three play-state reports, and stopping a server encoder.
 */
import type { BaseItemDto, MediaSourceInfo, MediaStream } from '../../shared/api/items';
import type { DeviceProfile } from '../../shared/profile/types';
import { authorizationHeader, type ApiClient } from '../api/client';
import { buildDeviceProfile } from '../profile/deviceProfile';
import { browserProbe } from '../profile/probe';

export type PlayMethod = 'DirectPlay' | 'Remux' | 'Transcode';

export type DeliveredStream = MediaStream & { DeliveryMethod?: string; DeliveryUrl?: string };

export interface PlaybackMediaSource extends MediaSourceInfo {
  MediaStreams: DeliveredStream[];
  DirectStreamUrl?: string;
  TranscodingUrl?: string;
  TranscodingSubProtocol?: string;
  PlayMethod?: PlayMethod;
  TranscodeReasons?: string[];
}

export interface PlaybackInfoResponse {
  MediaSources: PlaybackMediaSource[];
  PlaySessionId: string;
}

export interface PlaybackInfoOptions {
  startSeconds?: number;
  audioStreamIndex?: number;
  enableDirectPlay?: boolean;
}

let profile: Promise<DeviceProfile> | undefined;

/**
 * The browser's profile, once per page. The builder only describes HLS for video; a Streaming Audio
 * profile is added so a song the browser can't play (WMA, ALAC…) streams as AAC through the same HLS path.
 */
export function browserProfile(): Promise<DeviceProfile> {
  profile ??= buildDeviceProfile(browserProbe()).then((p) => {
    const streaming = (p.TranscodingProfiles ?? []).filter((t) => (t.Context ?? '').toLowerCase() === 'streaming');
    if (streaming.some((t) => t.Type === 'Audio') || !streaming.some((t) => t.Type === 'Video')) return p;
    return {
      ...p,
      TranscodingProfiles: [
        ...(p.TranscodingProfiles ?? []),
        { Container: 'ts', Type: 'Audio', AudioCodec: 'aac', Protocol: 'hls', Context: 'Streaming', MaxAudioChannels: '2' },
      ],
    };
  });
  return profile;
}

export async function getPlaybackInfo(api: ApiClient, itemId: string, o: PlaybackInfoOptions = {}): Promise<PlaybackInfoResponse> {
  return api.post<PlaybackInfoResponse>(`/Items/${itemId}/PlaybackInfo`, {
    DeviceProfile: await browserProfile(),
    StartTimeTicks: o.startSeconds ? Math.round(o.startSeconds * 10_000_000) : undefined,
    AudioStreamIndex: o.audioStreamIndex,
    EnableDirectPlay: o.enableDirectPlay ?? true,
  });
}

export interface PlayState {
  ItemId: string;
  MediaSourceId: string;
  PlaySessionId: string;
  PositionTicks: number;
  IsPaused?: boolean;
  PlayMethod?: PlayMethod;
  AudioStreamIndex?: number;
  SubtitleStreamIndex?: number;
  CanSeek?: boolean;
}

export function reportStart(api: ApiClient, state: PlayState): Promise<void> {
  return api.post('/Sessions/Playing', state);
}

export function reportProgress(api: ApiClient, state: PlayState): Promise<void> {
  return api.post('/Sessions/Playing/Progress', state);
}

/**
 * Stopped must arrive even when the tab closes: `keepalive` lets the request outlive the page (sendBeacon
 * can't carry our auth header).
 */
export async function reportStopped(api: ApiClient, state: PlayState, keepalive = false): Promise<void> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Emby-Authorization': authorizationHeader(api.identity),
  };
  if (api.accessToken) headers['X-Emby-Token'] = api.accessToken;
  await fetch(api.url('/Sessions/Playing/Stopped'), { method: 'POST', headers, body: JSON.stringify(state), keepalive });
}

export function stopEncoding(api: ApiClient, playSessionId: string): Promise<void> {
  return api.request('DELETE', '/Videos/ActiveEncodings', { query: { PlaySessionId: playSessionId } });
}

/** The next episode after `item` in its series (all seasons, in order), if any. */
export async function nextEpisode(api: ApiClient, userId: string, item: BaseItemDto): Promise<BaseItemDto | undefined> {
  if (item.Type !== 'Episode' || !item.SeriesId) return undefined;
  const all = await api.get<{ Items: BaseItemDto[] }>(`/Shows/${item.SeriesId}/Episodes`, { UserId: userId });
  const at = all.Items.findIndex((e) => e.Id === item.Id);
  return at >= 0 ? all.Items[at + 1] : undefined;
}
