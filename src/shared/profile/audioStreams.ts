/** The audio tracks of a video remux or transcode: which are kept, and whether each is copied or encoded. */
import type { MediaStream } from '../api/items.js';
import { canMuxAudio, canonicalCodec, csvList, ENCODABLE_AUDIO, listAccepts } from './codecs.js';
import {
  audioProperties,
  capsFromConditions,
  codecConditions,
  describeFailure,
  failedConditions,
  type OutputCaps,
  type SourceProperties,
} from './conditions.js';
import { canEncode, missingEncoderText, type ServerEncoders } from './encoders.js';
import type { AudioAction } from './plan.js';
import { languageMatches, num } from './sourceFacts.js';
import type { DeviceProfile, TranscodingProfile } from './types.js';

/** Codec limits the encoders or containers impose regardless of the profile. */
export const CODEC_MAX_CHANNELS: Record<string, number> = { mp3: 2, aac: 8, opus: 8, vorbis: 8, ac3: 6, eac3: 8, flac: 8 };

/**
 * Encode bitrate for an audio stream: 96 kbps per channel up to stereo (192k), 64 kbps per channel
 * beyond (5.1 → 384k); 64k per channel under a low cap; never more than a lossy source had.
 */
function audioEncodeBitrate(codec: string, channels: number, cap: number | undefined, source: MediaStream, caps: OutputCaps): number {
  const low = cap !== undefined && cap <= 1_500_000;
  const perChannel = channels <= 2 && !low ? 96_000 : 64_000;
  let bitrate = perChannel * channels;
  if (codec === 'mp3') bitrate = Math.min(bitrate, 320_000);
  const lossless =
    ['flac', 'alac', 'truehd', 'mlp'].includes(canonicalCodec(source.Codec ?? '')) || canonicalCodec(source.Codec ?? '').startsWith('pcm');
  if (!lossless && source.BitRate && source.BitRate > 0) bitrate = Math.min(bitrate, Math.max(source.BitRate, 64_000));
  if (caps.maxAudioBitrate) bitrate = Math.min(bitrate, caps.maxAudioBitrate);
  return Math.round(bitrate / 1000) * 1000;
}

export interface AudioPlanContext {
  profile: DeviceProfile;
  tp: TranscodingProfile;
  container: string;
  cap: number | undefined;
  /** In a transcode a copy must also fit the audio budget. */
  transcoding: boolean;
  videoProps: SourceProperties;
  /** The server's encoders (ConversionInput.encoders); absent: every ENCODABLE_AUDIO codec. */
  encoders?: ServerEncoders;
}

/**
 * The codec a track is encoded into: the TranscodingProfile's first that we encode, the container carries
 * and this server's ffmpeg has an encoder for; else AAC (Opus where the container can't carry AAC) if it has.
 */
function chooseAudioTarget(ctx: AudioPlanContext): { codec: string; failure?: undefined } | { codec?: undefined; failure: string } {
  const listed = csvList(ctx.tp.AudioCodec, canonicalCodec).filter((c) => ENCODABLE_AUDIO.includes(c) && canMuxAudio(ctx.container, c));
  const candidates = [...listed, canMuxAudio(ctx.container, 'aac') ? 'aac' : 'opus'];
  const codec = candidates.find((c) => canEncode('audio', c, ctx.encoders));
  return codec ? { codec } : { failure: missingEncoderText('audio', candidates) };
}

