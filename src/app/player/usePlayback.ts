/**
 * Online playback of one item: asks PlaybackInfo with this browser's profile, turns the answer into a
 * PlaybackSource for the player component (usePlaybackStream.ts), and reports play state — start,
 * progress every 10 s and on pause/seek, stopped on leave or page hide (playReporter.ts) — so Resume,
 * Next Up and played state follow what was watched.
 */
import { computed, onBeforeUnmount, ref } from 'vue';
import { usePlayerQueueStore } from '../stores/playerQueue';
import { useSessionStore } from '../stores/session';
import { PlayReporter, playReportsOf, type PlaybackPosition } from './playReporter';
import { usePlaybackStream } from './usePlaybackStream';

export { PROGRESS_INTERVAL_MS, type PlaybackPosition } from './playReporter';

const TICKS = 10_000_000;

export function usePlayback() {
  const session = useSessionStore();
  const queue = usePlayerQueueStore();
  const subtitleStreamIndex = ref<number>();
  const reporter = new PlayReporter({
    port: () => (session.api ? playReportsOf(session.api) : undefined),
    describe: () => {
      const item = stream.item.value;
      if (!item) return undefined;
      return {
        ItemId: item.Id,
        MediaSourceId: stream.mediaSource.value?.Id ?? item.Id,
        PlayMethod: stream.mediaSource.value?.PlayMethod,
        AudioStreamIndex: stream.audioStreamIndex.value,
        SubtitleStreamIndex: subtitleStreamIndex.value,
      };
    },
    stopped: (itemId) => queue.userDataChanged(itemId),
  });
  const stream = usePlaybackStream((playSessionId, startSeconds) => reporter.began(playSessionId, startSeconds));

  const playMethod = computed(() => stream.mediaSource.value?.PlayMethod);
  const audioStreams = computed(() =>
    (stream.item.value?.MediaStreams ?? stream.mediaSource.value?.MediaStreams ?? []).filter((s) => s.Type === 'Audio'),
  );
  const resumeSeconds = computed(() => (stream.item.value?.UserData?.PlaybackPositionTicks ?? 0) / TICKS);

  /** Switches the audio track by restarting the stream where playback is. */
  async function selectAudio(index: number): Promise<void> {
    if (index === stream.audioStreamIndex.value) return;
    await stream.start(reporter.position.seconds, index);
  }

  const stop = (keepalive = false) => reporter.stop(keepalive);
  const onPageHide = () => void stop(true);
  window.addEventListener('pagehide', onPageHide);
  onBeforeUnmount(() => {
    window.removeEventListener('pagehide', onPageHide);
    void stop();
  });

  return {
    ...stream,
    subtitleStreamIndex,
    playMethod,
    audioStreams,
    resumeSeconds,
    selectAudio,
    onPosition: (p: PlaybackPosition, force = false) => reporter.moved(p, force),
    stop,
  };
}
