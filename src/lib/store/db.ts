// The only module that opens the metadata database. node:sqlite, WAL, immediate write transactions.
import type {DatabaseSync, StatementSync} from 'node:sqlite'
import {existsSync} from '../util/fs.ts'
import {createRequire} from 'node:module'
import {pathToFileURL} from 'node:url'
import {IntegrityError} from '../errors.ts'
import {MIGRATIONS} from './migrations.ts'

// node:sqlite is loaded with require() so that bin/run.js can silence its ExperimentalWarning on older Node 22/24.
const require = createRequire(import.meta.url)

export type SqlValue = null | number | bigint | string | Uint8Array
export type Row = Record<string, SqlValue>

/** SQLite's result codes for a file that is not (or no longer) a whole database. */
const CORRUPT = 11
const NOT_A_DB = 26
const READ_ONLY = 8
const IO_ERROR = 10
const FULL = 13

/** A write that failed for want of disk space (SQLite reports a full disk as SQLITE_FULL, or an I/O error on tmpfs). */
export function isDiskFull(error: unknown): boolean {
  const primary = ((error as {errcode?: number}).errcode ?? -1) & 0xff
  return primary === FULL || primary === IO_ERROR || (error as NodeJS.ErrnoException).code === 'ENOSPC'
}

/** The store's metadata database cannot be read as one: exit 5, and what to do about it. */
export function damagedStore(path: string, what: string): IntegrityError {
  return new IntegrityError(`The store is damaged: ${path} ${what}. Nothing was changed.`,
    `The objects in .lode/objects are untouched. Set the file aside (mv ${path} ${path}.damaged; remove ${path}-wal and ${path}-shm), ` +
    `then put back a backup of it, or recover what SQLite can: sqlite3 ${path}.damaged .recover | sqlite3 ${path}`)
}

/** The store was made by a newer lode, whose schema this one does not know: exit 5, nothing touched. */
export function newerStore(path: string, version: number): IntegrityError {
  return new IntegrityError(`The store ${path} was made by a newer lode (schema ${version}; this lode knows ${MIGRATIONS.length}). Nothing was changed.`,
    'Use the newer lode that made it (npm install -g lode to upgrade this one).')
}

/** The tables the first `version` migrations leave in a database, in creation order. */
function tablesAt(version: number): string[] {
  const tables = new Set<string>()
  for (const sql of MIGRATIONS.slice(0, version)) {
    for (const m of sql.matchAll(/\b(CREATE|DROP|ALTER) TABLE (?:IF (?:NOT )?EXISTS )?(\w+)(?: RENAME TO (\w+))?/gi)) {
      const verb = m[1]!.toUpperCase()
      if (verb === 'CREATE') tables.add(m[2]!)
      else if (verb === 'DROP') tables.delete(m[2]!)
      else if (m[3]) {
        tables.delete(m[2]!)
        tables.add(m[3])
      }
    }
  }
  return [...tables]
}

export class Db {
  readonly raw: DatabaseSync
  readonly path: string
  private readonly cache = new Map<string, StatementSync>()

  private readonly readOnlyError: (() => Error) | undefined
  private readonly onFull: (() => boolean) | undefined

  /**
   * `readOnlyError`: what a write to a database opened read-only throws (whose store it is, what to do).
   * `onFull`: frees some disk space when a write finds the disk full (true when it could); the write is retried once.
   */
  constructor(path: string, opts: {readOnly?: boolean; readOnlyError?: () => Error; onFull?: () => boolean} = {}) {
    this.path = path
    this.readOnlyError = opts.readOnlyError
    this.onFull = opts.onFull
    const {DatabaseSync} = require('node:sqlite') as typeof import('node:sqlite')
    // Reading a WAL database needs its -shm file, which a user who cannot write the folder cannot create. With no
    // -wal file there is nothing beyond the database file to read: it is opened as immutable (no locks, no -shm).
    let target: string | URL = path
    if (opts.readOnly && !existsSync(`${path}-wal`)) {
      target = pathToFileURL(path)
      target.searchParams.set('immutable', '1')
    }
    this.raw = this.guard(() => new DatabaseSync(target, {readOnly: opts.readOnly ?? false, timeout: 10_000})) // busy timeout
    this.guard(() => {
      if (!opts.readOnly) {
        this.raw.exec('PRAGMA journal_mode = WAL')
        this.raw.exec('PRAGMA synchronous = NORMAL')
      }
      this.raw.exec('PRAGMA foreign_keys = ON')
    })
  }

