/** A song's plan: direct play, a remux into a container the device lists for its codec, or a transcode. */
import { CODEC_MAX_CHANNELS } from './audioStreams.js';
import { canMuxAudio, canonicalCodec, canonicalContainer, csvList, ENCODABLE_AUDIO, isWritableContainer, listAccepts } from './codecs.js';
import { audioProperties, capsFromConditions, codecConditions, failedConditions } from './conditions.js';
import type { ConversionInput, ConversionPlan, DirectPlan } from './plan.js';
import { qualityCap } from '../quality.js';
import { failureText, firstTranscodingProfile, mbps, num, orderAudioStreams, sourceBitrate, sourceContainers } from './sourceFacts.js';

const DEFAULT_MUSIC_TRANSCODE_BITRATE = 128_000;

function defaultAudioCodecFor(container: string): string {
  switch (container) {
    case 'mp3':
      return 'mp3';
    case 'ogg':
    case 'opus':
    case 'webm':
      return 'opus';
    case 'flac':
      return 'flac';
    default:
      return 'aac';
  }
}

export function decideAudio(input: ConversionInput): ConversionPlan {
  const { source, profile } = input;
  const context = input.context ?? 'Static';
  const direct = (reasons: string[]): DirectPlan => ({ kind: 'direct', mediaType: 'Audio', subtitles: [], reasons });
  const streams = source.MediaStreams ?? [];
  const audio = orderAudioStreams(streams, input.audioLanguage)[0];
  if (!audio) return direct(['no audio stream; serving the source']);
  if (input.quality === 'original') return direct(['Original quality serves the source file']);

  const codec = canonicalCodec(audio.Codec ?? 'unknown');
  const containers = sourceContainers(source);
  const cap = input.enableTranscoding
    ? qualityCap(input.quality, context === 'Static' ? profile.MaxStaticBitrate : profile.MaxStreamingBitrate, input.bitrate)
    : undefined;
  const musicCap = input.enableTranscoding ? ((context === 'Static' ? num(profile.MaxStaticMusicBitrate) : undefined) ?? cap) : undefined;
  const bitrate = audio.BitRate ?? sourceBitrate(source);
  const props = audioProperties(audio, false);

  const reasons: string[] = [];
  if (musicCap !== undefined && bitrate !== undefined && bitrate > musicCap)
    reasons.push(`bitrate ${mbps(bitrate)} over the ${mbps(musicCap)} music cap`);
  const failures = (cs: string[]) =>
    failedConditions(codecConditions(profile.CodecProfiles, { type: 'Audio', codec, container: cs }, props), props);
  const audioProfiles = (profile.DirectPlayProfiles ?? []).filter(
    (p) => p.Type === 'Audio' && listAccepts(p.AudioCodec, [codec], canonicalCodec),
  );
  const playable = audioProfiles.filter((p) => listAccepts(p.Container, containers, canonicalContainer));
  if (playable.length === 0) {
    reasons.push(
      audioProfiles.length === 0
        ? `audio codec ${codec} not in DirectPlayProfiles`
        : `container ${containers[0] ?? 'unknown'} not in DirectPlayProfiles for ${codec}`,
    );
  }
  const conditionFailures = failures(containers);
  reasons.push(...failureText(`${codec} codec profile`, conditionFailures, props));
  if (reasons.length === 0) return direct([`${containers[0] ?? '?'}/${codec} plays directly`]);

  // Only the container is wrong: rewrap into a container a direct-play profile lists for this codec.
  const onlyContainer = playable.length === 0 && audioProfiles.length > 0 && reasons.length === 1;
  if (onlyContainer) {
    const target = audioProfiles
      .flatMap((p) => csvList(p.Container, canonicalContainer))
      .find((c) => isWritableContainer(c) && canMuxAudio(c, codec) && failures([c]).length === 0);
    if (target) {
      return {
        kind: 'audio-remux',
        container: target,
        audio: {
          streamIndex: audio.Index,
          action: 'copy',
          codec,
          ...(audio.Language ? { language: audio.Language } : {}),
          ...(audio.BitRate ? { bitrate: audio.BitRate } : {}),
        },
        reasons: [...reasons, `remux to ${target}: ${codec} copied`],
      };
    }
  }

  const tp = firstTranscodingProfile(profile, 'Audio', context);
  if (!tp) return direct([...reasons, `no ${context} Audio TranscodingProfile; serving the source`]);
  if (!input.enableTranscoding)
    return direct([...reasons, 'transcoding is off for this user (EnableSyncTranscoding=false); serving the source']);
  const container = canonicalContainer(tp.Container);
  const listed = csvList(tp.AudioCodec, canonicalCodec);
  const target =
    listed.length === 0 ? defaultAudioCodecFor(container) : listed.find((c) => ENCODABLE_AUDIO.includes(c) && canMuxAudio(container, c));
  if (!target || !isWritableContainer(container))
    return direct([...reasons, `can't encode ${tp.AudioCodec} into ${container}; serving the source`]);

  const targetProps = audioProperties(audio, false);
  const caps = capsFromConditions(
    codecConditions(profile.CodecProfiles, { type: 'Audio', codec: target, container: [container] }, targetProps),
  );
  const channels = Math.max(
    1,
    Math.min(audio.Channels ?? 2, num(tp.MaxAudioChannels) ?? Infinity, caps.maxChannels ?? Infinity, CODEC_MAX_CHANNELS[target] ?? 8),
  );
  const outBitrate = Math.min(
    num(profile.MusicStreamingTranscodingBitrate) ?? DEFAULT_MUSIC_TRANSCODE_BITRATE,
    musicCap ?? Infinity,
    caps.maxAudioBitrate ?? Infinity,
  );
  return {
    kind: 'audio-transcode',
    container,
    audio: {
      streamIndex: audio.Index,
      action: 'encode',
      codec: target,
      bitrate: Math.round(outBitrate),
      channels,
      ...(audio.Language ? { language: audio.Language } : {}),
    },
    reasons: [...reasons, `transcode ${codec} → ${target} at ${Math.round(outBitrate / 1000)} kbps`],
  };
}
