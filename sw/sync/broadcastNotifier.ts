/**
 * The Notifier on the device: every open page of the app hears progress over one BroadcastChannel.
 * Progress of one item goes out at most every PROGRESS_INTERVAL_MS (the download reports bytes as they
 * arrive, many times a second); a figure held back goes out when the interval is over, so the last one
 * is never lost. A change of step or state, and completion, go out at once.
 */
import type { ItemProgress, Notifier, RunSummary } from './ports';

export const PROGRESS_INTERVAL_MS = 250;

export interface Channel {
  postMessage(message: unknown): void;
}

export function broadcastNotifier(channel: Channel, onFinished: (summary: RunSummary) => void): Notifier {
  const last = new Map<string, { at: number; key: string }>();
  const held = new Map<string, { item: ItemProgress; timer: ReturnType<typeof setTimeout> }>();

  const send = (item: ItemProgress, key: string) => {
    const pending = held.get(item.id);
    if (pending) clearTimeout(pending.timer);
    held.delete(item.id);
    last.set(item.id, { at: Date.now(), key });
    channel.postMessage({ type: 'progress', item });
  };

  return {
    progress(item: ItemProgress) {
      const key = `${item.step}|${item.blocked ?? ''}|${item.error ?? ''}`;
      const prev = last.get(item.id);
      const wait = prev ? prev.at + PROGRESS_INTERVAL_MS - Date.now() : 0;
      if (!prev || prev.key !== key || wait <= 0 || item.bytes === item.size) return send(item, key);
      const pending = held.get(item.id);
      if (pending) pending.item = item;
      else held.set(item.id, { item, timer: setTimeout(() => send(held.get(item.id)!.item, key), wait) });
    },
    itemRemoved(id: string) {
      clearTimeout(held.get(id)?.timer);
      held.delete(id);
      last.delete(id);
      channel.postMessage({ type: 'removed', id });
    },
    runStarted(reason) {
      channel.postMessage({ type: 'run-started', reason });
    },
    runFinished(summary) {
      last.clear();
      channel.postMessage({ type: 'run-finished', summary });
      onFinished(summary);
    },
  };
}
