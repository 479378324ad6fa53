/** A song's plan: direct play, a remux into a container the device lists for its codec, or a transcode. */
import { CODEC_MAX_CHANNELS } from './audioStreams.js';
import { canMuxAudio, canonicalCodec, canonicalContainer, csvList, ENCODABLE_AUDIO, isWritableContainer, listAccepts } from './codecs.js';
import { canEncode, missingEncoderText } from './encoders.js';
import { audioProperties, capsFromConditions, codecConditions, failedConditions, type SourceProperties } from './conditions.js';
import type { MediaStream } from '../api/items.js';
import type { DirectPlayProfile, ProfileCondition } from './types.js';
import type { AudioRemuxPlan, ConversionContext, ConversionInput, ConversionPlan, DirectPlan } from './plan.js';
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

/** What the decision knows about the song and the device once it has picked the audio stream. */
interface SongFacts {
  input: ConversionInput;
  context: ConversionContext;
  audio: MediaStream;
  codec: string;
  containers: string[];
  /** The music bitrate cap, when transcoding is allowed. */
  musicCap: number | undefined;
  props: SourceProperties;
  /** Direct-play profiles that list this codec (whatever their container). */
  audioProfiles: DirectPlayProfile[];
  /** The conditions of the device's Audio codec profiles this song fails in these containers. */
  failures(containers: string[]): ProfileCondition[];
}

export function decideAudio(input: ConversionInput): ConversionPlan {
  const audio = orderAudioStreams(input.source.MediaStreams ?? [], input.audioLanguage)[0];
  if (!audio) return direct(['no audio stream; serving the source']);
  if (input.quality === 'original') return direct(['Original quality serves the source file']);
  const song = songFacts(input, audio);
  const { reasons, onlyContainer } = directPlayVerdict(song);
  if (reasons.length === 0) return direct([`${song.containers[0] ?? '?'}/${song.codec} plays directly`]);
  // Only the container is wrong: rewrap into a container a direct-play profile lists for this codec.
  const remux = onlyContainer ? remuxPlan(song, reasons) : undefined;
  return remux ?? transcodePlan(song, reasons);
}

function direct(reasons: string[]): DirectPlan {
  return { kind: 'direct', mediaType: 'Audio', subtitles: [], reasons };
}

function songFacts(input: ConversionInput, audio: MediaStream): SongFacts {
  const { source, profile } = input;
  const context = input.context ?? 'Static';
  const codec = canonicalCodec(audio.Codec ?? 'unknown');
  const cap = input.enableTranscoding
    ? qualityCap(input.quality, context === 'Static' ? profile.MaxStaticBitrate : profile.MaxStreamingBitrate, input.bitrate)
    : undefined;
  const props = audioProperties(audio, false);
  return {
    input,
    context,
    audio,
    codec,
    containers: sourceContainers(source),
    musicCap: input.enableTranscoding ? ((context === 'Static' ? num(profile.MaxStaticMusicBitrate) : undefined) ?? cap) : undefined,
    props,
    audioProfiles: (profile.DirectPlayProfiles ?? []).filter(
      (p) => p.Type === 'Audio' && listAccepts(p.AudioCodec, [codec], canonicalCodec),
    ),
    failures: (cs) => failedConditions(codecConditions(profile.CodecProfiles, { type: 'Audio', codec, container: cs }, props), props),
  };
}

/** Why the song can't play as it is (none: it plays directly), and whether only its container is wrong. */
function directPlayVerdict(song: SongFacts): { reasons: string[]; onlyContainer: boolean } {
  const { audio, codec, containers, musicCap, audioProfiles, props } = song;
  const reasons: string[] = [];
  const bitrate = audio.BitRate ?? sourceBitrate(song.input.source);
  if (musicCap !== undefined && bitrate !== undefined && bitrate > musicCap)
    reasons.push(`bitrate ${mbps(bitrate)} over the ${mbps(musicCap)} music cap`);
  const playable = audioProfiles.filter((p) => listAccepts(p.Container, containers, canonicalContainer));
  if (playable.length === 0) {
    reasons.push(
      audioProfiles.length === 0
        ? `audio codec ${codec} not in DirectPlayProfiles`
        : `container ${containers[0] ?? 'unknown'} not in DirectPlayProfiles for ${codec}`,
    );
  }
  reasons.push(...failureText(`${codec} codec profile`, song.failures(containers), props));
  return { reasons, onlyContainer: playable.length === 0 && audioProfiles.length > 0 && reasons.length === 1 };
}

function remuxPlan(song: SongFacts, reasons: string[]): AudioRemuxPlan | undefined {
  const { audio, codec } = song;
  const target = song.audioProfiles
    .flatMap((p) => csvList(p.Container, canonicalContainer))
    .find((c) => isWritableContainer(c) && canMuxAudio(c, codec) && song.failures([c]).length === 0);
  if (!target) return undefined;
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

function transcodePlan(song: SongFacts, reasons: string[]): ConversionPlan {
  const { input, context, audio, codec, musicCap } = song;
  const profile = input.profile;
  const tp = firstTranscodingProfile(profile, 'Audio', context);
  if (!tp) return direct([...reasons, `no ${context} Audio TranscodingProfile; serving the source`]);
  if (!input.enableTranscoding)
    return direct([...reasons, 'transcoding is off for this user (EnableSyncTranscoding=false); serving the source']);
  const container = canonicalContainer(tp.Container);
  const listed = csvList(tp.AudioCodec, canonicalCodec);
  const writable =
    listed.length === 0
      ? [defaultAudioCodecFor(container)]
      : listed.filter((c) => ENCODABLE_AUDIO.includes(c) && canMuxAudio(container, c));
  const target = writable.find((c) => canEncode('audio', c, input.encoders));
  if (writable.length === 0 || !isWritableContainer(container))
    return direct([...reasons, `can't encode ${tp.AudioCodec} into ${container}; serving the source`]);
  if (!target) return direct([...reasons, `${missingEncoderText('audio', writable)}; serving the source`]);
  const passed = writable.slice(0, writable.indexOf(target));
  if (passed.length > 0) reasons.push(`${target}, not ${passed.join(', ')}: ${missingEncoderText('audio', passed)}`);

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
