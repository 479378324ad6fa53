/** DeviceProfile as clients send it (API.md §8). Numbers may arrive as strings; parse before use. */

export type ProfileConditionType = 'Equals' | 'NotEquals' | 'LessThanEqual' | 'GreaterThanEqual' | 'EqualsAny';

export type ProfileConditionValue =
  | 'AudioChannels'
  | 'AudioBitrate'
  | 'AudioProfile'
  | 'AudioSampleRate'
  | 'AudioBitDepth'
  | 'Width'
  | 'Height'
  | 'VideoBitrate'
  | 'VideoFramerate'
  | 'VideoLevel'
  | 'VideoProfile'
  | 'VideoBitDepth'
  | 'RefFrames'
  | 'IsAnamorphic'
  | 'IsInterlaced'
  | 'IsAvc'
  | 'IsSecondaryAudio'
  | 'NumAudioStreams'
  | 'NumVideoStreams'
  | 'VideoCodecTag'
  | 'VideoRange'
  | 'Has64BitOffsets'
  | string;

export interface ProfileCondition {
  Condition: ProfileConditionType;
  Property: ProfileConditionValue;
  Value: string;
  IsRequired?: boolean | string;
}

export type ProfileMediaType = 'Audio' | 'Video' | 'Photo';

export interface DirectPlayProfile {
  Container?: string;
  AudioCodec?: string;
  VideoCodec?: string;
  Type: ProfileMediaType;
}

export interface TranscodingProfile {
  Container: string;
  Type: ProfileMediaType;
  VideoCodec?: string;
  AudioCodec?: string;
  Protocol?: 'http' | 'hls' | string;
  Context?: 'Streaming' | 'Static' | string;
  MaxAudioChannels?: string | number;
  MinSegments?: string | number;
  SegmentLength?: string | number;
  BreakOnNonKeyFrames?: boolean;
  CopyTimestamps?: boolean;
  EstimateContentLength?: boolean;
  EnableMpegtsM2TsMode?: boolean;
  TranscodeSeekInfo?: string;
  EnableSubtitlesInManifest?: boolean;
}

export interface ContainerProfile {
  Type: ProfileMediaType;
  Container?: string;
  Conditions?: ProfileCondition[];
}

export interface CodecProfile {
  Type: 'Video' | 'VideoAudio' | 'Audio';
  Codec?: string;
  Container?: string;
  Conditions?: ProfileCondition[];
  ApplyConditions?: ProfileCondition[];
}

export interface SubtitleProfile {
  Format: string;
  Method: 'Encode' | 'Embed' | 'External' | 'Hls' | string;
  Language?: string;
  Container?: string;
}

export interface DeviceProfile {
  Name?: string;
  Id?: string;
  MaxStreamingBitrate?: number | string;
  MaxStaticBitrate?: number | string;
  MaxStaticMusicBitrate?: number | string;
  MusicStreamingTranscodingBitrate?: number | string;
  DirectPlayProfiles?: DirectPlayProfile[];
  TranscodingProfiles?: TranscodingProfile[];
  ContainerProfiles?: ContainerProfile[];
  CodecProfiles?: CodecProfile[];
  SubtitleProfiles?: SubtitleProfile[];
  ResponseProfiles?: unknown[];
}
