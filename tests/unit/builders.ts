/** Builders for media sources and device profiles: say only what a test is about. */
import type { MediaSourceInfo, MediaStream } from '../../src/shared/api/items.js';
import type { DeviceProfile, SubtitleProfile, TranscodingProfile } from '../../src/shared/profile/types.js';

export interface AudioSpec {
  codec?: string;
  channels?: number;
  language?: string;
  isDefault?: boolean;
  bitrate?: number;
}

export interface SubtitleSpec {
  codec: string;
  language?: string;
  forced?: boolean;
  isDefault?: boolean;
  /** A sidecar file next to the source. */
  external?: string;
}

export interface SourceSpec {
  container?: string;
  videoCodec?: string | null;
  width?: number;
  height?: number;
  bitDepth?: number;
  level?: number;
  videoProfile?: string;
  fps?: number;
  rotation?: number;
  /** Display aspect ratio ("16:9"); differs from width:height for an anamorphic source. */
  aspectRatio?: string;
  interlaced?: boolean;
  /** Colour transfer as ffprobe names it: smpte2084 (PQ), arib-std-b67 (HLG), bt709. */
  colorTransfer?: string;
  videoBitrate?: number;
  audio?: AudioSpec[];
  subtitles?: SubtitleSpec[];
  /** Overall bitrate; default video + audio. */
  bitrate?: number;
  durationSeconds?: number;
  size?: number;
  path?: string;
}

export function aVideoStream(spec: SourceSpec = {}, index = 0): MediaStream {
  return {
    Type: 'Video',
    Index: index,
    Codec: spec.videoCodec ?? 'h264',
    Profile: spec.videoProfile ?? (spec.videoCodec === 'hevc' ? 'Main 10' : 'High'),
    Level: spec.level ?? 41,
    BitDepth: spec.bitDepth ?? 8,
    PixelFormat: (spec.bitDepth ?? 8) === 10 ? 'yuv420p10le' : 'yuv420p',
    Width: spec.width ?? 1920,
    Height: spec.height ?? 1080,
    RealFrameRate: spec.fps ?? 24,
    AverageFrameRate: spec.fps ?? 24,
    BitRate: spec.videoBitrate ?? 3_500_000,
    ...(spec.rotation !== undefined ? { Rotation: spec.rotation } : {}),
    ...(spec.aspectRatio ? { AspectRatio: spec.aspectRatio } : {}),
    ...(spec.interlaced !== undefined ? { IsInterlaced: spec.interlaced } : {}),
    ...(spec.colorTransfer
      ? {
          ColorTransfer: spec.colorTransfer,
          VideoRange: ['smpte2084', 'arib-std-b67'].includes(spec.colorTransfer) ? 'HDR' : 'SDR',
        }
      : {}),
    IsDefault: true,
    IsForced: false,
    IsExternal: false,
  };
}

export function anAudioStream(spec: AudioSpec = {}, index = 1): MediaStream {
  return {
    Type: 'Audio',
    Index: index,
    Codec: spec.codec ?? 'aac',
    Channels: spec.channels ?? 2,
    SampleRate: 48_000,
    BitRate: spec.bitrate ?? 160_000,
    ...(spec.language ? { Language: spec.language } : {}),
    IsDefault: spec.isDefault ?? index === 1,
    IsForced: false,
    IsExternal: false,
  };
}

export function aSource(spec: SourceSpec = {}): MediaSourceInfo {
  const streams: MediaStream[] = [];
  if (spec.videoCodec !== null) streams.push(aVideoStream(spec, 0));
  const audio = spec.audio ?? [{}];
  audio.forEach((a, i) => {
    const s = anAudioStream(a, streams.length);
    if (a.isDefault === undefined) s.IsDefault = i === 0;
    streams.push(s);
  });
  for (const sub of spec.subtitles ?? []) {
    streams.push({
      Type: 'Subtitle',
      Index: streams.length,
      Codec: sub.codec,
      ...(sub.language ? { Language: sub.language } : {}),
      IsDefault: sub.isDefault ?? false,
      IsForced: sub.forced ?? false,
      IsExternal: sub.external !== undefined,
      ...(sub.external ? { Path: sub.external } : {}),
    });
  }
  const durationSeconds = spec.durationSeconds ?? 60;
  const streamBitrate = streams.reduce((sum, s) => sum + (s.Type === 'Subtitle' ? 0 : (s.BitRate ?? 0)), 0);
  const bitrate = spec.bitrate ?? streamBitrate;
  const container = spec.container ?? 'mp4';
  return {
    Id: 'src1',
    Protocol: 'File',
    Type: 'Default',
    Container: container,
    Path: spec.path ?? `movie.${container}`,
    Size: spec.size ?? Math.round((bitrate * durationSeconds) / 8),
    RunTimeTicks: durationSeconds * 10_000_000,
    Bitrate: bitrate,
    IsRemote: false,
    SupportsTranscoding: true,
    SupportsDirectStream: true,
    SupportsDirectPlay: true,
    RequiresOpening: false,
    MediaStreams: streams,
  };
}

