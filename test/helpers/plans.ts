// What SQLite does with a store's queries, for tests that a listing walks an index rather than scanning.
import type {Db, SqlValue} from '../../src/lib/store/db.ts'

/** The plan SQLite chooses for each query `fn` makes through `db.all`. */
export function plansOf(db: Db, fn: () => void): string[][] {
  const seen: [string, SqlValue[]][] = []
  const all = db.all.bind(db)
  db.all = ((sql: string, ...params: SqlValue[]) => {
    seen.push([sql, params])
    return all(sql, ...params)
  }) as typeof db.all
  try {
    fn()
  } finally {
    db.all = all
  }
  return seen.map(([sql, params]) => (db.raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as {detail: string}[]).map((r) => r.detail))
}