  prepare(sql: string): StatementSync {
    let stmt = this.cache.get(sql)
    if (!stmt) {
      stmt = this.guard(() => this.raw.prepare(sql))
      this.cache.set(sql, stmt)
    }
    return stmt
  }

  all<T = Row>(sql: string, ...params: SqlValue[]): T[] {
    const stmt = this.prepare(sql)
    return this.guard(() => stmt.all(...params) as T[])
  }

  get<T = Row>(sql: string, ...params: SqlValue[]): T | undefined {
    const stmt = this.prepare(sql)
    return this.guard(() => stmt.get(...params) as T | undefined)
  }

  run(sql: string, ...params: SqlValue[]): {changes: number; lastInsertRowid: number} {
    const stmt = this.prepare(sql)
    const r = this.guard(() => stmt.run(...params))
    return {changes: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid)}
  }

  /** A corrupt page can surface at any query, not only at open: it is reported as a damaged store. */
  private guard<T>(fn: () => T): T {
    const inTransaction = this.raw?.isTransaction ?? false // read before: SQLite may end a transaction on failure
    try {
      return fn()
    } catch (error) {
      // outside a transaction a failed statement is undone as a whole, so it can be tried again (tx() retries its own)
      if (isDiskFull(error) && !inTransaction && this.onFull?.()) return this.guard(fn)
      const code = (error as {errcode?: number}).errcode
      if (code === READ_ONLY && this.readOnlyError) throw this.readOnlyError()
      if (code === CORRUPT || code === NOT_A_DB) throw damagedStore(this.path, `is not a whole SQLite database (${(error as {errstr?: string}).errstr ?? (error as Error).message})`)
      throw error
    }
  }

  /** A write transaction. BEGIN IMMEDIATE takes the write lock up front, so read-then-write never deadlocks. */
  tx<T>(fn: () => T, retried = false): T {
    if (this.raw.isTransaction) return fn() // nested: part of the caller's transaction
    this.guard(() => this.raw.exec('BEGIN IMMEDIATE'))
    try {
      const result = fn()
      this.guard(() => this.raw.exec('COMMIT'))
      return result
    } catch (error) {
      if (this.raw.isTransaction) this.raw.exec('ROLLBACK')
      // a full disk: the whole transaction again, once, with the space onFull freed
      if (!retried && isDiskFull(error) && this.onFull?.()) return this.tx(fn, true)
      throw error
    }
  }

  /**
   * Refuses a database this lode cannot use: one made by a newer lode, or one that has lost a table its schema
   * version says it has (a statement would otherwise fail with "no such table", as if lode had a bug).
   */
  checkSchema(): void {
    const version = Number((this.get<{user_version: number}>('PRAGMA user_version')?.user_version) ?? 0)
    if (version > MIGRATIONS.length) throw newerStore(this.path, version)
    const have = new Set(this.all<{name: string}>(`SELECT name FROM sqlite_master WHERE type = 'table'`).map((r) => r.name))
    const missing = tablesAt(version).filter((t) => !have.has(t))
    if (missing.length) throw damagedStore(this.path, `has lost the table${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (schema ${version})`)
  }

  migrate(): void {
    const current = Number((this.get<{user_version: number}>('PRAGMA user_version')?.user_version) ?? 0)
    if (current >= MIGRATIONS.length) return
    this.guard(() => this.tx(() => {
      // Re-read inside the lock: another lode process may have migrated meanwhile.
      const version = Number((this.raw.prepare('PRAGMA user_version').get() as {user_version: number}).user_version)
      for (let i = version; i < MIGRATIONS.length; i++) {
        this.raw.exec(MIGRATIONS[i]!)
        this.raw.exec(`PRAGMA user_version = ${i + 1}`)
      }
    }))
  }

  close(): void {
    this.cache.clear()
    if (this.raw.isOpen) this.raw.close()
  }
}
