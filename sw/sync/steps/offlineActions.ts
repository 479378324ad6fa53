/** Step 2: plays made offline go to POST /Sync/OfflineActions, oldest first. */
import type { OutboxRow } from '../../db';
import { ApiFailure, isNetworkFailure, type ApiPort } from '../ports';
import { errorText, type RunContext } from '../runContext';
import type { ServerSessions } from '../serverSessions';

/**
 * Each action carries its own Id, so a repeat is ignored by the server. Each user's actions go out as that
 * user (the server skips actions on items the sender may not see). Dropped on 2xx or 4xx (a refusal will
 * not change), kept on no answer or a server error.
 */
export async function sendOfflineActions(ctx: RunContext, server: ServerSessions): Promise<void> {
  const actions = (await ctx.deps.storage.outbox(server.serverId)).sort((a, b) => a.Date.localeCompare(b.Date));
  const byUser = new Map<string, OutboxRow[]>();
  for (const a of actions) byUser.set(a.UserId, [...(byUser.get(a.UserId) ?? []), a]);
  for (const [userId, mine] of byUser) await sendAs(ctx, server.api(server.forUser(userId)), mine);
}

async function sendAs(ctx: RunContext, api: ApiPort, actions: OutboxRow[]): Promise<void> {
  const { storage } = ctx.deps;
  try {
    await api.postOfflineActions(actions.map(({ lastError: _e, ...action }) => action));
    await storage.deleteOutbox(actions.map((a) => a.Id));
    ctx.summary.actionsSent += actions.length;
  } catch (err) {
    if (isNetworkFailure(err)) throw err;
    if (err instanceof ApiFailure && err.status < 500) await storage.deleteOutbox(actions.map((a) => a.Id));
    ctx.summary.errors.push(`offline actions: ${errorText(err)}`);
  }
}
