/**
 * Is the main pointer a finger? Then the player goes full screen first, shows large controls with
 * swipe and double-tap seeking, and no keyboard hints. `(pointer: coarse)` follows the primary input, so
 * a laptop with a touch screen but a mouse and keyboard still counts as a desktop.
 */
import { onBeforeUnmount, ref, type Ref } from 'vue';

const QUERY = '(pointer: coarse)';

export function isTouchDevice(): boolean {
  return typeof matchMedia === 'function' && matchMedia(QUERY).matches;
}

export function useTouchDevice(): Ref<boolean> {
  const touch = ref(isTouchDevice());
  if (typeof matchMedia !== 'function') return touch;
  const mq = matchMedia(QUERY);
  const update = () => (touch.value = mq.matches);
  mq.addEventListener?.('change', update);
  onBeforeUnmount(() => mq.removeEventListener?.('change', update));
  return touch;
}
