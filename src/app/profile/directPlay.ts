/** DirectPlayProfiles: which container + codec combinations this browser plays from a file as they are. */
import type { DirectPlayProfile } from '../../shared/profile/types';
import {
  AUDIO_CODECS_BY_CONTAINER,
  AUDIO_FILE_FORMATS,
  VIDEO_CODECS_BY_CONTAINER,
  VIDEO_CODEC_STRINGS,
  VIDEO_CONTAINERS,
  audioCodecString,
  videoMime,
  type AudioCodec,
  type VideoCodec,
  type VideoContainer,
} from './formats';
import { plays, type CapabilityProbe } from './probe';

export interface VideoContainerSupport {
  container: VideoContainer;
  videoCodecs: VideoCodec[];
  audioCodecs: AudioCodec[];
}

/**
 * Per container, the video and audio codecs that play inside it. A container counts only if at least one
 * video codec plays in it: Chrome answers "" for a bare video/x-matroska yet plays some codecs in it,
 * while a container with no playable codec is no use however it answers.
 */
export async function videoContainerSupport(probe: CapabilityProbe): Promise<VideoContainerSupport[]> {
  const result: VideoContainerSupport[] = [];
  for (const container of Object.keys(VIDEO_CONTAINERS) as VideoContainer[]) {
    const videoCodecs: VideoCodec[] = [];
    for (const codec of VIDEO_CODECS_BY_CONTAINER[container]) {
      if (await plays(probe, 'video', videoMime(container, [VIDEO_CODEC_STRINGS[codec]]))) videoCodecs.push(codec);
    }
    if (videoCodecs.length === 0) continue;
    // Audio asked together with a video codec the container is known to play: some browsers answer ""
    // for an audio-only codecs list in a video MIME type.
    const withVideo = VIDEO_CODEC_STRINGS[videoCodecs[0]];
    const audioCodecs: AudioCodec[] = [];
    for (const codec of AUDIO_CODECS_BY_CONTAINER[container]) {
      if (await plays(probe, 'video', videoMime(container, [withVideo, audioCodecString(container, codec)]))) audioCodecs.push(codec);
    }
    result.push({ container, videoCodecs, audioCodecs });
  }
  return result;
}

export function videoDirectPlayProfiles(support: readonly VideoContainerSupport[]): DirectPlayProfile[] {
  return support.map((s) => ({
    Container: VIDEO_CONTAINERS[s.container].profileName,
    Type: 'Video',
    VideoCodec: s.videoCodecs.join(','),
    // A video with no audio track is fine too, but a profile with an empty AudioCodec would mean "any".
    AudioCodec: s.audioCodecs.join(','),
  }));
}

/** Audio files, grouped by container so the profile reads like "flac: flac", "ogg,oga: vorbis,opus". */
export async function audioDirectPlayProfiles(probe: CapabilityProbe): Promise<DirectPlayProfile[]> {
  const byContainer = new Map<string, AudioCodec[]>();
  for (const format of AUDIO_FILE_FORMATS) {
    if (!(await plays(probe, 'audio', format.mime))) continue;
    for (const container of format.container.split(',')) {
      const codecs = byContainer.get(container) ?? [];
      if (!codecs.includes(format.codec)) codecs.push(format.codec);
      byContainer.set(container, codecs);
    }
  }
  // Containers with the same codec list share one profile entry.
  const byCodecs = new Map<string, string[]>();
  for (const [container, codecs] of byContainer) {
    const key = codecs.join(',');
    byCodecs.set(key, [...(byCodecs.get(key) ?? []), container]);
  }
  return [...byCodecs].map(([codecs, containers]) => ({ Container: containers.join(','), Type: 'Audio', AudioCodec: codecs }));
}
