/**
 * TranscodingProfiles: what the server should make when a file doesn't play as it is. Sync uses the first
 * profile with the item's Type and Context "Static" (API.md §8), so those come first: a progressive file
 * for `<video src>` from the offline store. MP4 + H.264 + AAC plays in every browser we target.
 */
import type { DirectPlayProfile, TranscodingProfile } from '../../shared/profile/types';
import type { VideoContainerSupport } from './directPlay';
import type { CapabilityProbe } from './probe';

function audioPlays(audioProfiles: readonly DirectPlayProfile[], container: string, codec: string): boolean {
  return audioProfiles.some((p) => (p.Container ?? '').split(',').includes(container) && (p.AudioCodec ?? '').split(',').includes(codec));
}

export function transcodingProfiles(
  probe: CapabilityProbe,
  video: readonly VideoContainerSupport[],
  audioProfiles: readonly DirectPlayProfile[],
): TranscodingProfile[] {
  const profiles: TranscodingProfile[] = [];
  // Stereo: synced copies are watched on laptops and phones; 5.1 would only add size.
  profiles.push({
    Container: 'mp4',
    Type: 'Video',
    VideoCodec: 'h264',
    AudioCodec: 'aac',
    Protocol: 'http',
    Context: 'Static',
    MaxAudioChannels: '2',
  });
  // AAC in M4A is smaller than MP3 at the same quality; MP3 is the fallback every browser plays.
  profiles.push(
    audioPlays(audioProfiles, 'm4a', 'aac')
      ? { Container: 'm4a', Type: 'Audio', AudioCodec: 'aac', Protocol: 'http', Context: 'Static', MaxAudioChannels: '2' }
      : { Container: 'mp3', Type: 'Audio', AudioCodec: 'mp3', Protocol: 'http', Context: 'Static', MaxAudioChannels: '2' },
  );
  // Streaming (the later online player): HLS through hls.js needs MSE; Safari plays HLS natively.
  const hls =
    probe.isTypeSupported?.('video/mp4; codecs="avc1.640028,mp4a.40.2"') ||
    probe.canPlayType('video', 'application/vnd.apple.mpegurl') !== '';
  if (hls && video.some((s) => s.videoCodecs.includes('h264'))) {
    profiles.push({
      Container: 'ts',
      Type: 'Video',
      VideoCodec: 'h264',
      AudioCodec: 'aac',
      Protocol: 'hls',
      Context: 'Streaming',
      MaxAudioChannels: '2',
      MinSegments: '1',
      BreakOnNonKeyFrames: false,
    });
  }
  return profiles;
}
