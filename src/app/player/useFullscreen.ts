/**
 * Full screen for the player, landscape for video where the browser allows it (Screen Orientation API:
 * Chrome on Android locks only in full screen; desktops and iOS refuse, which is fine). iPhone Safari has no
 * element full screen; there the video element's own (webkitEnterFullscreen) is used.
 */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

type OrientationLock = ScreenOrientation & { lock?: (o: string) => Promise<void>; unlock?: () => void };
type AppleVideo = HTMLVideoElement & { webkitEnterFullscreen?: () => void };

export function useFullscreen(root: Ref<HTMLElement | undefined>, media: Ref<HTMLMediaElement | undefined>) {
  const isFullscreen = ref(false);
  let locked = false;

  function orientation(): OrientationLock | undefined {
    return typeof screen !== 'undefined' ? (screen.orientation as OrientationLock | undefined) : undefined;
  }

  async function lockLandscape(): Promise<void> {
    const v = media.value as HTMLVideoElement | undefined;
    // A portrait video (a phone recording) stays upright; unknown size counts as landscape.
    if (!v || (v.videoWidth && v.videoHeight && v.videoHeight > v.videoWidth)) return;
    try {
      await orientation()?.lock?.('landscape');
      locked = true;
    } catch {
      // Not allowed here (desktop, iOS, not full screen): the video simply stays as the phone is held.
    }
  }

  function onChange(): void {
    isFullscreen.value = !!root.value && document.fullscreenElement === root.value;
    if (!isFullscreen.value && locked) {
      locked = false;
      orientation()?.unlock?.();
    }
  }

  /** Needs a user gesture (or one just before, like the tap on Play that opened the page). */
  async function enter(): Promise<boolean> {
    const el = root.value;
    if (!el) return false;
    if (typeof el.requestFullscreen !== 'function') {
      (media.value as AppleVideo | undefined)?.webkitEnterFullscreen?.();
      return false;
    }
    try {
      await el.requestFullscreen({ navigationUI: 'hide' });
    } catch {
      return false;
    }
    await lockLandscape();
    return true;
  }

  async function exit(): Promise<void> {
    if (document.fullscreenElement) await document.exitFullscreen().catch(() => undefined);
  }

  function toggle(): void {
    if (isFullscreen.value) void exit();
    else void enter();
  }

  onMounted(() => document.addEventListener('fullscreenchange', onChange));
  onBeforeUnmount(() => {
    document.removeEventListener('fullscreenchange', onChange);
    if (isFullscreen.value) void exit();
  });

  return { isFullscreen, enter, exit, toggle };
}
