// Read-only queries for the web UI's runs table: a page at any offset of a filtered, sorted list, and its total.
import type {Field} from '../query/fields.ts'
import type {Expr} from '../query/parse.ts'
import type {Run} from '../types.ts'
import type {Store} from './store.ts'
import {orderSql, whereSql} from './run-filter.ts'
import {rowToRun} from './runs.ts'

export interface RunsPageQuery {
  where?: Expr
  sort?: {field: Field; desc: boolean}
  limit: number
  offset: number
}

const PAGE_COLUMNS = `uid, name, project, kind, function, handler, state, labels, params, inputs, declared_outputs, outputs,
  results, error, exit_code, signal, pid, host, code_hash, workflow_id, step, parent_uid, iter, secrets, created, started, ended, warnings`

/** The uids of every run a filter matches, in the page's order: one scan that a server can keep and page through. */
export function orderedUids(store: Pick<Store, 'db'>, q: Omit<RunsPageQuery, 'limit' | 'offset'>): string[] {
  const w = q.where ? whereSql(q.where) : {sql: '', params: []}
  const params = [...w.params]
  let order = 'r.created DESC, r.rowid DESC'
  if (q.sort) {
    const o = orderSql(q.sort.field, q.sort.desc)
    order = `${o.sql}, ${order}`
    params.push(...o.params)
  }
  return store.db.all<{uid: string}>(`SELECT r.uid FROM runs r ${q.where ? `WHERE ${w.sql}` : ''} ORDER BY ${order}`, ...params).map((r) => r.uid)
}

/** Runs by uid, in the order given. */
export function runsByUids(store: Pick<Store, 'db'>, uids: string[]): Run[] {
  if (uids.length === 0) return []
  const rows = new Map(store.db.all(`SELECT ${PAGE_COLUMNS} FROM runs WHERE uid IN (${uids.map(() => '?').join(', ')})`, ...uids).map((r) => [String(r.uid), rowToRun(r)]))
  return uids.map((u) => rows.get(u)).filter((r) => r !== undefined)
}

export function runsPage(store: Pick<Store, 'db'>, q: RunsPageQuery): {runs: Run[]; total: number} {
  const w = q.where ? whereSql(q.where) : {sql: '', params: []}
  const filter = q.where ? `WHERE ${w.sql}` : ''
  const total = Number(store.db.get<{n: number}>(`SELECT count(*) AS n FROM runs r ${filter}`, ...w.params)?.n ?? 0)
  // rowid breaks ties: the created index then yields the order with no sort, so a far offset only walks the index
  let order = 'r.created DESC, r.rowid DESC'
  const params = [...w.params]
  if (q.sort) {
    const o = orderSql(q.sort.field, q.sort.desc)
    order = `${o.sql}, ${order}`
    params.push(...o.params)
  }
  // uids first (the sorter then carries only them), then the page's rows by key
  const uids = store.db.all<{uid: string}>(`SELECT r.uid FROM runs r ${filter} ORDER BY ${order} LIMIT ? OFFSET ?`, ...params, q.limit, q.offset).map((r) => r.uid)
  return {runs: runsByUids(store, uids), total}
}

/** Changes whenever another connection commits to the database: a cheap way to notice new or finished runs. */
export function dataVersion(store: Pick<Store, 'db'>): number {
  return Number(store.db.get<{data_version: number}>('PRAGMA data_version')?.data_version ?? 0)
}

/** The uids of runs not yet ended, for following their logs. */
export function activeRunUids(store: Pick<Store, 'db'>): string[] {
  return store.db.all<{uid: string}>(`SELECT uid FROM runs WHERE state IN ('created', 'running') ORDER BY created DESC LIMIT 200`).map((r) => r.uid)
}
