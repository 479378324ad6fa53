/**
 * Online playback of one item: asks PlaybackInfo with this browser's profile, turns the answer into a
 * PlaybackSource for the player component, and reports play state — start, progress every 10 s and on
 * pause/seek, stopped on leave or page hide — so Resume, Next Up and played state follow what was watched.
 */
import { computed, onBeforeUnmount, ref, shallowRef } from 'vue';
import type { BaseItemDto } from '../../shared/api/items';
import { getItem } from '../api/library';
import { useSessionStore } from '../stores/session';
import { usePlayerQueueStore } from '../stores/playerQueue';
import {
  getPlaybackInfo,
  reportProgress,
  reportStart,
  reportStopped,
  stopEncoding,
  type PlaybackMediaSource,
  type PlayMethod,
  type PlayState,
} from './playbackApi';
import { sourceFromPlaybackInfo, type PlaybackSource } from './playbackSource';

export const PROGRESS_INTERVAL_MS = 10_000;
const TICKS = 10_000_000;

export interface PlaybackPosition {
  seconds: number;
  paused: boolean;
}

export function usePlayback() {
  const session = useSessionStore();
  const queue = usePlayerQueueStore();
  const item = ref<BaseItemDto>();
  const source = shallowRef<PlaybackSource>();
  const mediaSource = shallowRef<PlaybackMediaSource>();
  const error = ref<string>();
  const loading = ref(false);
  const audioStreamIndex = ref<number>();
  const subtitleStreamIndex = ref<number>();
  let playSessionId: string | undefined;
  let started = false;
  let lastReport = 0;
  let position: PlaybackPosition = { seconds: 0, paused: true };

  const playMethod = computed<PlayMethod | undefined>(() => mediaSource.value?.PlayMethod);
  const audioStreams = computed(() =>
    (item.value?.MediaStreams ?? mediaSource.value?.MediaStreams ?? []).filter((s) => s.Type === 'Audio'),
  );
  const resumeSeconds = computed(() => (item.value?.UserData?.PlaybackPositionTicks ?? 0) / TICKS);

  function message(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
  }

  function state(): PlayState | undefined {
    if (!item.value || !playSessionId) return undefined;
    return {
      ItemId: item.value.Id,
      MediaSourceId: mediaSource.value?.Id ?? item.value.Id,
      PlaySessionId: playSessionId,
      PositionTicks: Math.round(position.seconds * TICKS),
      IsPaused: position.paused,
      PlayMethod: playMethod.value,
      AudioStreamIndex: audioStreamIndex.value,
      SubtitleStreamIndex: subtitleStreamIndex.value ?? -1,
      CanSeek: true,
    };
  }

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
    const previousSession = playSessionId;
    try {
      const defaultAudio = current.MediaSources?.[0]?.DefaultAudioStreamIndex;
      const info = await getPlaybackInfo(api, current.Id, {
        startSeconds,
        audioStreamIndex: audioIndex,
        // Another audio track than the file's default needs a stream: direct play can't switch tracks.
        enableDirectPlay: audioIndex === undefined || audioIndex === defaultAudio,
      });
      mediaSource.value = info.MediaSources[0];
      playSessionId = info.PlaySessionId;
      audioStreamIndex.value = audioIndex;
      source.value = sourceFromPlaybackInfo(api, info, current.MediaType === 'Audio' ? 'Audio' : 'Video', startSeconds);
      position = { seconds: startSeconds, paused: true };
      if (previousSession) void stopEncoding(api, previousSession).catch(() => undefined);
    } catch (err) {
      if (!session.handleUnauthorized(err)) error.value = message(err);
    } finally {
      loading.value = false;
    }
  }

  /** Switches the audio track by restarting the stream where playback is. */
  async function selectAudio(index: number): Promise<void> {
    if (index === audioStreamIndex.value) return;
    await start(position.seconds, index);
  }

  /** From the player: time moved, or it paused/played. Sends start once, then progress on a timer. */
  function onPosition(p: PlaybackPosition, force = false): void {
    const api = session.api;
    const wasPaused = position.paused;
    position = p;
    const s = state();
    if (!api || !s) return;
    if (!started && !p.paused) {
      started = true;
      lastReport = Date.now();
      void reportStart(api, s).catch(() => undefined);
      return;
    }
    if (!started) return;
    if (force || wasPaused !== p.paused || Date.now() - lastReport >= PROGRESS_INTERVAL_MS) {
      lastReport = Date.now();
      void reportProgress(api, s).catch(() => undefined);
    }
  }

  /** Reports Stopped (which also ends the server's encoder) exactly once per play. */
  async function stop(keepalive = false): Promise<void> {
    const api = session.api;
    const s = state();
    if (!api || !s || !started) {
      if (api && playSessionId) void stopEncoding(api, playSessionId).catch(() => undefined);
      playSessionId = undefined;
      return;
    }
    started = false;
    playSessionId = undefined;
    try {
      await reportStopped(api, s, keepalive);
      queue.userDataChanged(s.ItemId);
    } catch {
      // Offline or gone: the position is lost, which is what Emby clients do too.
    }
  }

  const onPageHide = () => void stop(true);
  window.addEventListener('pagehide', onPageHide);
  onBeforeUnmount(() => {
    window.removeEventListener('pagehide', onPageHide);
    void stop();
  });

  return {
    item,
    source,
    mediaSource,
    error,
    loading,
    playMethod,
    audioStreams,
    audioStreamIndex,
    subtitleStreamIndex,
    resumeSeconds,
    loadItem,
    start,
    selectAudio,
    onPosition,
    stop,
  };
}
