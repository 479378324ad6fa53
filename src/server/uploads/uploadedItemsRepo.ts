/**
 * The library items made from one user's camera uploads: scanned from the uploads folder and owned by
 * that user (migration 003's trigger sets the owner), newest first. A read model for the per-user
 * "Camera uploads" view the upload page points to; the scanner puts the same items into Photos / Movies.
 */
import path from 'node:path';
import type { Db } from '../db/connection.js';

export interface UploadedItemsPage {
  ids: string[];
  total: number;
}

export function uploadedItemIds(db: Db, userId: string, uploadsRoot: string, startIndex = 0, limit = -1): UploadedItemsPage {
  const prefix = `${path.resolve(uploadsRoot)}${path.sep}`;
  // substr() rather than LIKE: a folder name may hold % or _.
  const where = `owner_user_id = @user AND path IS NOT NULL AND is_folder = 0 AND substr(path, 1, @len) = @prefix`;
  const params = { user: userId, len: prefix.length, prefix };
  const ids = db
    .prepare(`SELECT id FROM items WHERE ${where} ORDER BY date_created DESC, id LIMIT @limit OFFSET @offset`)
    .pluck()
    .all({ ...params, limit, offset: startIndex }) as string[];
  const total =
    limit >= 0 && ids.length >= limit
      ? (db.prepare(`SELECT COUNT(*) FROM items WHERE ${where}`).pluck().get(params) as number)
      : startIndex + ids.length;
  return { ids, total };
}
