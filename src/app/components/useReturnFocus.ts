/**
 * A dialog that goes away (Esc, a button, a link) gives the focus back to what opened it, so a keyboard
 * or screen-reader user continues where they were instead of at the top of the page. Vue removes our
 * dialogs from the DOM (v-if), which skips the browser's own focus restoration for `<dialog>`; this does
 * it explicitly. Call it in the dialog's setup, before anything inside takes the focus.
 */
import { onBeforeUnmount } from 'vue';

export function useReturnFocus(): void {
  const opener = typeof document !== 'undefined' ? (document.activeElement as HTMLElement | null) : null;
  onBeforeUnmount(() => {
    // After the DOM update: the opener may be re-rendered in the same tick (an aria-expanded change).
    queueMicrotask(() => {
      if (opener && opener !== document.body && opener.isConnected) opener.focus({ preventScroll: true });
    });
  });
}
