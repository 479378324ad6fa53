/**
 * Builds the playback parts from the server config: the encoder registry and the subtitle cache.
 * `STOWAWAY_STREAM_IDLE_SECONDS` and `STOWAWAY_MAX_STREAMS` tune the registry (defaults: 45 s, 4; the streams are shared fairly between users).
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.js';
import type { MediaBinaries } from '../media/binaries.js';
import { DEFAULT_PLAYBACK_OPTIONS, PlaybackSessions } from './sessionRegistry.js';
import { SubtitleVttCache } from './subtitleVtt.js';
import { HlsStreams } from './hlsStreams.js';
import type { VisibleItems } from './playableItem.js';
import { PlaybackInfoService } from './playbackInfo.js';
import type { ServerEncoders } from '../../shared/profile/encoders.js';
import type { DeviceProfile } from '../../shared/profile/types.js';

export interface PlaybackParts {
  playback: PlaybackSessions;
  subtitleVtt: SubtitleVttCache;
  playbackInfo: PlaybackInfoService;
  hlsStreams: HlsStreams;
}

/** What playback reads from the rest of the server. */
export interface PlaybackSources {
  items: VisibleItems;
  /** The DeviceProfile a device reported (validated), for a PlaybackInfo without one in its body. */
  deviceProfile(deviceId: string): DeviceProfile | undefined;
  /** The output codecs this server's ffmpeg can encode (media/serverEncoders.ts): plans use only these. */
  encoders?: ServerEncoders;
}

export function wirePlayback(config: ServerConfig, binaries: MediaBinaries, log: Logger, sources: PlaybackSources): PlaybackParts {
  const idleSeconds = config.streamIdleSeconds;
  const playback = new PlaybackSessions({
    ...DEFAULT_PLAYBACK_OPTIONS,
    dataDir: config.dataDir,
    ffmpeg: binaries.ffmpeg,
    idleTimeoutMs: idleSeconds ? idleSeconds * 1000 : DEFAULT_PLAYBACK_OPTIONS.idleTimeoutMs,
    maxSessions: config.maxStreams ?? DEFAULT_PLAYBACK_OPTIONS.maxSessions,
    log: log.child({ module: 'playback' }),
  });
  const subtitleVtt = new SubtitleVttCache(path.join(config.dataDir, 'subtitles-vtt'), binaries.ffmpeg);
  return {
    playback,
    subtitleVtt,
    playbackInfo: new PlaybackInfoService({
      items: sources.items,
      sessions: playback,
      deviceProfile: sources.deviceProfile,
      encoders: sources.encoders,
    }),
    hlsStreams: new HlsStreams({ items: sources.items, sessions: playback, subtitles: subtitleVtt, encoders: sources.encoders }),
  };
}
