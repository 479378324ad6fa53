/**
 * Who may see which library item, in one place so per-user library access grows here (and only here).
 *
 * - An item with an owner is private to that owner — playlists, and camera uploads (their owner is set when
 *   the scanner inserts them, migration 003) — except box sets, which are shared although they record who
 *   made them. Its owner always sees it.
 * - Library access (`UserPolicy.EnableAllFolders` / `EnabledFolders`, issue 9): a user without all folders
 *   sees a library view (CollectionFolder) only if its id is enabled, and an item under a view (its
 *   `top_parent_id`) only if that view is. Items outside any view — items-by-name (Genre, Person…), box
 *   sets — stay visible; what they list is filtered because their items are.
 *
 * The rule has two forms: `canUserSeeItem` for rows in hand, and `visibleTo` for queries (a Kysely
 * expression; `visibleItemSql` is the same expression as SQL text for hand-written statements, and
 * `visibleToViewer` that text as a fragment naming the `@viewer` parameter, compiled once per alias).
 */
import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type Expression,
  type RawBuilder,
  type SqlBool,
} from 'kysely';
import type { UserPolicy } from '../../shared/api/users.js';

export interface VisibilityFacts {
  id: string;
  type: string;
  owner_user_id: string | null;
  top_parent_id: string | null;
}

/** The viewing user: a `UserRecord` fits as is. */
export interface Viewer {
  id: string;
  policy: Pick<UserPolicy, 'EnableAllFolders' | 'EnabledFolders'>;
}

/** The library view an item belongs to: its own id for a view, else its top parent (null: outside views). */
function viewOf(item: VisibilityFacts): string | null {
  return item.type === 'CollectionFolder' ? item.id : item.top_parent_id;
}

export function canUserSeeItem(viewer: Viewer, item: VisibilityFacts): boolean {
  if (item.owner_user_id === viewer.id) return true;
  if (item.type === 'Playlist' || (item.owner_user_id !== null && item.type !== 'BoxSet')) return false;
  if (viewer.policy.EnableAllFolders !== false) return true;
  const view = viewOf(item);
  return view === null || viewer.policy.EnabledFolders.includes(view);
}

/**
 * The same rule over the `items` row aliased `alias`, for `user` (a value, or an expression naming it).
 * The user's folder policy is read from `users.policy` by uncorrelated subqueries, which SQLite evaluates
 * once per statement, so the per-row cost is a flag test and a set probe. A missing `EnableAllFolders`
 * counts as true, as `DEFAULT_POLICY` says. Keep it in step with `canUserSeeItem`.
 */
export function visibleTo(alias: string, user: string | Expression<string>): RawBuilder<SqlBool> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const restricted = sql`(SELECT json_extract(u.policy, '$.EnableAllFolders') FROM users u WHERE u.id = ${user}) = 0`;
  const enabled = sql`(SELECT f.value FROM users u, json_each(u.policy, '$.EnabledFolders') f WHERE u.id = ${user})`;
  const view = sql`CASE WHEN ${col('type')} = 'CollectionFolder' THEN ${col('id')} ELSE ${col('top_parent_id')} END`;
  return sql<SqlBool>`(${col('owner_user_id')} = ${user} OR (${col('type')} <> 'Playlist'
    AND (${col('owner_user_id')} IS NULL OR ${col('type')} = 'BoxSet')
    AND (NOT COALESCE(${restricted}, 0) OR ${view} IS NULL OR ${view} IN ${enabled})))`;
}

/** Compiles fragments to text only (never runs anything). */
const textOnly = new Kysely<Record<string, never>>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/**
 * `visibleTo` as SQL text over an `items` alias, for statements written by hand; `userParam` is the named
 * parameter holding the user id (e.g. `@user`).
 */
export function visibleItemSql(alias: string, userParam: string): string {
  const key = `${alias}\u0000${userParam}`;
  let text = compiledText.get(key);
  if (text === undefined) {
    text = visibleTo(alias, sql.raw(userParam)).compile(textOnly).sql;
    compiledText.set(key, text);
  }
  return text;
}

/** Compiled once per (alias, parameter): callers build statements with it on every request. */
const compiledText = new Map<string, string>();

/** The named parameter `visibleToViewer` (and the library's other per-viewer fragments) read the user from. */
export const VIEWER = '@viewer';

const compiledForViewer = new Map<string, RawBuilder<SqlBool>>();

/**
 * `visibleTo(alias, @viewer)` compiled once: a request's statements bind the user as `{ viewer }` instead
 * of recompiling the rule for every query (Kysely's compile is most of a page query's JavaScript cost).
 */
export function visibleToViewer(alias: string): RawBuilder<SqlBool> {
  let fragment = compiledForViewer.get(alias);
  if (!fragment) {
    fragment = sql.raw<SqlBool>(visibleItemSql(alias, VIEWER));
    compiledForViewer.set(alias, fragment);
  }
  return fragment;
}
