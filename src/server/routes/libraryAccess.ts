/**
 * Shared by the library routes: whose library a request reads (the `{uid}` rule), the DTO context for that
 * user, and the item look-up that answers 404 for what the user may not see.
 */
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../appDeps.js';
import { caller, resolveUserId } from '../http/authPlugin.js';
import { notFound } from '../http/errors.js';
import { normalizeId } from '../ids.js';
import type { UserRecord } from '../auth/usersRepo.js';
import type { ItemRow } from '../library/itemsRepo.js';
import { parseFields, type DtoContext } from '../library/itemDto.js';

/** `{uid}` / `UserId` must be the caller unless an administrator asks (403), and must exist (404). */
export function libraryUser(deps: AppDeps, req: FastifyRequest, raw: string | undefined): UserRecord {
  const id = resolveUserId(req, raw ? (normalizeId(raw) ?? raw) : undefined);
  const user = deps.users.get(id);
  if (!user) throw notFound('User not found');
  return user;
}

export function dtoContext(req: FastifyRequest, user: UserRecord, fields: readonly string[] | undefined): DtoContext {
  return {
    userId: user.id,
    deviceId: caller(req).deviceId,
    fields: parseFields(fields),
    enableSync: user.policy.EnableSync,
  };
}

/** An item the user may see, else 404 (an id that is not a GUID is simply unknown). */
export function visibleItem(deps: AppDeps, userId: string, raw: string | undefined): ItemRow {
  const id = normalizeId(raw);
  const row = id ? deps.items.getVisible(userId, id) : undefined;
  if (!row) throw notFound('Item not found');
  return row;
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
