/**
 * Who may see which library item, in one place so per-user library access can grow here (and only here).
 * Today: an item with an owner is private to that owner — playlists, and camera uploads (their owner is set
 * when the scanner inserts them, migration 003) — except box sets, which are shared although they record who
 * made them; everything else is visible to every signed-in user.
 */

export interface VisibilityFacts {
  type: string;
  owner_user_id: string | null;
}

export function canUserSeeItem(userId: string, item: VisibilityFacts): boolean {
  if (item.owner_user_id === userId) return true;
  return item.type !== 'Playlist' && (item.owner_user_id === null || item.type === 'BoxSet');
}

/**
 * The same rule as SQL over an `items` alias; `userParam` is the named parameter holding the user id
 * (e.g. `@user`). Keep it in step with `canUserSeeItem`.
 */
export function visibleItemSql(alias: string, userParam: string): string {
  return `(${alias}.owner_user_id = ${userParam} OR (${alias}.type <> 'Playlist' AND (${alias}.owner_user_id IS NULL OR ${alias}.type = 'BoxSet')))`;
}