function planAudioStream(stream: MediaStream, isSecondary: boolean, ctx: AudioPlanContext, reasons: string[]): AudioAction | string {
  const codec = canonicalCodec(stream.Codec ?? 'unknown');
  const props = { ...ctx.videoProps, ...audioProperties(stream, isSecondary) };
  const maxChannels = num(ctx.tp.MaxAudioChannels);
  const lang = stream.Language ? { language: stream.Language } : {};

  const why: string[] = [];
  if (!listAccepts(ctx.tp.AudioCodec, [codec], canonicalCodec)) why.push(`not in the TranscodingProfile (${ctx.tp.AudioCodec})`);
  else if (!canMuxAudio(ctx.container, codec)) why.push(`${ctx.container} can't carry it`);
  const failed = failedConditions(
    codecConditions(ctx.profile.CodecProfiles, { type: 'VideoAudio', codec, container: [ctx.container] }, props),
    props,
  );
  why.push(...failed.map((c) => describeFailure(c, props)));
  if (maxChannels && (stream.Channels ?? 0) > maxChannels) why.push(`${stream.Channels} channels over MaxAudioChannels ${maxChannels}`);

  const choice = chooseAudioTarget(ctx);
  if (!choice.codec) {
    // Nothing to encode into: a track that needs no change is still copied, one that does sinks the plan.
    if (why.length > 0) return `audio ${codec} (stream ${stream.Index}) must be re-encoded but ${choice.failure}`;
    return { streamIndex: stream.Index, action: 'copy', codec, ...lang, ...(stream.BitRate ? { bitrate: stream.BitRate } : {}) };
  }
  const target = choice.codec;
  const targetCaps = capsFromConditions(
    codecConditions(ctx.profile.CodecProfiles, { type: 'VideoAudio', codec: target, container: [ctx.container] }, props),
  );
  let channels = Math.min(
    stream.Channels ?? 2,
    maxChannels ?? Infinity,
    targetCaps.maxChannels ?? Infinity,
    CODEC_MAX_CHANNELS[target] ?? 8,
  );
  // Under a low cap surround costs a quarter of the budget; stereo is what small screens play anyway.
  if (ctx.transcoding && ctx.cap !== undefined && ctx.cap <= 1_500_000) channels = Math.min(channels, 2);
  channels = Math.max(1, channels);
  const bitrate = audioEncodeBitrate(target, channels, ctx.cap, stream, targetCaps);

  if (why.length === 0 && ctx.transcoding && ctx.cap !== undefined) {
    if (!stream.BitRate) why.push('unknown bitrate under a cap');
    else if (stream.BitRate > bitrate)
      why.push(`${Math.round(stream.BitRate / 1000)} kbps over the ${Math.round(bitrate / 1000)} kbps audio budget`);
  }
  if (why.length === 0) {
    return { streamIndex: stream.Index, action: 'copy', codec, ...lang, ...(stream.BitRate ? { bitrate: stream.BitRate } : {}) };
  }
  reasons.push(`audio ${codec} (stream ${stream.Index}) → ${target}: ${why.join('; ')}`);
  return { streamIndex: stream.Index, action: 'encode', codec: target, bitrate, channels, ...lang };
}

export function planAudioStreams(
  ordered: readonly MediaStream[],
  allAudio: readonly MediaStream[],
  ctx: AudioPlanContext,
  reasons: string[],
): AudioAction[] | string {
  const actions: AudioAction[] = [];
  for (const s of ordered) {
    const action = planAudioStream(s, s !== allAudio[0], ctx, reasons);
    if (typeof action === 'string') return action;
    actions.push(action);
  }
  return actions;
}

export function audioBitrateOf(action: AudioAction): number {
  return action.bitrate ?? 192_000;
}

/**
 * The audio tracks a converted copy keeps, in output order: the one that suits the user (first in
 * `ordered`: their language, else the default, else the first) and, when it is another language, the
 * original-language track — at most two. A film with five dubs otherwise carries all five, and at a low
 * quality they eat most of the video's bitrate budget. Original quality never gets here: it serves the file.
 */
export function selectAudioStreams(
  ordered: readonly MediaStream[],
  allAudio: readonly MediaStream[],
  originalLanguage?: string,
): MediaStream[] {
  const chosen = ordered[0];
  if (!chosen) return [];
  const original = originalLanguage
    ? (allAudio.find((s) => s.IsDefault && languageMatches(s, originalLanguage)) ??
      allAudio.find((s) => languageMatches(s, originalLanguage)))
    : allAudio[0];
  if (!original || original === chosen) return [chosen];
  const sameLanguage = chosen.Language !== undefined && original.Language !== undefined && languageMatches(chosen, original.Language);
  return sameLanguage ? [chosen] : [chosen, original];
}
