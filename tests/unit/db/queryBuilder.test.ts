import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../../../src/server/db/connection.js';
import { createQueryBuilder, jsonList, SqlRunner } from '../../../src/server/db/queryBuilder.js';

function setup(maxStatements?: number) {
  const db = openDatabase(':memory:');
  db.exec(`INSERT INTO scan_issues (path, reason, date) VALUES ('/a', 'x', 'd1'), ('/b', 'y', 'd2'), ('/c', 'x', 'd3')`);
  const qb = createQueryBuilder(db);
  let prepared = 0;
  const counting = new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (text: string) => (prepared++, target.prepare(text));
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { qb, runner: new SqlRunner(counting, qb, maxStatements), prepared: () => prepared };
}

describe('SqlRunner', () => {
  it('prepares each SQL text once, whatever the values or the length of a list', () => {
    const { qb, runner, prepared } = setup();
    const byReason = (reasons: string[]) =>
      qb.selectFrom('scan_issues').select('path').where('reason', 'in', jsonList(reasons)).orderBy('path');
    expect(runner.all(byReason(['x']))).toEqual([{ path: '/a' }, { path: '/c' }]);
    expect(runner.all(byReason(['x', 'y', 'z']))).toHaveLength(3);
    expect(runner.get(byReason(['y']))).toEqual({ path: '/b' });
    expect(prepared()).toBe(1);
  });

  it('keeps the plucking mode of a shared statement per call', () => {
    const { qb, runner } = setup();
    const q = qb.selectFrom('scan_issues').select('path').where('reason', '=', 'x').orderBy('path');
    expect(runner.pluck(q)).toEqual(['/a', '/c']);
    expect(runner.all(q)).toEqual([{ path: '/a' }, { path: '/c' }]);
    expect(runner.pluck(q)).toEqual(['/a', '/c']);
  });

  it('runs raw statements and forgets the least recently used statement beyond its bound', () => {
    const { runner, prepared } = setup(2);
    const count = (reason: string) => sql<{ n: number }>`SELECT COUNT(*) AS n FROM scan_issues WHERE reason = ${reason}`;
    const paths = sql<{ path: string }>`SELECT path FROM scan_issues ORDER BY path`;
    const dates = sql<{ date: string }>`SELECT date FROM scan_issues ORDER BY date`;
    expect(runner.get(count('x'))!.n).toBe(2);
    runner.all(paths);
    runner.get(count('y'));
    runner.all(dates); // evicts `paths`, the least recently used
    expect(prepared()).toBe(3);
    runner.get(count('x'));
    expect(prepared()).toBe(3);
    runner.all(paths);
    expect(prepared()).toBe(4);
  });
});
