import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/server/db/connection.js';
import { createQueryBuilder, SqlRunner } from '../../../src/server/db/queryBuilder.js';
import { canUserSeeItem, visibleItemSql, visibleTo, type Viewer } from '../../../src/server/library/itemVisibility.js';

/** Every combination that matters: owner or not, item kinds, inside or outside a view, folder policies. */
function world() {
  const db = openDatabase(':memory:');
  const users: Viewer[] = [
    { id: 'all', policy: { EnableAllFolders: true, EnabledFolders: [] } },
    { id: 'tvonly', policy: { EnableAllFolders: false, EnabledFolders: ['tv'] } },
    { id: 'none', policy: { EnableAllFolders: false, EnabledFolders: [] } },
  ];
  const insertUser = db.prepare(`INSERT INTO users (id, name, policy, date_created) VALUES (?, ?, ?, '2026')`);
  for (const u of users) insertUser.run(u.id, u.id, JSON.stringify(u.policy));
  // A policy stored before EnableAllFolders existed: missing counts as true.
  insertUser.run('legacy', 'legacy', '{}');
  users.push({ id: 'legacy', policy: { EnableAllFolders: undefined as unknown as boolean, EnabledFolders: [] } });
  const items: Array<{ id: string; type: string; owner_user_id: string | null; top_parent_id: string | null }> = [];
  let n = 0;
  for (const type of ['CollectionFolder', 'Movie', 'Episode', 'Photo', 'Playlist', 'BoxSet', 'Genre']) {
    for (const owner of [null, 'all', 'tvonly']) {
      for (const top of [null, 'tv', 'movies']) {
        const id = type === 'CollectionFolder' && !owner && !top ? ['tv', 'movies'][n % 2]! : `i${n}`;
        n++;
        if (items.some((i) => i.id === id)) continue;
        items.push({ id, type, owner_user_id: owner, top_parent_id: type === 'CollectionFolder' ? null : top });
      }
    }
  }
  const insertItem = db.prepare(
    `INSERT INTO items (id, type, name, sort_name, owner_user_id, top_parent_id, date_created, date_modified)
     VALUES (@id, @type, @id, @id, @owner_user_id, @top_parent_id, '2026', '2026')`,
  );
  for (const i of items) insertItem.run(i);
  return { db, users, items };
}

describe('item visibility', () => {
  it('the query form (a Kysely expression) agrees with canUserSeeItem for every user and item', () => {
    const { db, users, items } = world();
    const qb = createQueryBuilder(db);
    const runner = new SqlRunner(db, qb);
    for (const u of users) {
      const visible = runner.pluck<string>(qb.selectFrom('items as a').select('a.id').where(visibleTo('a', u.id)).orderBy('a.id'));
      const expected = items.filter((i) => canUserSeeItem(u, i)).map((i) => i.id);
      expect(visible, u.id).toEqual([...expected].sort());
    }
  });

  it('the text form for hand-written statements is the same rule', () => {
    const { db, users, items } = world();
    for (const u of users) {
      const visible = db
        .prepare(`SELECT i.id FROM items i WHERE ${visibleItemSql('i', '@user')} ORDER BY i.id`)
        .pluck()
        .all({ user: u.id });
      expect(visible, u.id).toEqual(
        items
          .filter((i) => canUserSeeItem(u, i))
          .map((i) => i.id)
          .sort(),
      );
    }
  });
});
