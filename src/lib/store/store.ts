// The project store: .lode/lode.db (metadata) + .lode/objects (bytes) + .lode/runs/<uid>/ (one folder per run).
import {mkdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {ArtifactRecords} from './artifacts.ts'
import {Db} from './db.ts'
import {ObjectStore, dirEntry, manifestJson, walkFiles} from './objects.ts'
import {RunRecords} from './runs.ts'
import {hashBytes, hashFile} from '../util/hash.ts'
import type {DirEntry} from '../types.ts'

export class Store {
  readonly dir: string
  readonly project: string
  readonly db: Db
  readonly objects: ObjectStore
  readonly runs: RunRecords
  readonly artifacts: ArtifactRecords

  private constructor(dir: string, project: string, db: Db) {
    this.dir = dir
    this.project = project
    this.db = db
    this.objects = new ObjectStore(dir)
    this.runs = new RunRecords(db)
    this.artifacts = new ArtifactRecords(db, project)
  }

  /** Open (creating the folders and schema when needed) the store in `dir` (a project's .lode/). */
  static open(dir: string, project: string): Store {
    mkdirSync(join(dir, 'objects', 'sha256'), {recursive: true})
    mkdirSync(join(dir, 'runs'), {recursive: true})
    mkdirSync(join(dir, 'tmp'), {recursive: true})
    const db = new Db(join(dir, 'lode.db'))
    db.migrate()
    return new Store(dir, project, db)
  }

  runDir(uid: string): string {
    return join(this.dir, 'runs', uid)
  }

  /**
   * sha256 of a user's file, remembered by path, size, modification time and inode, so that unchanged large
   * inputs are not reread on every run.
   */
  async hashInputFile(path: string): Promise<{sha256: string; size: number}> {
    const st = statSync(path, {bigint: true})
    const size = Number(st.size)
    const mtime = String(st.mtimeNs)
    const ino = String(st.ino)
    const hit = this.db.get<{sha256: string}>('SELECT sha256 FROM file_hashes WHERE path = ? AND size = ? AND mtime_ns = ? AND ino = ?', path, size, mtime, ino)
    if (hit) return {sha256: hit.sha256, size}
    const result = await hashFile(path)
    // A file modified while hashed must not be remembered with a stale hash.
    const after = statSync(path, {bigint: true})
    if (String(after.mtimeNs) === mtime && Number(after.size) === result.size) {
      this.db.run('INSERT OR REPLACE INTO file_hashes (path, size, mtime_ns, ino, sha256) VALUES (?, ?, ?, ?, ?)', path, size, mtime, ino, result.sha256)
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
