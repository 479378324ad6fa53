/**
 * The DeviceProfile this browser reports (POST /Sessions/Capabilities/Full), built from what it really
 * plays rather than a user-agent guess — one concern per module: directPlay, codecProfiles, transcoding,
 * subtitles.
 */
import type { DeviceProfile } from '../../shared/profile/types';
import { videoCodecProfiles } from './codecProfiles';
import { audioDirectPlayProfiles, videoContainerSupport, videoDirectPlayProfiles } from './directPlay';
import type { CapabilityProbe } from './probe';
import { subtitleProfiles } from './subtitles';
import { transcodingProfiles } from './transcoding';

export interface ProfileOptions {
  /** Shown in the server's device list next to the device name. */
  name?: string;
  /** Cap for synced files, bps. High: a synced file is read from disk, never streamed over a slow link. */
  maxStaticBitrate?: number;
  /** Cap for streaming from the server, bps (the later online player). */
  maxStreamingBitrate?: number;
}

export const DEFAULT_MAX_STATIC_BITRATE = 40_000_000;
export const DEFAULT_MAX_STREAMING_BITRATE = 20_000_000;
export const MUSIC_TRANSCODING_BITRATE = 192_000;

export async function buildDeviceProfile(probe: CapabilityProbe, options: ProfileOptions = {}): Promise<DeviceProfile> {
  const video = await videoContainerSupport(probe);
  const audio = await audioDirectPlayProfiles(probe);
  return {
    Name: options.name ?? 'Stowaway Web',
    MaxStaticBitrate: options.maxStaticBitrate ?? DEFAULT_MAX_STATIC_BITRATE,
    MaxStreamingBitrate: options.maxStreamingBitrate ?? DEFAULT_MAX_STREAMING_BITRATE,
    MusicStreamingTranscodingBitrate: MUSIC_TRANSCODING_BITRATE,
    DirectPlayProfiles: [...videoDirectPlayProfiles(video), ...audio],
    TranscodingProfiles: transcodingProfiles(probe, video, audio),
    ContainerProfiles: [],
    CodecProfiles: await videoCodecProfiles(probe, video),
    SubtitleProfiles: subtitleProfiles(),
    ResponseProfiles: [],
  };
}