/** A song: one audio stream, no video. */
export function aSong(
  spec: { container?: string; codec?: string; bitrate?: number; channels?: number; durationSeconds?: number } = {},
): MediaSourceInfo {
  return aSource({
    container: spec.container ?? 'mp3',
    videoCodec: null,
    audio: [{ codec: spec.codec ?? 'mp3', bitrate: spec.bitrate ?? 192_000, channels: spec.channels ?? 2 }],
    durationSeconds: spec.durationSeconds ?? 200,
  });
}

export interface ProfileSpec {
  maxStaticBitrate?: number | string;
  maxStaticMusicBitrate?: number;
  musicTranscodingBitrate?: number;
  /** Direct play WebM (VP8/VP9/AV1 with Opus/Vorbis), as Chromium does. */
  webm?: boolean;
  maxAudioChannels?: number | string;
  maxWidth?: number;
  maxHeight?: number;
  maxFramerate?: number;
  staticVideo?: Partial<TranscodingProfile> | null;
  staticAudio?: Partial<TranscodingProfile> | null;
  subtitleProfiles?: SubtitleProfile[];
}

/**
 * A Chromium-like profile: MP4 with H.264 (8-bit) and AAC/MP3 plays directly; the Static transcoding
 * profile writes MP4 H.264/AAC; text subtitles as WebVTT sidecars.
 */
export function aProfile(spec: ProfileSpec = {}): DeviceProfile {
  const transcoding: TranscodingProfile[] = [
    // A streaming profile first: sync must skip it and take the Static one.
    { Container: 'ts', Type: 'Video', VideoCodec: 'h264', AudioCodec: 'aac', Protocol: 'hls', Context: 'Streaming' },
  ];
  if (spec.staticVideo !== null) {
    transcoding.push({
      Container: 'mp4',
      Type: 'Video',
      VideoCodec: 'h264',
      AudioCodec: 'aac,mp3',
      Protocol: 'http',
      Context: 'Static',
      MaxAudioChannels: spec.maxAudioChannels ?? '6',
      ...spec.staticVideo,
    });
  }
  if (spec.staticAudio !== null) {
    transcoding.push({ Container: 'mp3', Type: 'Audio', AudioCodec: 'mp3', Protocol: 'http', Context: 'Static', ...spec.staticAudio });
  }
  const videoConditions = [
    { Condition: 'EqualsAny' as const, Property: 'VideoProfile', Value: 'high|main|baseline|constrained baseline', IsRequired: false },
    { Condition: 'LessThanEqual' as const, Property: 'VideoLevel', Value: '52', IsRequired: false },
    { Condition: 'LessThanEqual' as const, Property: 'VideoBitDepth', Value: '8', IsRequired: false },
  ];
  if (spec.maxWidth)
    videoConditions.push({ Condition: 'LessThanEqual', Property: 'Width', Value: String(spec.maxWidth), IsRequired: false });
  if (spec.maxHeight)
    videoConditions.push({ Condition: 'LessThanEqual', Property: 'Height', Value: String(spec.maxHeight), IsRequired: false });
  if (spec.maxFramerate)
    videoConditions.push({ Condition: 'LessThanEqual', Property: 'VideoFramerate', Value: String(spec.maxFramerate), IsRequired: false });

  return {
    Name: 'Test browser',
    MaxStreamingBitrate: 120_000_000,
    MaxStaticBitrate: spec.maxStaticBitrate ?? 100_000_000,
    ...(spec.maxStaticMusicBitrate ? { MaxStaticMusicBitrate: spec.maxStaticMusicBitrate } : {}),
    ...(spec.musicTranscodingBitrate ? { MusicStreamingTranscodingBitrate: spec.musicTranscodingBitrate } : {}),
    DirectPlayProfiles: [
      { Container: 'mp4,m4v', Type: 'Video', VideoCodec: 'h264', AudioCodec: 'aac,mp3' },
      ...(spec.webm ? [{ Container: 'webm', Type: 'Video' as const, VideoCodec: 'vp8,vp9,av1', AudioCodec: 'vorbis,opus' }] : []),
      { Container: 'mp3', Type: 'Audio', AudioCodec: 'mp3' },
      { Container: 'm4a,mp4', Type: 'Audio', AudioCodec: 'aac' },
      { Container: 'flac', Type: 'Audio', AudioCodec: 'flac' },
      { Container: 'jpg,jpeg,png,webp', Type: 'Photo' },
    ],
    TranscodingProfiles: transcoding,
    CodecProfiles: [
      { Type: 'Video', Codec: 'h264', Conditions: videoConditions },
      {
        Type: 'VideoAudio',
        Codec: 'aac',
        Conditions: [
          { Condition: 'LessThanEqual', Property: 'AudioChannels', Value: String(spec.maxAudioChannels ?? 6), IsRequired: false },
        ],
      },
    ],
    SubtitleProfiles: spec.subtitleProfiles ?? [
      { Format: 'vtt', Method: 'External' },
      { Format: 'vtt', Method: 'Hls' },
    ],
  };
}
