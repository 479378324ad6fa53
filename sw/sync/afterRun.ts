/**
 * What follows every sync run on the device: the summary is kept for the pages, the browser is asked to
 * wake the worker when the network returns, and the app badge counts what arrived.
 */
import type { ControlStoragePort, RunSummary } from './ports';

export const SYNC_TAG = 'stowaway-sync';

export interface BrowserHooks {
  online(): boolean;
  /** One-off Background Sync (Chromium); absent elsewhere. */
  registerSync?(tag: string): Promise<void>;
  /** The installed app's badge (Chromium, iOS 16.4+); absent elsewhere. */
  setAppBadge?(count: number): Promise<void>;
}

export function browserHooks(self: ServiceWorkerGlobalScope): BrowserHooks {
  const reg = self.registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } };
  const nav = self.navigator as WorkerNavigator & { setAppBadge?: (n: number) => Promise<void> };
  return {
    online: () => self.navigator.onLine,
    registerSync: reg.sync ? (tag) => reg.sync!.register(tag) : undefined,
    setAppBadge: nav.setAppBadge ? (n) => nav.setAppBadge!(n) : undefined,
  };
}

export async function afterRun(summary: RunSummary, storage: ControlStoragePort, browser: BrowserHooks): Promise<void> {
  await storage.saveLastRun(summary);
  // No network at all: ask the browser to wake us when it returns. (A server that is down while the
  // network is up is left to the next timer or periodic run, or the browser would re-fire at once.)
  if (summary.offline && !browser.online()) await browser.registerSync?.(SYNC_TAG).catch(() => {});
  if (summary.downloaded > 0) {
    const count = await storage.addToBadge(summary.downloaded);
    await browser.setAppBadge?.(count).catch(() => {});
  }
}
