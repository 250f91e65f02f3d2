// The only module that opens the metadata database. node:sqlite, WAL, immediate write transactions.
import type {DatabaseSync, StatementSync} from 'node:sqlite'
import {createRequire} from 'node:module'
import {MIGRATIONS} from './migrations.ts'

// node:sqlite is loaded with require() so that bin/run.js can silence its ExperimentalWarning on older Node 22/24.
const require = createRequire(import.meta.url)

export type SqlValue = null | number | bigint | string | Uint8Array
export type Row = Record<string, SqlValue>

export class Db {
  readonly raw: DatabaseSync
  private readonly cache = new Map<string, StatementSync>()

  constructor(path: string, opts: {readOnly?: boolean} = {}) {
    const {DatabaseSync} = require('node:sqlite') as typeof import('node:sqlite')
    this.raw = new DatabaseSync(path, {readOnly: opts.readOnly ?? false, timeout: 10_000}) // busy timeout
    if (!opts.readOnly) {
      this.raw.exec('PRAGMA journal_mode = WAL')
      this.raw.exec('PRAGMA synchronous = NORMAL')
    }
    this.raw.exec('PRAGMA foreign_keys = ON')
  }

  prepare(sql: string): StatementSync {
    let stmt = this.cache.get(sql)
    if (!stmt) {
      stmt = this.raw.prepare(sql)
      this.cache.set(sql, stmt)
    }
    return stmt
  }

  all<T = Row>(sql: string, ...params: SqlValue[]): T[] {
    return this.prepare(sql).all(...params) as T[]
  }

  get<T = Row>(sql: string, ...params: SqlValue[]): T | undefined {
    return this.prepare(sql).get(...params) as T | undefined
  }

  run(sql: string, ...params: SqlValue[]): {changes: number; lastInsertRowid: number} {
    const r = this.prepare(sql).run(...params)
    return {changes: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid)}
  }

  /** A write transaction. BEGIN IMMEDIATE takes the write lock up front, so read-then-write never deadlocks. */
  tx<T>(fn: () => T): T {
    if (this.raw.isTransaction) return fn() // nested: part of the caller's transaction
    this.raw.exec('BEGIN IMMEDIATE')
    try {
      const result = fn()
      this.raw.exec('COMMIT')
      return result
    } catch (error) {
      if (this.raw.isTransaction) this.raw.exec('ROLLBACK')
      throw error
    }
  }

  migrate(): void {
    const current = Number((this.get<{user_version: number}>('PRAGMA user_version')?.user_version) ?? 0)
    if (current >= MIGRATIONS.length) return
    this.tx(() => {
      // Re-read inside the lock: another lode process may have migrated meanwhile.
      const version = Number((this.raw.prepare('PRAGMA user_version').get() as {user_version: number}).user_version)
      for (let i = version; i < MIGRATIONS.length; i++) {
        this.raw.exec(MIGRATIONS[i]!)
        this.raw.exec(`PRAGMA user_version = ${i + 1}`)
      }
    })
  }

  close(): void {
    this.cache.clear()
    if (this.raw.isOpen) this.raw.close()
  }
}
