/**
 * Step 4, large media: whether the browser fetches an item's media (Background Fetch, backgroundFetch.ts)
 * instead of the loop.
 */
import type { LocalItem } from '../../db';
import { BACKGROUND_FETCH_PREFIX } from '../backgroundFetchId';
import type { ApiPort } from '../ports';
import { report, type RunContext } from '../runContext';

/**
 * One already running is left alone; a large remainder is handed over now. A hand-over that finished,
 * failed or was forgotten without being stored is cleared, and the loop downloads what is still missing.
 */
export async function handToBrowser(ctx: RunContext, api: ApiPort, start: LocalItem): Promise<{ handed: boolean; item: LocalItem }> {
  const browser = ctx.deps.backgroundFetch;
  if (!browser) return { handed: false, item: start };
  const { storage, clock } = ctx.deps;
  let item = start;
  if (item.backgroundFetch) {
    if ((await browser.state(item.backgroundFetch.id)) === 'active') {
      report(ctx, item);
      return { handed: true, item };
    }
    item = { ...item, backgroundFetch: undefined };
    await storage.putItem(item);
    return { handed: false, item };
  }
  const remaining = item.size === undefined ? 0 : item.size - item.bytes;
  if (remaining < ctx.settings.backgroundFetchMinBytes) return { handed: false, item };
  // It failed lately: hand it over again now and a failing server would bounce it in a tight circle.
  if ((item.backgroundFetchRetryAt ?? 0) > clock.now()) return { handed: false, item };
  const request = api.fileRequest(item.SyncJobItemId, item.bytes, item.bytes > 0 ? item.etag : undefined);
  const from = item.bytes;
  const id = `${BACKGROUND_FETCH_PREFIX}${item.Id}`;
  const started = await browser.start(item, request, remaining, (downloaded) => report(ctx, { ...item, bytes: from + downloaded }));
  if (!started) return { handed: false, item };
  item = { ...item, backgroundFetch: { id, from, startedAt: clock.now() } };
  await storage.putItem(item);
  report(ctx, item);
  return { handed: true, item };
}

export async function stopBackgroundFetch(ctx: RunContext, item: LocalItem): Promise<void> {
  if (item.backgroundFetch) await ctx.deps.backgroundFetch?.abort(item.backgroundFetch.id);
}
