/**
 * What the player component plays, independent of where it comes from. Online playback builds one from
 * PlaybackInfo; offline playback (the service worker) builds one for `/offline/media/{id}`:
 *
 *   { kind: 'file', url: '/offline/media/<id>', mediaType: 'Video', subtitles: [{ index, label, url: <cached vtt> }], startSeconds }
 *
 * The SW answers that URL with Range (206), so the same <video> seeks the same way on and offline.
 */
import type { MediaType } from '../../shared/api/items';
import type { ApiClient } from '../api/client';
import type { PlaybackInfoResponse } from './playbackApi';
import { labelTracks, subtitleLabel } from './trackLabels';

export interface SubtitleTrack {
  /** The source's stream index (what play-state reports call SubtitleStreamIndex). */
  index: number;
  label: string;
  language?: string;
  /** A WebVTT URL the page can fetch (same origin, or carrying its own api_key). */
  url: string;
  isDefault?: boolean;
}

export interface PlaybackSource {
  /** `file`: a URL the media element plays with Range; `hls`: an HLS master playlist. */
  kind: 'file' | 'hls';
  url: string;
  mediaType: Extract<MediaType, 'Video' | 'Audio'>;
  /** For hls.js requests (X-Emby-Token); file URLs carry what they need. */
  token?: string;
  subtitles: SubtitleTrack[];
  /** Seconds to start at (resume). */
  startSeconds: number;
}

export function sourceFromPlaybackInfo(
  api: ApiClient,
  info: PlaybackInfoResponse,
  mediaType: PlaybackSource['mediaType'],
  startSeconds: number,
): PlaybackSource {
  const ms = info.MediaSources[0];
  if (!ms) throw new Error('The server offered no way to play this item.');
  const streams = ms.MediaStreams.filter((s) => s.Type === 'Subtitle' && s.DeliveryUrl);
  // The same words as the offline player's (trackLabels.ts): "English", not "ENG".
  const labels = labelTracks(streams, subtitleLabel);
  const subtitles: SubtitleTrack[] = streams.map((s, i) => ({
    index: s.Index,
    label: labels[i]!,
    language: s.Language,
    url: `${api.baseUrl}${s.DeliveryUrl!}`,
    isDefault: s.IsDefault,
  }));
  if (ms.SupportsDirectPlay && ms.DirectStreamUrl) {
    return { kind: 'file', url: `${api.baseUrl}${ms.DirectStreamUrl}`, mediaType, subtitles, startSeconds };
  }
  if (ms.TranscodingUrl) {
    return { kind: 'hls', url: `${api.baseUrl}${ms.TranscodingUrl}`, mediaType, token: api.accessToken, subtitles, startSeconds };
  }
  const why = ms.TranscodeReasons?.length ? ` (${ms.TranscodeReasons.join('; ')})` : '';
  throw new Error(`This browser can't play this file and the server offered no stream${why}.`);
}
