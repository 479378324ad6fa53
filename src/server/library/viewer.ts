/**
 * Whose library a request reads, and which of its items exist for them — the two checks every library
 * service starts with. `{uid}` (or `UserId`) names the caller unless an administrator asks (API.md §2
 * Access); an item the user may not see is unknown (404), whatever the reason.
 */
import { forbidden, notFound } from '../errors.js';
import { normalizeId } from '../ids.js';
import type { UserRecord } from '../auth/usersRepo.js';
import type { ItemRow } from './itemsRepo.js';

/** The signed-in caller and the device they use (`AuthContext` fits). */
export interface LibraryActor {
  user: UserRecord;
  deviceId: string;
}

export interface UserLookup {
  get(id: string): UserRecord | undefined;
}

export interface VisibleItems {
  getVisible(userId: string, id: string): ItemRow | undefined;
}

/** The user whose library is read: the caller, or anyone for an administrator (403 otherwise, 404 if gone). */
export function viewerFor(users: UserLookup, actor: LibraryActor, rawUserId: string | undefined): UserRecord {
  const requested = rawUserId ? (normalizeId(rawUserId) ?? rawUserId) : undefined;
  if (requested && requested !== actor.user.id && !actor.user.policy.IsAdministrator) throw forbidden('You may only act for yourself');
  const user = users.get(requested ?? actor.user.id);
  if (!user) throw notFound('User not found');
  return user;
}

/** An item the user may see, else NotFound (an id that is not a GUID is simply unknown). */
export function visibleItemOf(items: VisibleItems, userId: string, rawId: string | undefined): ItemRow {
  const id = normalizeId(rawId);
  const row = id ? items.getVisible(userId, id) : undefined;
  if (!row) throw notFound('Item not found');
  return row;
}
