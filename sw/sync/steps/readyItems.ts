/**
 * Step 4, first half: GET /Sync/Items/Ready, recorded on the device. New items get a record (with their
 * series, season or album for the offline library); unfinished items the server no longer offers were
 * cancelled there and go; an item offered again in a new version starts over.
 */
import type { BaseItemDto } from '../../../src/shared/api/items';
import type { SyncedItem } from '../../../src/shared/api/sync';
import type { LocalItem } from '../../db';
import { newLocalItem } from '../localItem';
import { isNetworkFailure, type ApiPort } from '../ports';
import type { RunContext } from '../runContext';
import type { ServerSessions } from '../serverSessions';
import { stopBackgroundFetch } from './browserHandOver';

/** Records new ready items, drops unfinished items the server stopped offering, returns the work list. */
export async function planDownloads(ctx: RunContext, server: ServerSessions): Promise<LocalItem[]> {
  const { storage } = ctx.deps;
  const ready = await server.api().readyItems(server.device.deviceId);
  const local = await storage.listItems(server.serverId);
  const byJobItem = new Map(local.map((i) => [i.SyncJobItemId, i]));
  const readyIds = new Set(ready.map((r) => r.SyncJobItemId));
  for (const item of local) {
    // Not offered any more and not finished: its job or item was cancelled on the server.
    if (item.step !== 'synced' && !readyIds.has(item.SyncJobItemId)) {
      await stopBackgroundFetch(ctx, item);
      await storage.removeItem(item.Id);
      ctx.summary.removed++;
    }
  }
  const work: LocalItem[] = [];
  for (const r of ready) work.push(await recordReady(ctx, server.api(), server.serverId, r, byJobItem.get(r.SyncJobItemId)));
  return work;
}

/** The record for one offered item: new, as it was, or reset when the server's file is another now. */
async function recordReady(
  ctx: RunContext,
  api: ApiPort,
  serverId: string,
  r: SyncedItem,
  known: LocalItem | undefined,
): Promise<LocalItem> {
  const { storage, clock } = ctx.deps;
  if (!known) {
    const item = newLocalItem(r, serverId, ctx.settings.chunkSize, clock.now());
    item.Parents = await parentsOf(api, r.UserId, r.Item);
    await storage.putItem(item);
    return item;
  }
  if (known.step === 'synced') {
    // Offered again although we hold it: the server re-queued it (file changed) or missed our ack.
    const changed = (r.Sha256 && known.sha256 && r.Sha256 !== known.sha256) || (r.Size !== undefined && r.Size !== known.size);
    const item = changed
      ? await storage.resetMedia({
          ...known,
          step: 'media',
          size: r.Size,
          sha256: r.Sha256,
          Item: r.Item,
          AdditionalFiles: r.AdditionalFiles,
        })
      : { ...known, step: 'transfer' as const };
    await storage.putItem(item);
    return item;
  }
  if ((r.Sha256 && r.Sha256 !== known.sha256) || (r.Size !== undefined && r.Size !== known.size && known.bytes === 0)) {
    // Re-converted since we started: the new file replaces whatever we had of the old one.
    await stopBackgroundFetch(ctx, known);
    return storage.resetMedia({
      ...known,
      backgroundFetch: undefined,
      size: r.Size,
      sha256: r.Sha256,
      Item: r.Item,
      AdditionalFiles: r.AdditionalFiles,
    });
  }
  return known;
}

async function parentsOf(api: ApiPort, userId: string, item: BaseItemDto): Promise<BaseItemDto[]> {
  const ids = [item.SeriesId, item.SeasonId, item.AlbumId].filter((x): x is string => !!x);
  const out: BaseItemDto[] = [];
  for (const id of ids) {
    try {
      out.push(await api.getItem(userId, id));
    } catch (err) {
      if (isNetworkFailure(err)) throw err; // parents are nice to have; no answer is not
    }
  }
  return out;
}
