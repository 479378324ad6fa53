/**
 * Who may see which library item, in one place so per-user library access can grow here (and only here).
 * Today: playlists belong to their owner; everything else is visible to every signed-in user.
 */

export interface VisibilityFacts {
  type: string;
  owner_user_id: string | null;
}

export function canUserSeeItem(userId: string, item: VisibilityFacts): boolean {
  return item.type !== 'Playlist' || item.owner_user_id === userId;
}

/**
 * The same rule as SQL over an `items` alias; `userParam` is the named parameter holding the user id
 * (e.g. `@user`). Keep it in step with `canUserSeeItem`.
 */
export function visibleItemSql(alias: string, userParam: string): string {
  return `(${alias}.type <> 'Playlist' OR ${alias}.owner_user_id = ${userParam})`;
}
