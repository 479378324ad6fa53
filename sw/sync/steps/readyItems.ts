/**
 * Step 4, first half: GET /Sync/Items/Ready, recorded on the device. New items get a record (with their
 * series, season or album for the offline library); unfinished items the server no longer offers were
 * cancelled there and go; an item offered again in a new version starts over.
 */
import type { BaseItemDto } from '../../../src/shared/api/items';
import type { SyncedItem } from '../../../src/shared/api/sync';
import type { LocalItem, ServerRow } from '../../db';
import { newLocalItem } from '../localItem';
import { isNetworkFailure, type ApiPort } from '../ports';
import type { RunContext } from '../runContext';
import type { ServerSessions } from '../serverSessions';
import { stopBackgroundFetch } from './browserHandOver';

/**
 * Records new ready items, drops unfinished items the server stopped offering, returns the work list.
 * Items/Ready is asked as every user signed in here (each hears only of what they may see); an item is
 * taken as no longer offered only when every one of them answered.
 */
export async function planDownloads(ctx: RunContext, server: ServerSessions): Promise<LocalItem[]> {
  const { storage } = ctx.deps;
  const offers = new Map<string, SyncedItem>();
  const everyoneAnswered = await server.askEach(ctx, async (session, api) => {
    for (const ready of await api.readyItems(session.deviceId)) {
      server.offered(session, ready.SyncJobItemId, ready.UserId);
      if (!offers.has(ready.SyncJobItemId)) offers.set(ready.SyncJobItemId, ready);
    }
  });
  const local = await storage.listItems(server.serverId);
  const byJobItem = new Map(local.map((i) => [i.SyncJobItemId, i]));
  for (const item of local) {
    // Not offered any more and not finished: its job or item was cancelled on the server.
    if (everyoneAnswered && item.step !== 'synced' && !offers.has(item.SyncJobItemId)) {
      await stopBackgroundFetch(ctx, item);
      await storage.removeItem(item.Id);
      ctx.summary.removed++;
    }
  }
  const work: LocalItem[] = [];
  for (const ready of offers.values()) {
    const session = server.forItem(ready);
    work.push(await recordReady(ctx, server.api(session), session, ready, byJobItem.get(ready.SyncJobItemId)));
  }
  return work;
}

/** The record for one offered item: new, as it was, or reset when the server's file is another now. */
async function recordReady(
  ctx: RunContext,
  api: ApiPort,
  session: ServerRow,
  r: SyncedItem,
  known: LocalItem | undefined,
): Promise<LocalItem> {
  const { storage, clock } = ctx.deps;
  if (!known) {
    const item = newLocalItem(r, session.serverId, ctx.settings.chunkSize, clock.now());
    // Read as the user who was offered it: another user's items are not theirs to read.
    item.Parents = await parentsOf(api, session.userId, r.Item);
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
