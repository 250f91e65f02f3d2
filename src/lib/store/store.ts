// The project store: .lode/lode.db (metadata) + .lode/objects (bytes) + .lode/runs/<uid>/ (one folder per run).
import {accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from '../util/fs.ts'
import {userInfo} from 'node:os'
import {join} from 'node:path'
import {ArtifactRecords} from './artifacts.ts'
import {Db, damagedStore, isDiskFull} from './db.ts'
import {ObjectStore, dirEntry, manifestJson, walkFiles} from './objects.ts'
import {RunRecords} from './runs.ts'
import {WorkflowRecords} from './workflows.ts'
import {HyperRecords} from './hyper-runs.ts'
import {IntegrityError, UserError} from '../errors.ts'
import {hashBytes, hashFile, RACY_NS} from '../util/hash.ts'
import type {DirEntry} from '../types.ts'

export class Store {
  readonly dir: string
  readonly project: string
  readonly db: Db
  readonly objects: ObjectStore
  readonly runs: RunRecords
  readonly artifacts: ArtifactRecords
  readonly workflows: WorkflowRecords
  readonly hyper: HyperRecords

  /** The user cannot write this store (another user's): it was opened for reading only. */
  readonly readOnly: boolean

  private constructor(dir: string, project: string, db: Db, readOnly: boolean) {
    this.readOnly = readOnly
    this.dir = dir
    this.project = project
    this.db = db
    this.objects = new ObjectStore(dir)
    this.runs = new RunRecords(db)
    this.artifacts = new ArtifactRecords(db, project)
    this.workflows = new WorkflowRecords(db)
    this.hyper = new HyperRecords(db)
  }

  /**
   * Open (creating the folders and schema when needed) the store in `dir` (a project's .lode/). A store the user
   * cannot write (another user's) is opened read-only, with nothing created or migrated: reading works, and a write
   * says whose store it is.
   */
  static open(dir: string, project: string): Store {
    const dbPath = join(dir, 'lode.db')
    checkDatabaseFile(dir, dbPath)
    let readOnly = existsSync(dbPath) && !canWrite(dir, dbPath)
    let readOnlyError = () => notYourStore(dir)
    const reserve = join(dir, RESERVE)
    if (!readOnly) {
      mkdirSync(join(dir, 'objects', 'sha256'), {recursive: true})
      mkdirSync(join(dir, 'runs'), {recursive: true})
      mkdirSync(join(dir, 'tmp'), {recursive: true})
      keepReserve(reserve)
    }
    const onFull = () => releaseReserve(reserve)
    let db: Db
    try {
      db = new Db(dbPath, {readOnly, readOnlyError, onFull})
    } catch (error) {
      // A full disk leaves no room for SQLite's shared-memory file: read what is there, without it.
      if (readOnly || !isDiskFull(error) || !existsSync(dbPath)) throw error
      readOnly = true
      readOnlyError = () => diskFull(dir)
      db = new Db(dbPath, {readOnly, readOnlyError})
    }
    try {
      db.checkSchema()
      if (!readOnly) db.migrate()
    } catch (error) {
      db.close()
      throw error
    }
    return new Store(dir, project, db, readOnly)
  }

  /** Throws, saying whose store this is, unless the user can write it. */
  assertWritable(): void {
    if (this.readOnly) throw notYourStore(this.dir)
  }

  runDir(uid: string): string {
    return join(this.dir, 'runs', uid)
  }

  /**
   * sha256 of a file, remembered by path, size, modification and change time, device and inode, so that unchanged
   * large inputs are not reread on every run. The change time is what catches bytes rewritten in place with their
   * size and mtime put back: no user can set it.
   */
  async hashInputFile(path: string): Promise<{sha256: string; size: number}> {
    const before = statKey(path)
    const hit = this.db.get<{sha256: string}>('SELECT sha256 FROM file_hashes WHERE path = ? AND size = ? AND mtime_ns = ? AND ctime_ns = ? AND dev = ? AND ino = ?',
      path, before.size, before.mtime, before.ctime, before.dev, before.ino)
    if (hit) return {sha256: hit.sha256, size: before.size}
    const started = BigInt(Date.now()) * 1_000_000n
    const result = await hashFile(path)
    // A file modified while hashed must not be remembered with a stale hash. Nor may one changed within the file
    // system's timestamp granularity before the hash began: a write in the same tick would leave its ctime as is.
    const after = statKey(path)
    const racy = BigInt(before.ctime) > started - RACY_NS
    if (!racy && !this.readOnly && sameKey(before, after) && after.size === result.size) {
      this.db.run('INSERT OR REPLACE INTO file_hashes (path, size, mtime_ns, ctime_ns, dev, ino, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)',
        path, before.size, before.mtime, before.ctime, before.dev, before.ino, result.sha256)
    }
    return result
  }

  /**
   * A file's sha256, or for a folder the hash of the manifest lode would store for it (so a folder that was logged
   * as a dir artifact is recognised as that version).
   */
  async hashInputPath(path: string): Promise<{sha256: string; size: number}> {
    if (!statSync(path).isDirectory()) return this.hashInputFile(path)
    const files: DirEntry[] = []
    for (const file of await walkFiles(path)) {
      files.push(dirEntry(path, file, statSync(file).mode, await this.hashInputFile(file)))
    }
    return {sha256: hashBytes(manifestJson(files)), size: files.reduce((n, f) => n + f.size, 0)}
  }

  close(): void {
    this.db.close()
  }
}

/**
 * Disk space set aside in .lode/reserve, given up when a database write finds the disk full, so that the run which filled
 * it can still be recorded as failed (not left running). Made again by a later open once there is room.
 */
const RESERVE = 'reserve'
const RESERVE_BYTES = 1 << 20

function keepReserve(path: string): void {
  if (existsSync(path)) return
  try {
    writeFileSync(path, Buffer.alloc(RESERVE_BYTES), {flag: 'wx'})
  } catch {
    rmSync(path, {force: true}) // no room for it now (or another lode made it): try again next time
  }
}

function releaseReserve(path: string): boolean {
  try {
    rmSync(path)
    return true
  } catch {
    return false
  }
}

function diskFull(dir: string): UserError {
  return new UserError(`The disk holding ${dir} is full: lode can read the store, but not write to it.`, 'Free some disk space (lode artifacts gc --dry-run shows what can go), then try again.')
}

/** The database and its folder (SQLite writes its -wal and -shm files beside it). */
function canWrite(dir: string, dbPath: string): boolean {
  try {
    accessSync(dir, constants.W_OK)
    accessSync(dbPath, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/** A store (or project, `what`) another user owns: whose it is, and what to do. */
export function notYourStore(dir: string, what = 'store'): UserError {
  const owner = userName(statSync(dir).uid)
  const me = userInfo().username
  return new UserError(`This ${what} (${dir}) belongs to ${owner}: you (${me}) can read it, but not write to it.`,
    `Run the command as ${owner} (e.g. sudo -u ${owner} lode ...), or ask ${owner} to let you write: chown -R ${me} ${dir} (or chmod -R g+w for a shared group). Reading commands (runs ls, artifacts get ...) work as you are.`)
}

/** A user id's name from /etc/passwd; the number where there is none. */
function userName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , id] = line.split(':')
      if (name && Number(id) === uid && id !== '') return name
    }
  } catch {
    /* no /etc/passwd (Windows) */
  }
  return `user ${uid}`
}

