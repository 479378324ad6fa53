/**
 * The item a playback request is about: the caller may play media (policy) and see the item (visibility,
 * `EnabledFolders`), and its file is there. Otherwise 403 / 404, never a half-started stream.
 */
import fs from 'node:fs';
import type { AuthContext } from '../auth/authService.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { normalizeId } from '../ids.js';
import { hasMediaFile } from '../library/itemDto.js';
import type { ItemRow } from '../library/itemsRepo.js';
import { TICKS_PER_SECOND } from '../../shared/api/items.js';

export interface VisibleItems {
  getVisible(userId: string, id: string): ItemRow | undefined;
}

export function requirePlayback(caller: AuthContext): AuthContext {
  if (!caller.user.policy.EnableMediaPlayback) throw forbidden('Media playback is not enabled for this user');
  return caller;
}

/** An item the caller may play and see, else 403/404 (an id that is not a GUID is simply unknown). */
export function playableItem(items: VisibleItems, caller: AuthContext, rawId: string): ItemRow {
  requirePlayback(caller);
  const id = normalizeId(rawId);
  const row = id ? items.getVisible(caller.user.id, id) : undefined;
  if (!row) throw notFound('Item not found');
  return row;
}

/** The item's media file on disk, else 404. */
export async function sourceFile(item: ItemRow): Promise<string> {
  if (!hasMediaFile(item)) throw notFound('This item has no media file');
  try {
    if ((await fs.promises.stat(item.path!)).isFile()) return item.path!;
  } catch {
    // Falls through to the same answer as a directory in its place.
  }
  throw notFound('The media file is missing');
}

export function durationOf(item: ItemRow): number {
  if (!item.run_time_ticks || item.run_time_ticks <= 0) throw badRequest('The duration of this file is unknown, so it cannot be streamed');
  return item.run_time_ticks / TICKS_PER_SECOND;
}

export function mediaKind(item: ItemRow): 'Videos' | 'Audio' {
  return item.media_type === 'Audio' ? 'Audio' : 'Videos';
}
