/**
 * Steps 3 and 5: POST /Sync/Data with the items held completely and acknowledged; what the server lists
 * in ItemIdsToRemove leaves the device, and ItemUserAccess says which users here may see each item.
 */
import type { RunContext } from '../runContext';
import type { ServerSessions } from '../serverSessions';

export async function reconcile(ctx: RunContext, server: ServerSessions, userIds: string[]): Promise<void> {
  const { storage, notifier } = ctx.deps;
  const synced = (await storage.listItems(server.serverId)).filter((i) => i.step === 'synced');
  const local = [...new Set(synced.map((i) => i.ItemId))];
  const res = await server.api().syncData({
    TargetId: server.device.deviceId,
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
