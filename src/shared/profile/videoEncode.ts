/** The video half of a transcode: codec, frame, rate control, level, and what the picture needs fixed. */
import type { MediaSourceInfo, MediaStream } from '../api/items.js';
import { audioBitrateOf } from './audioStreams.js';
import { canMuxVideo, canonicalCodec, csvList, ENCODABLE_VIDEO } from './codecs.js';
import { capsFromConditions, codecConditions, videoFramerate, type SourceProperties } from './conditions.js';
import { canEncode, missingEncoderText, type ServerEncoders } from './encoders.js';
import { displayFrame, pictureFixes } from './picture.js';
import {
  KEYFRAME_INTERVAL_SECONDS,
  type AudioAction,
  type ConversionContext,
  type ConversionInput,
  type VideoCodecOut,
  type VideoEncode,
} from './plan.js';
import type { TranscodingProfile } from './types.js';
import {
  fitFrame,
  h264LevelFor,
  ladderBox,
  rateControlForCap,
  rateControlForTarget,
  sourceWorthyBitrate,
  type RateControl,
} from './videoOutput.js';

export interface VideoFacts {
  input: ConversionInput;
  source: MediaSourceInfo;
  video: MediaStream;
  videoCodec: string;
  containers: string[];
  audioOrder: MediaStream[];
  allAudio: MediaStream[];
  chosenAudio?: MediaStream;
  videoProps: SourceProperties;
  bitrate?: number;
  cap?: number;
  context: ConversionContext;
}

function chooseVideoProfile(codec: VideoCodecOut, allowed: string[] | undefined): string | undefined {
  const preference: Record<VideoCodecOut, string[]> = {
    h264: ['high', 'main', 'baseline'],
    hevc: ['main'],
    vp9: [],
    vp8: [],
  };
  const options = preference[codec];
  if (options.length === 0) return undefined;
  if (!allowed || allowed.length === 0) return options[0];
  return options.find((p) => allowed.includes(p) || (p === 'baseline' && allowed.includes('constrained baseline'))) ?? options[0];
}

function isVideoCodecOut(codec: string): codec is VideoCodecOut {
  return ENCODABLE_VIDEO.includes(codec);
}

/**
 * The profile's first video codec (h264 when it lists none) that we encode, the container carries and this
 * server's ffmpeg has an encoder for; else why none is. A codec passed over for want of an encoder is said
 * in the reasons, so a device that gets H.264 where it listed HEVC first can tell why.
 */
function chooseVideoCodec(tp: TranscodingProfile, container: string, encoders: ServerEncoders | undefined, reasons: string[]) {
  const listed = csvList(tp.VideoCodec, canonicalCodec);
  const writable = (listed.length > 0 ? listed : ['h264']).filter(isVideoCodecOut).filter((c) => canMuxVideo(container, c));
  const codec = writable.find((c) => canEncode('video', c, encoders));
  if (!codec) {
    if (writable.length > 0) return { failure: missingEncoderText('video', writable) };
    return { failure: `can't encode any of ${tp.VideoCodec ?? 'the listed codecs'} into ${container}` };
  }
  const passed = writable.slice(0, writable.indexOf(codec));
  if (passed.length > 0) reasons.push(`video ${codec}, not ${passed.join(', ')}: ${missingEncoderText('video', passed)}`);
  return { codec };
}

export function planVideoEncode(
  f: VideoFacts,
  tp: TranscodingProfile,
  container: string,
  audio: AudioAction[],
  reasons: string[],
): VideoEncode | string {
  const choice = chooseVideoCodec(tp, container, f.input.encoders, reasons);
  if (!choice.codec) return choice.failure;
  const codec = choice.codec;

  const caps = capsFromConditions(
    codecConditions(f.input.profile.CodecProfiles, { type: 'Video', codec, container: [container] }, f.videoProps),
  );

  const audioTotal = audio.reduce((sum, a) => sum + audioBitrateOf(a), 0);
  const sourceFps = videoFramerate(f.video);
  const frame = displayFrame(f.video);
  const displayW = frame?.width;
  const displayH = frame?.height;

  const worthy = sourceWorthyBitrate(f.videoCodec, f.video.BitRate, displayW, displayH, sourceFps);
  let rc: RateControl;
  let box: { long: number; short: number } | undefined;
  if (f.cap !== undefined) {
    rc = rateControlForCap(f.cap, audioTotal);
    box = ladderBox(rc.maxBitrate);
    // Never spend more than the source deserves: a 2 Mbps HEVC file under a 140 Mbps cap needs ~3 Mbps.
    if (worthy !== undefined && worthy < rc.maxBitrate) rc = rateControlForTarget(worthy);
  } else {
    rc = rateControlForTarget(worthy ?? 8_000_000);
  }
  if (caps.maxVideoBitrate && caps.maxVideoBitrate < rc.maxBitrate) rc = rateControlForTarget(caps.maxVideoBitrate);

  const encode: VideoEncode = {
    streamIndex: f.video.Index,
    codec,
    ...rc,
    pixFmt: 'yuv420p',
    keyframeIntervalSeconds: KEYFRAME_INTERVAL_SECONDS,
    ...pictureFixes(f.video, f.input.profile, codec, container, f.videoProps, reasons),
  };
  if (displayW && displayH) {
    const size = fitFrame(displayW, displayH, { maxWidth: caps.maxWidth, maxHeight: caps.maxHeight, box });
    encode.width = size.width;
    encode.height = size.height;
    if (size.width < displayW - 1 || size.height < displayH - 1)
      reasons.push(`scaled ${displayW}x${displayH} → ${size.width}x${size.height}`);
    if (f.video.Width && displayW !== f.video.Width && displayW !== f.video.Height)
      reasons.push(`anamorphic ${f.video.Width}x${f.video.Height} (${f.video.AspectRatio}) shown as ${displayW}x${displayH} square pixels`);
  }
  const profileName = chooseVideoProfile(codec, caps.videoProfiles);
  if (profileName) encode.profile = profileName;
  let fps = sourceFps;
  if (caps.maxFramerate && sourceFps && sourceFps > caps.maxFramerate + 0.01) {
    encode.framerate = caps.maxFramerate;
    fps = caps.maxFramerate;
    reasons.push(`frame rate ${Number(sourceFps.toFixed(3))} → ${caps.maxFramerate}`);
  }
  // x264 signals the lowest level the output needs by itself; forcing the profile's maximum would
  // label a 480p file 5.2, which some hardware decoders refuse. Only a cap below the need is passed on.
  if (codec === 'h264' && caps.maxLevel && encode.width && encode.height) {
    const needed = h264LevelFor(encode.width, encode.height, fps ?? 30);
    if (needed === undefined || needed > caps.maxLevel) {
      encode.level = caps.maxLevel;
      reasons.push(`level capped at ${caps.maxLevel} (the frame needs ${needed ?? 'more than 52'})`);
    }
  }
  if (fps) encode.gop = Math.max(1, Math.round(fps * KEYFRAME_INTERVAL_SECONDS));
  return encode;
}
