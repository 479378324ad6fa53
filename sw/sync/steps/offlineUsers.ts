/** Step 0: each user's DTO (GET /Users/{id}/Offline), kept so names show with no network. */
import type { RunContext } from '../runContext';
import { isNetworkFailure } from '../ports';
import type { ServerSessions } from '../serverSessions';

/** No answer at all means the server is out of reach: that ends this server's run (it throws). */
export async function saveOfflineUsers(ctx: RunContext, server: ServerSessions): Promise<void> {
  for (const s of server.all) {
    try {
      await ctx.deps.storage.saveServerUser(s.key, await server.api(s).getOfflineUser(s.userId));
    } catch (err) {
      if (isNetworkFailure(err)) throw err;
    }
  }
}

/** Everyone reported in OfflineUserIds: the users signed in here and those who can sign in offline. */
export async function offlineUserIds(ctx: RunContext, server: ServerSessions): Promise<string[]> {
  const offline = (await ctx.deps.storage.offlineUserIds?.(server.serverId)) ?? [];
  return [...new Set([...server.all.map((s) => s.userId), ...offline])];
}
