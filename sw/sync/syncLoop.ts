/**
 * The client sync loop (API.md §7), one implementation for every trigger: app open and the foreground
 * timer, a push relayed by the page, one-off and periodic Background Sync, and "Sync now".
 *
 * Per signed-in server in turn (a failing server never stops the others), each step in steps/:
 *   0. GET /Users/{id}/Offline for each user of the server stored here              (offlineUsers.ts)
 *   1. POST …/Transferred for items finished but not yet acknowledged (step `transfer`) (acknowledge.ts)
 *   2. POST /Sync/OfflineActions (by Date); dropped on 2xx/4xx, kept on no answer / 5xx (offlineActions.ts)
 *   3. POST /Sync/Data with the items held completely and acknowledged; remove ItemIdsToRemove (reconcile.ts)
 *   4. GET /Sync/Items/Ready; record new items, drop unfinished ones the server no longer offers
 *      (cancelled) (readyItems.ts), then download with bounded concurrency: media → images + subtitles →
 *      Transferred (downloads.ts)
 *   5. POST /Sync/Data again (so an UnwatchedOnly slot freed in 3 is refilled on the next run)
 * Every step's outcome is stored before the next begins (LocalItem.step), so a run cut anywhere resumes
 * exactly there; a failing item is recorded and the others carry on. Several users of a server on this
 * device each ask Items/Ready and Sync/Data, and an item's calls go out as a user who may see it
 * (serverSessions.ts): the server answers each user only about what they may see.
 */
import { isNetworkFailure, type RunSummary } from './ports';
import { emptySummary, errorText, type RunContext, type RunOptions, type SyncLoopDeps } from './runContext';
import { groupByServer, ServerSessions } from './serverSessions';
import { acknowledgeFinished } from './steps/acknowledge';
import { ItemDownloads } from './steps/downloads';
import { sendOfflineActions } from './steps/offlineActions';
import { offlineUserIds, saveOfflineUsers } from './steps/offlineUsers';
import { planDownloads } from './steps/readyItems';
import { reconcile } from './steps/reconcile';

export { QUOTA_MESSAGE, type RunOptions, type SyncLoopDeps } from './runContext';

export class SyncLoop {
  private readonly downloads = new ItemDownloads();

  constructor(private readonly deps: SyncLoopDeps) {}

  async run(options: RunOptions): Promise<RunSummary> {
    const { storage, clock, notifier } = this.deps;
    const summary = emptySummary(options.reason, clock.now());
    notifier.runStarted(options.reason);
    const ctx: RunContext = { deps: this.deps, options, settings: await storage.settings(), summary };
    const groups = groupByServer(await storage.listServers());
    summary.servers = groups.length;
    for (const sessions of groups) {
      if (options.signal?.aborted) break;
      const server = new ServerSessions(sessions, this.deps.apiFor);
      try {
        await this.syncServer(ctx, server);
        await storage.recordRun(server.serverId, true);
      } catch (err) {
        if (isNetworkFailure(err)) summary.offline = true;
        const text = errorText(err);
        summary.errors.push(`${server.serverUrl}: ${text}`);
        await storage.recordRun(server.serverId, false, text).catch(() => {});
      }
    }
    summary.finishedAt = clock.now();
    notifier.runFinished(summary);
    return summary;
  }

  /**
   * Stops an item's download at once (the person paused or removed it): the chunk in flight is dropped,
   * what is stored stays, and a resume asks again from the last whole chunk. No id: every download.
   */
  stopDownload(id?: string): void {
    this.downloads.stop(id);
  }

  private async syncServer(ctx: RunContext, server: ServerSessions): Promise<void> {
    const userIds = await offlineUserIds(ctx, server);
    await saveOfflineUsers(ctx, server);
    await acknowledgeFinished(ctx, server);
    await sendOfflineActions(ctx, server);
    await reconcile(ctx, server, userIds);
    const work = await planDownloads(ctx, server);
    if (ctx.options.downloads !== false) await this.downloads.downloadAll(ctx, (item) => server.apiForItem(item), work);
    await reconcile(ctx, server, userIds);
  }
}
