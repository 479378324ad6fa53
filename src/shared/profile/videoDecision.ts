/**
 * A video's plan: direct play if every profile check passes, else a remux (video copied) if the video
 * itself is fine, else a transcode — with the audio tracks the copy keeps (audioStreams.ts).
 */
import type { DirectPlayProfile, TranscodingProfile } from './types.js';
import { planAudioStreams, selectAudioStreams } from './audioStreams.js';
import { canMuxVideo, canonicalCodec, canonicalContainer, isWritableContainer, listAccepts } from './codecs.js';
import { audioProperties, codecConditions, failedConditions, videoProperties } from './conditions.js';
import type { ConversionInput, ConversionPlan, DirectPlan } from './plan.js';
import { qualityCap } from '../quality.js';
import { failureText, firstTranscodingProfile, mbps, orderAudioStreams, sourceBitrate, sourceContainers } from './sourceFacts.js';
import { planSubtitles } from './subtitles.js';
import { planVideoEncode, type VideoFacts } from './videoEncode.js';

function directPlayMisses(f: VideoFacts): string[] {
  const profiles = (f.input.profile.DirectPlayProfiles ?? []).filter((p) => p.Type === 'Video');
  const audioCodec = f.chosenAudio ? canonicalCodec(f.chosenAudio.Codec ?? 'unknown') : undefined;
  const containerLabel = f.containers[0] ?? 'unknown';
  const byContainer = profiles.filter((p) => listAccepts(p.Container, f.containers, canonicalContainer));
  if (byContainer.length === 0) return [`container ${containerLabel} not in DirectPlayProfiles`];
  const byVideo = byContainer.filter((p) => listAccepts(p.VideoCodec, [f.videoCodec], canonicalCodec));
  if (byVideo.length === 0) return [`video codec ${f.videoCodec} not in DirectPlayProfiles for ${containerLabel}`];
  if (audioCodec && !byVideo.some((p: DirectPlayProfile) => listAccepts(p.AudioCodec, [audioCodec], canonicalCodec))) {
    return [`audio codec ${audioCodec} not in DirectPlayProfiles for ${containerLabel}/${f.videoCodec}`];
  }
  return [];
}

function directConditionMisses(f: VideoFacts): string[] {
  const { profile } = f.input;
  const misses: string[] = [];
  const containerConditions = (profile.ContainerProfiles ?? [])
    .filter((p) => p.Type === 'Video' && listAccepts(p.Container, f.containers, canonicalContainer))
    .flatMap((p) => p.Conditions ?? []);
  misses.push(...failureText('container profile', failedConditions(containerConditions, f.videoProps), f.videoProps));
  const videoConditions = codecConditions(
    profile.CodecProfiles,
    { type: 'Video', codec: f.videoCodec, container: f.containers },
    f.videoProps,
  );
  misses.push(...failureText(`${f.videoCodec} codec profile`, failedConditions(videoConditions, f.videoProps), f.videoProps));
  if (f.chosenAudio) {
    const audioCodec = canonicalCodec(f.chosenAudio.Codec ?? 'unknown');
    const props = { ...f.videoProps, ...audioProperties(f.chosenAudio, f.chosenAudio !== f.allAudio[0]) };
    const audioConditions = codecConditions(
      profile.CodecProfiles,
      { type: 'VideoAudio', codec: audioCodec, container: f.containers },
      props,
    );
    misses.push(...failureText(`${audioCodec} codec profile`, failedConditions(audioConditions, props), props));
  }
  return misses;
}

function bitrateMiss(f: VideoFacts): string[] {
  if (f.cap === undefined || f.bitrate === undefined || f.bitrate <= f.cap) return [];
  return [`bitrate ${mbps(f.bitrate)} over the ${mbps(f.cap)} cap`];
}

function remuxMisses(f: VideoFacts, tp: TranscodingProfile): string[] {
  const container = canonicalContainer(tp.Container);
  if (!isWritableContainer(container)) return [`can't write a ${container} file`];
  const misses: string[] = [];
  if (!listAccepts(tp.VideoCodec, [f.videoCodec], canonicalCodec)) {
    misses.push(`video codec ${f.videoCodec} not in the ${f.context} TranscodingProfile (${tp.VideoCodec})`);
  } else if (!canMuxVideo(container, f.videoCodec)) {
    misses.push(`${container} can't carry ${f.videoCodec} video`);
  }
  const conditions = codecConditions(
    f.input.profile.CodecProfiles,
    { type: 'Video', codec: f.videoCodec, container: [container] },
    f.videoProps,
  );
  misses.push(...failureText(`${f.videoCodec} codec profile`, failedConditions(conditions, f.videoProps), f.videoProps));
  misses.push(...bitrateMiss(f));
  return misses;
}

