/** Step 2: plays made offline go to POST /Sync/OfflineActions, oldest first. */
import { ApiFailure, isNetworkFailure } from '../ports';
import { errorText, type RunContext } from '../runContext';
import type { ServerSessions } from '../serverSessions';

/**
 * Each action carries its own Id, so a repeat is ignored by the server. Dropped on 2xx or 4xx (a refusal
 * will not change), kept on no answer or a server error.
 */
export async function sendOfflineActions(ctx: RunContext, server: ServerSessions): Promise<void> {
  const { storage } = ctx.deps;
  const actions = (await storage.outbox(server.serverId)).sort((a, b) => a.Date.localeCompare(b.Date));
  if (actions.length === 0) return;
  try {
    await server.api().postOfflineActions(actions.map(({ lastError: _e, ...action }) => action));
    await storage.deleteOutbox(actions.map((a) => a.Id));
    ctx.summary.actionsSent += actions.length;
  } catch (err) {
    if (isNetworkFailure(err)) throw err;
    if (err instanceof ApiFailure && err.status < 500) await storage.deleteOutbox(actions.map((a) => a.Id));
    ctx.summary.errors.push(`offline actions: ${errorText(err)}`);
  }
}
