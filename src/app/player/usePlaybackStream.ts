/**
 * What the online player plays: the item, and the stream PlaybackInfo chose for this browser's profile
 * and the audio track asked for (direct play, remux or transcode), as a PlaybackSource.
 */
import { ref, shallowRef } from 'vue';
import type { BaseItemDto } from '../../shared/api/items';
import { getItem } from '../api/library';
import { useSessionStore } from '../stores/session';
import { getPlaybackInfo, type PlaybackMediaSource } from './playbackApi';
import { sourceFromPlaybackInfo, type PlaybackSource } from './playbackSource';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `began`: a new stream (play session) starts paused at `startSeconds`. */
export function usePlaybackStream(began: (playSessionId: string, startSeconds: number) => void) {
  const session = useSessionStore();
  const item = ref<BaseItemDto>();
  const source = shallowRef<PlaybackSource>();
  const mediaSource = shallowRef<PlaybackMediaSource>();
  const error = ref<string>();
  const loading = ref(false);
  const audioStreamIndex = ref<number>();

  async function loadItem(id: string): Promise<BaseItemDto | undefined> {
    const api = session.api;
    const userId = session.active?.userId;
    if (!api || !userId) return undefined;
    try {
      item.value = await getItem(api, userId, id);
      audioStreamIndex.value = item.value.MediaSources?.[0]?.DefaultAudioStreamIndex;
      return item.value;
    } catch (err) {
      if (!session.handleUnauthorized(err)) error.value = message(err);
      return undefined;
    }
  }

  /** Asks the server how to play from `startSeconds` and hands the player a new source. */
  async function start(startSeconds: number, audioIndex = audioStreamIndex.value): Promise<void> {
    const api = session.api;
    const current = item.value;
    if (!api || !current) return;
    loading.value = true;
    error.value = undefined;
    try {
      const defaultAudio = current.MediaSources?.[0]?.DefaultAudioStreamIndex;
      const info = await getPlaybackInfo(api, current.Id, {
        startSeconds,
        audioStreamIndex: audioIndex,
        // Another audio track than the file's default needs a stream: direct play can't switch tracks.
        enableDirectPlay: audioIndex === undefined || audioIndex === defaultAudio,
      });
      mediaSource.value = info.MediaSources[0];
      audioStreamIndex.value = audioIndex;
      source.value = sourceFromPlaybackInfo(api, info, current.MediaType === 'Audio' ? 'Audio' : 'Video', startSeconds);
      began(info.PlaySessionId, startSeconds);
    } catch (err) {
      if (!session.handleUnauthorized(err)) error.value = message(err);
    } finally {
      loading.value = false;
    }
  }

  return { item, source, mediaSource, error, loading, audioStreamIndex, loadItem, start };
}
