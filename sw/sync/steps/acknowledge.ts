/** Steps 1 and 4's end: POST …/Transferred for an item wholly on the device, which makes it `synced`. */
import type { LocalItem } from '../../db';
import { isNetworkFailure, type ApiPort } from '../ports';
import { errorText, report, type RunContext } from '../runContext';
import type { ServerSessions } from '../serverSessions';

export async function acknowledge(ctx: RunContext, api: ApiPort, item: LocalItem): Promise<void> {
  await api.transferred(item.SyncJobItemId);
  await ctx.deps.storage.putItem({
    ...item,
    step: 'synced',
    error: undefined,
    blocked: undefined,
    updatedAt: ctx.deps.clock.now(),
  });
  ctx.summary.downloaded++;
  report(ctx, { ...item, step: 'synced' });
}

/**
 * Step 1: what finished since the last run but was not acknowledged (the run was cut after its bytes), as
 * the item's owner when signed in here. One the server refuses stays owed (the download step acknowledges
 * it again when it is offered) and the others carry on.
 */
export async function acknowledgeFinished(ctx: RunContext, server: ServerSessions): Promise<void> {
  for (const item of await ctx.deps.storage.listItems(server.serverId)) {
    if (item.step !== 'transfer') continue;
    try {
      await acknowledge(ctx, server.apiForItem(item), item);
    } catch (err) {
      if (isNetworkFailure(err)) throw err;
      ctx.summary.errors.push(`${item.Item.Name}: ${errorText(err)}`);
    }
  }
}
