/**
 * Input helpers shared by the library routes (ids and paging as Emby clients send them), and the item
 * look-up other route files use.
 */
import type { AppDeps } from '../appDeps.js';
import { notFound } from '../errors.js';
import { normalizeId } from '../ids.js';
import type { ItemRow } from '../library/itemsRepo.js';

/** An item the user may see, else 404 (the playback routes' look-up; the rule is `LibraryBrowser`'s). */
export function visibleItem(deps: Pick<AppDeps, 'libraryBrowser'>, userId: string, raw: string | undefined): ItemRow {
  return deps.libraryBrowser.visibleItem(userId, raw);
}

/** Optional GUID input: absent stays absent, a malformed one is an unknown item. */
export function optionalItemId(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const id = normalizeId(raw);
  if (!id) throw notFound('Item not found');
  return id;
}

/** GUID lists (Ids, GenreIds…): malformed entries can match nothing, so they are dropped. */
export function idList(raw: readonly string[] | undefined): string[] | undefined {
  if (!raw) return undefined;
  return raw.map((r) => normalizeId(r)).filter((x): x is string => !!x);
}

/** Page size cap: a client asking for "everything" still gets bounded pages. */
export const MAX_PAGE = 10_000;

export function clampLimit(limit: number | undefined): number | undefined {
  return limit === undefined ? undefined : Math.min(limit, MAX_PAGE);
}
