/**
 * Our dialogs are `<dialog>` elements that Vue shows and removes (v-if): opened modal when mounted, with
 * the focus on their first control, and the focus given back when they go.
 */
import { nextTick, onBeforeUnmount, onMounted, type Ref } from 'vue';

/** Shows a dialog modal; browsers without showModal (and happy-dom) still show it with `open`. */
export function openModal(el: HTMLDialogElement | undefined): void {
  if (!el || el.open) return;
  if (typeof el.showModal === 'function') el.showModal();
  else el.setAttribute('open', '');
}

/**
 * A modal dialog for as long as its component is mounted: `first` takes the focus once it shows, and when
 * it goes the focus returns to `returnFocusTo` (a tap does not focus the button it lands on everywhere),
 * else to what had the focus when it opened. Call it in the dialog's setup.
 */
export function useModalDialog(
  dialog: Ref<HTMLDialogElement | undefined>,
  first: Ref<HTMLElement | undefined>,
  returnFocusTo?: HTMLElement | null,
): void {
  const opener = returnFocusTo ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
  onBeforeUnmount(() => {
    if (opener?.isConnected) void nextTick(() => opener.focus());
  });
  onMounted(async () => {
    openModal(dialog.value);
    await nextTick();
    first.value?.focus();
  });
}
