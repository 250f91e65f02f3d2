// What this clone knows of each remote: packs merged, records and objects the remote has, tags as last synced.
// Kept in its own database (.lode/remote-state.db) beside the store's: it is a cache of the remote, never a record.
import {join} from 'node:path'
import {Db} from './db.ts'
import {randomHex} from '../util/hash.ts'

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS packs (remote TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (remote, name)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS records (remote TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (remote, kind, id)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS objects (remote TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (remote, sha256)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS tags (remote TEXT NOT NULL, key TEXT NOT NULL, tag TEXT NOT NULL, vid TEXT, ts INTEGER NOT NULL, origin TEXT NOT NULL,
    PRIMARY KEY (remote, key, tag)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS caps (remote TEXT PRIMARY KEY, conditional INTEGER NOT NULL) WITHOUT ROWID;
`

export type RecordKind = 'run' | 'version' | 'workflow'

/** A tag's position as the remote has it: the winning move (null vid: removed). */
export interface SyncedTag {
  key: string
  tag: string
  vid: string | null
  ts: number
  origin: string
}

export class RemoteState {
  private readonly db: Db
  readonly origin: string

  private constructor(db: Db, origin: string) {
    this.db = db
    this.origin = origin
  }

  static open(storeDir: string): RemoteState {
    const db = new Db(join(storeDir, 'remote-state.db'))
    db.tx(() => db.raw.exec(SCHEMA))
    let origin = db.get<{value: string}>("SELECT value FROM meta WHERE key = 'origin'")?.value
    if (!origin) {
      // this clone's name in the documents it pushes: tells its moves from another clone's made at the same millisecond
      db.run("INSERT OR IGNORE INTO meta (key, value) VALUES ('origin', ?)", randomHex(6))
      origin = db.get<{value: string}>("SELECT value FROM meta WHERE key = 'origin'")!.value
    }
    return new RemoteState(db, origin)
  }

  tx<T>(fn: () => T): T {
    return this.db.tx(fn)
  }

  seenPacks(remote: string): Set<string> {
    return new Set(this.db.all<{name: string}>('SELECT name FROM packs WHERE remote = ?', remote).map((r) => r.name))
  }

  markPack(remote: string, name: string): void {
    this.db.run('INSERT OR IGNORE INTO packs (remote, name) VALUES (?, ?)', remote, name)
  }

  /** Of `ids`, those the remote is not known to have. */
  unsent(remote: string, kind: RecordKind, ids: string[]): string[] {
    if (ids.length > 200) {
      const sent = new Set(this.db.all<{id: string}>('SELECT id FROM records WHERE remote = ? AND kind = ?', remote, kind).map((r) => r.id))
      return ids.filter((id) => !sent.has(id))
    }
    return ids.filter((id) => !this.has(remote, kind, id))
  }

  has(remote: string, kind: RecordKind, id: string): boolean {
    return this.db.get('SELECT 1 AS x FROM records WHERE remote = ? AND kind = ? AND id = ?', remote, kind, id) !== undefined
  }

  /**
   * Where the last whole push left off: every version up to `versionId` and every run or workflow that ended before
   * `ended` had been sent (so a no-op push reads only what is newer, not the whole store).
   */
  watermark(remote: string): {versionId: number; ended: number} {
    const r = this.db.get<{value: string}>('SELECT value FROM meta WHERE key = ?', `watermark ${remote}`)
    return r ? (JSON.parse(r.value) as {versionId: number; ended: number}) : {versionId: 0, ended: 0}
  }

  setWatermark(remote: string, w: {versionId: number; ended: number}): void {
    this.db.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', `watermark ${remote}`, JSON.stringify(w))
  }

  markRecords(remote: string, kind: RecordKind, ids: Iterable<string>): void {
    const stmt = this.db.prepare('INSERT OR IGNORE INTO records (remote, kind, id) VALUES (?, ?, ?)')
    for (const id of ids) stmt.run(remote, kind, id)
  }

  objects(remote: string): Set<string> {
    return new Set(this.db.all<{sha256: string}>('SELECT sha256 FROM objects WHERE remote = ?', remote).map((r) => r.sha256))
  }

  markObjects(remote: string, shas: Iterable<string>): void {
    const stmt = this.db.prepare('INSERT OR IGNORE INTO objects (remote, sha256) VALUES (?, ?)')
    for (const sha of shas) stmt.run(remote, sha)
  }

  tags(remote: string): Map<string, SyncedTag> {
    const out = new Map<string, SyncedTag>()
    for (const r of this.db.all<{key: string; tag: string; vid: string | null; ts: number; origin: string}>('SELECT key, tag, vid, ts, origin FROM tags WHERE remote = ?', remote)) {
      out.set(`${r.key}\0${r.tag}`, {key: r.key, tag: r.tag, vid: r.vid, ts: Number(r.ts), origin: r.origin})
    }
    return out
  }

  setTag(remote: string, t: SyncedTag): void {
    this.db.run('INSERT OR REPLACE INTO tags (remote, key, tag, vid, ts, origin) VALUES (?, ?, ?, ?, ?, ?)', remote, t.key, t.tag, t.vid, t.ts, t.origin)
  }

  conditional(remote: string): boolean | undefined {
    const r = this.db.get<{conditional: number}>('SELECT conditional FROM caps WHERE remote = ?', remote)
    return r ? Boolean(r.conditional) : undefined
  }

  setConditional(remote: string, honoured: boolean): void {
    this.db.run('INSERT OR REPLACE INTO caps (remote, conditional) VALUES (?, ?)', remote, honoured ? 1 : 0)
  }

  close(): void {
    this.db.close()
  }
}
