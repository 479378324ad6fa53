/**
 * Steps 3 and 5: POST /Sync/Data with the items held completely and acknowledged; what the server lists
 * in ItemIdsToRemove leaves the device, and ItemUserAccess says which users here may see each item.
 * Asked as each user signed in here: the server decides only about the items the caller may see, so one
 * user's answer says nothing about another user's private items.
 */
import type { ApiPort } from '../ports';
import type { RunContext } from '../runContext';
import type { ServerSessions } from '../serverSessions';

export async function reconcile(ctx: RunContext, server: ServerSessions, userIds: string[]): Promise<void> {
  await server.askEach(ctx, (session, api) => reconcileAs(ctx, api, server.serverId, session.deviceId, userIds));
}

async function reconcileAs(ctx: RunContext, api: ApiPort, serverId: string, deviceId: string, userIds: string[]): Promise<void> {
  const { storage, notifier } = ctx.deps;
  const synced = (await storage.listItems(serverId)).filter((i) => i.step === 'synced');
  const local = [...new Set(synced.map((i) => i.ItemId))];
  const res = await api.syncData({
    TargetId: deviceId,
    LocalItemIds: local,
    OfflineUserIds: userIds,
  });
  const remove = new Set(res.ItemIdsToRemove ?? []);
  for (const item of synced) {
    if (remove.has(item.ItemId)) {
      await storage.removeItem(item.Id);
      ctx.summary.removed++;
      notifier.progress({
        id: item.Id,
        name: item.Item.Name,
        step: 'synced',
        bytes: 0,
        blocked: undefined,
        error: 'removed',
      });
    } else {
      const access = res.ItemUserAccess?.[item.ItemId];
      if (access && access.join() !== item.UserIdsWithAccess.join()) await storage.putItem({ ...item, UserIdsWithAccess: access });
    }
  }
}