export function decideVideo(input: ConversionInput): ConversionPlan {
  const { source, profile } = input;
  const context = input.context ?? 'Static';
  const streams = source.MediaStreams ?? [];
  const video = streams.find((s) => s.Type === 'Video');
  const direct = (reasons: string[]): DirectPlan => ({
    kind: 'direct',
    mediaType: 'Video',
    subtitles: planSubtitles(streams, profile.SubtitleProfiles, { kind: 'direct' }, input.subtitleLanguage),
    reasons,
  });
  if (!video) return direct(['no video stream; serving the source']);
  if (input.quality === 'original') return direct(['Original quality serves the source file']);

  const allAudio = streams.filter((s) => s.Type === 'Audio');
  const audioOrder = orderAudioStreams(streams, input.audioLanguage);
  // Without transcoding rights a job runs as Original: no cap, because only a re-encode could meet one.
  const cap = input.enableTranscoding
    ? qualityCap(input.quality, context === 'Static' ? profile.MaxStaticBitrate : profile.MaxStreamingBitrate, input.bitrate)
    : undefined;
  const f: VideoFacts = {
    input,
    source,
    video,
    videoCodec: canonicalCodec(video.Codec ?? 'unknown'),
    containers: sourceContainers(source),
    audioOrder,
    allAudio,
    chosenAudio: audioOrder[0],
    videoProps: videoProperties(video, source),
    bitrate: sourceBitrate(source),
    cap,
    context,
  };

  const directMisses = [...directPlayMisses(f), ...directConditionMisses(f), ...bitrateMiss(f)];
  if (directMisses.length === 0) {
    const under = cap !== undefined ? ` within the ${mbps(cap)} cap` : '';
    return direct([
      `${f.containers[0] ?? '?'}/${f.videoCodec}${f.chosenAudio ? '/' + canonicalCodec(f.chosenAudio.Codec ?? '?') : ''} plays directly${under}`,
    ]);
  }
  const reasons = [...directMisses];

  const tp = firstTranscodingProfile(profile, 'Video', context);
  if (!tp) return direct([...reasons, `no ${context} Video TranscodingProfile; serving the source`]);

  return remuxOrTranscode(f, tp, reasons, direct);
}

/** Past direct play, with a Static/Streaming TranscodingProfile: a remux if the video may be copied, else a transcode. */
function remuxOrTranscode(
  f: VideoFacts,
  tp: TranscodingProfile,
  reasons: string[],
  direct: (reasons: string[]) => DirectPlan,
): ConversionPlan {
  const { input, video, audioOrder, allAudio, cap, context } = f;
  const { profile } = input;
  const streams = f.source.MediaStreams ?? [];
  const container = canonicalContainer(tp.Container);
  // Streaming keeps every track: the HLS builder picks the one the player asks for (playback/hlsArgs.ts).
  const kept = context === 'Static' ? selectAudioStreams(audioOrder, allAudio, input.originalLanguage) : audioOrder;
  if (kept.length < allAudio.length) {
    const langs = kept.map((s) => s.Language ?? `stream ${s.Index}`).join(' + ');
    reasons.push(`audio: kept ${langs} of ${allAudio.length} tracks`);
  }
  const audioContext = { profile, tp, container, cap, videoProps: f.videoProps, encoders: input.encoders };
  const remuxBlockers = remuxMisses(f, tp);
  if (remuxBlockers.length === 0) {
    reasons.push(`remux to ${container}: ${f.videoCodec} video copied`);
    const audio = planAudioStreams(kept, allAudio, { ...audioContext, transcoding: false }, reasons);
    if (typeof audio === 'string') return direct([...reasons, `${audio}; serving the source`]);
    return {
      kind: 'remux',
      container,
      video: { copy: true, streamIndex: video.Index, codec: f.videoCodec },
      audio,
      subtitles: planSubtitles(streams, profile.SubtitleProfiles, { kind: 'mux', container, transcoding: false }, input.subtitleLanguage),
      reasons,
    };
  }
  reasons.push(...remuxBlockers.map((r) => `no remux: ${r}`));

  if (!input.enableTranscoding) {
    return direct([...reasons, 'transcoding is off for this user (EnableSyncTranscoding=false); serving the source']);
  }

  const audio = planAudioStreams(kept, allAudio, { ...audioContext, transcoding: true }, reasons);
  if (typeof audio === 'string') return direct([...reasons, `${audio}; serving the source`]);
  const encode = planVideoEncode(f, tp, container, audio, reasons);
  if (typeof encode === 'string') return direct([...reasons, `${encode}; serving the source`]);
  reasons.push(
    `transcode ${f.videoCodec} → ${encode.codec}${encode.width ? ` ${encode.width}x${encode.height}` : ''} at ${mbps(encode.bitrate)} (max ${mbps(encode.maxBitrate)})`,
  );
  return {
    kind: 'transcode',
    container,
    video: encode,
    audio,
    subtitles: planSubtitles(streams, profile.SubtitleProfiles, { kind: 'mux', container, transcoding: true }, input.subtitleLanguage),
    reasons,
  };
}