/**
 * What SQLite would not say: a folder where the database should be, or an empty file beside objects and runs (the
 * database was lost; opening it would silently start a new, empty store over them).
 */
function checkDatabaseFile(dir: string, dbPath: string): void {
  // .lode/ that is a file (or a FIFO...) cannot hold a store; making its folders would fail with ENOTDIR
  const store = statSync(dir, {throwIfNoEntry: false})
  if (store && !store.isDirectory()) {
    throw new IntegrityError(`The store is damaged: ${dir} is not a folder. Nothing was changed.`, `Set it aside (mv ${dir} ${dir}.old) and lode makes a new, empty store there; put back a backup of the folder to keep its runs and artifacts.`)
  }
  let st
  try {
    st = statSync(dbPath)
  } catch {
    // a new store, unless runs or objects say there was one
    const objects = readdirSafe(join(dir, 'objects', 'sha256')).length
    const runs = readdirSafe(join(dir, 'runs')).length
    if (objects || runs) throw lostDatabase(dir, dbPath, `the store holds ${holdings(objects, runs)}`)
    return
  }
  if (st.isDirectory()) throw damagedStore(dbPath, 'is a directory, not a database file')
  if (st.size > 0 || (existsSync(`${dbPath}-wal`) && statSync(`${dbPath}-wal`).size > 0)) return
  const objects = readdirSafe(join(dir, 'objects', 'sha256')).length
  const runs = readdirSafe(join(dir, 'runs')).length
  if (objects || runs) throw damagedStore(dbPath, `is empty (0 bytes), but the store holds ${holdings(objects, runs)}: its records are lost`)
}

function holdings(objects: number, runs: number): string {
  return `${objects ? `object folders` : ''}${objects && runs ? ' and ' : ''}${runs ? `${runs} run folder${runs > 1 ? 's' : ''}` : ''}`
}

/** lode.db is gone from a store that was in use: starting an empty one would hide every record. */
function lostDatabase(dir: string, dbPath: string, holds: string): IntegrityError {
  return new IntegrityError(`The store is damaged: ${dbPath} is missing, but ${holds}. Nothing was changed.`,
    `Put back a backup of ${dbPath}. To start a new, empty store instead, set the old one aside: mv ${dir} ${dir}.old`)
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}


interface StatKey {size: number; mtime: string; ctime: string; dev: string; ino: string}

function statKey(path: string): StatKey {
  const st = statSync(path, {bigint: true})
  return {size: Number(st.size), mtime: String(st.mtimeNs), ctime: String(st.ctimeNs), dev: String(st.dev), ino: String(st.ino)}
}

function sameKey(a: StatKey, b: StatKey): boolean {
  return a.size === b.size && a.mtime === b.mtime && a.ctime === b.ctime && a.dev === b.dev && a.ino === b.ino
}
