/** Steps 1 and 4's end: POST …/Transferred for an item wholly on the device, which makes it `synced`. */
import type { LocalItem } from '../../db';
import type { ApiPort } from '../ports';
import { report, type RunContext } from '../runContext';
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

/** Step 1: what finished since the last run but was not acknowledged (the run was cut after its bytes). */
export async function acknowledgeFinished(ctx: RunContext, server: ServerSessions): Promise<void> {
  for (const item of await ctx.deps.storage.listItems(server.serverId)) {
    if (item.step === 'transfer') await acknowledge(ctx, server.api(), item);
  }
}
