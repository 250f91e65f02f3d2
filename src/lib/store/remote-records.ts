// Records in and out of the store for remotes: what a push sends, and merging what a pull brings, keeping uids and
// hashes. A version's identity across stores is its vid (hash of key, producer, iteration, bytes and time): local ids
// and version numbers are each store's own.
import {validateKey} from '../artifacts/keys.ts'
import type {JsonRow, Pack, PackRun, PackVersion, PackWorkflow} from '../remote/pack.ts'
import type {RunInput} from '../types.ts'
import {hashBytes} from '../util/hash.ts'
import type {Db, Row} from './db.ts'
import type {Store} from './store.ts'

/** Columns that describe this machine's processes, not the record: never sent. */
const LOCAL_RUN_COLUMNS = new Set(['pid', 'handler_pid'])

export function versionId(v: {key: string; producer: string | null; iter: number; sha256: string; created: number}): string {
  return hashBytes(`${v.key}\0${v.producer ?? ''}\0${v.iter}\0${v.sha256}\0${v.created}`).slice(0, 32)
}

export interface LocalVersion {
  id: number
  vid: string
  key: string
  producer: string | null
  /** the producer's state here (null: no such run here) */
  runState: string | null
}

export class RemoteRecords {
  private readonly db: Db

  constructor(store: Pick<Store, 'db'>) {
    this.db = store.db
  }

  /** Runs that have ended (a running run is sent once it ends), those that ended at `since` or later. */
  endedRuns(since = 0): string[] {
    return this.db.all<{uid: string}>("SELECT uid FROM runs WHERE state NOT IN ('created', 'running') AND (ended IS NULL OR ended >= ?)", since).map((r) => r.uid)
  }

  endedWorkflows(since = 0): string[] {
    return this.db.all<{id: string}>("SELECT id FROM workflows WHERE state NOT IN ('created', 'running') AND (ended IS NULL OR ended >= ?)", since).map((r) => r.id)
  }

  /** The versions (with their vids) whose local id is above `afterId`. */
  versions(afterId = 0): LocalVersion[] {
    return this.db.all<{id: number; key: string; producer: string | null; iter: number; sha256: string; created: number; state: string | null}>(
      'SELECT a.id, a.key, a.producer, a.iter, a.sha256, a.created, r.state FROM artifacts a LEFT JOIN runs r ON r.uid = a.producer WHERE a.id > ?', afterId,
    ).map((r) => ({id: Number(r.id), vid: versionId({...r, iter: Number(r.iter), created: Number(r.created)}), key: r.key, producer: r.producer, runState: r.state}))
  }

  maxVersionId(): number {
    return Number(this.db.get<{n: number | null}>('SELECT MAX(id) AS n FROM artifacts')?.n ?? 0)
  }

  /** The user's tags (not `latest`): key, tag, and the vid and sha256 of the version each names. */
  userTags(): {key: string; tag: string; vid: string; sha256: string}[] {
    return this.db.all<{key: string; tag: string; producer: string | null; iter: number; sha256: string; created: number}>(
      "SELECT t.key, t.tag, a.producer, a.iter, a.sha256, a.created FROM tags t JOIN artifacts a ON a.id = t.artifact_id WHERE t.tag != 'latest'",
    ).map((r) => ({key: r.key, tag: r.tag, sha256: r.sha256, vid: versionId({key: r.key, producer: r.producer, iter: Number(r.iter), sha256: r.sha256, created: Number(r.created)})}))
  }

  exportVersions(ids: number[]): PackVersion[] {
    const out: PackVersion[] = []
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500)
      const marks = chunk.map(() => '?').join(',')
      const objects = new Map<number, string[]>()
      for (const o of this.db.all<{artifact_id: number; sha256: string}>(`SELECT artifact_id, sha256 FROM artifact_objects WHERE artifact_id IN (${marks})`, ...chunk)) {
        const list = objects.get(Number(o.artifact_id)) ?? []
        list.push(o.sha256)
        objects.set(Number(o.artifact_id), list)
      }
      for (const r of this.db.all(`SELECT id, key, kind, iter, sha256, size, format, producer, created, labels, meta FROM artifacts WHERE id IN (${marks})`, ...chunk)) {
        const v = {key: String(r.key), producer: (r.producer as string | null) ?? null, iter: Number(r.iter), sha256: String(r.sha256), created: Number(r.created)}
        out.push({...v, vid: versionId(v), kind: String(r.kind), size: Number(r.size), format: String(r.format), labels: String(r.labels),
          meta: r.meta === null ? null : String(r.meta), objects: objects.get(Number(r.id)) ?? [v.sha256]})
      }
    }
    return out.sort((a, b) => a.created - b.created)
  }

  exportRuns(uids: string[]): PackRun[] {
    const out: PackRun[] = []
    for (let i = 0; i < uids.length; i += 500) {
      const chunk = uids.slice(i, i + 500)
      const marks = chunk.map(() => '?').join(',')
      const inputs = new Map<string, PackRun['inputs']>()
      const rows = this.db.all<{run_uid: string; key: string; sha256: string; url: string; a_key: string | null; producer: string | null; iter: number | null; a_sha: string | null; created: number | null}>(
        `SELECT ri.run_uid, ri.key, ri.sha256, ri.url, a.key AS a_key, a.producer, a.iter, a.sha256 AS a_sha, a.created
         FROM run_inputs ri LEFT JOIN artifacts a ON a.id = ri.artifact_id WHERE ri.run_uid IN (${marks})`, ...chunk)
      for (const r of rows) {
        const vid = r.a_key === null ? null : versionId({key: r.a_key, producer: r.producer, iter: Number(r.iter), sha256: r.a_sha!, created: Number(r.created)})
        const list = inputs.get(r.run_uid) ?? []
        list.push({key: r.key, vid, sha256: r.sha256, url: r.url})
        inputs.set(r.run_uid, list)
      }
      for (const r of this.db.all(`SELECT * FROM runs WHERE uid IN (${marks})`, ...chunk)) {
        const row: JsonRow = {}
        for (const [k, v] of Object.entries(r)) if (!LOCAL_RUN_COLUMNS.has(k)) row[k] = jsonCell(v)
        const list = inputs.get(String(r.uid)) ?? []
        // the inputs column names versions by this store's ids: the reader maps them to its own by vid
        row.inputs = JSON.stringify(Object.fromEntries(Object.entries(parseJson<Record<string, RunInput>>(r.inputs, {})).map(([k, input]) => {
          const {artifact, ...rest} = input
          const vid = list.find((x) => x.key === k)?.vid ?? null
          return [k, artifact ? {...rest, artifact: {key: artifact.key, kind: artifact.kind, uri: artifact.uri, vid}} : rest]
        })))
        out.push({row, inputs: list})
      }
    }
    return out
  }

  exportWorkflows(ids: string[]): PackWorkflow[] {
    return ids.map((id) => {
      const row: JsonRow = {}
      for (const [k, v] of Object.entries(this.db.get('SELECT * FROM workflows WHERE id = ?', id) ?? {})) if (k !== 'pid') row[k] = jsonCell(v)
      const steps = this.db.all('SELECT * FROM workflow_steps WHERE workflow_id = ? ORDER BY seq', id).map((s) => {
        const step: JsonRow = {}
        for (const [k, v] of Object.entries(s)) if (k !== 'seq') step[k] = jsonCell(v)
        return step
      })
      return {row, steps}
    }).filter((w) => w.row.id !== undefined)
  }

  /**
   * Merge a pack into the store (inside the caller's transaction): records already here are left as they are. New
   * versions get this store's next version numbers, in the order they were made. Returns what was added.
   */
  merge(pack: Pack): {runs: string[]; versions: string[]; workflows: string[]; keys: Set<string>} {
    const added = {runs: [] as string[], versions: [] as string[], workflows: [] as string[], keys: new Set<string>()}
    const ids = new Map<string, number>()
    for (const v of [...pack.versions].sort((a, b) => a.created - b.created)) {
      validateKey(v.key)
      const vid = versionId(v)
      const have = this.db.get<{id: number}>('SELECT id FROM artifacts WHERE key = ? AND producer IS ? AND iter = ? AND sha256 = ? AND created = ?', v.key, v.producer, v.iter, v.sha256, v.created)
      if (have) {
        ids.set(vid, Number(have.id))
        continue
      }
      const next = this.db.get<{n: number}>('INSERT INTO key_versions (key, last) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET last = last + 1 RETURNING last AS n', v.key)!.n
      const {lastInsertRowid: id} = this.db.run(
        'INSERT INTO artifacts (key, kind, version, iter, sha256, size, format, producer, created, labels, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        v.key, v.kind, Number(next), v.iter, v.sha256, v.size, v.format, v.producer, v.created, v.labels, v.meta,
      )
      for (const sha of new Set(v.objects)) this.db.run('INSERT OR IGNORE INTO artifact_objects (artifact_id, sha256) VALUES (?, ?)', id, sha)
      ids.set(vid, id)
      added.versions.push(vid)
      added.keys.add(v.key)
    }
    const columns = new Set(this.db.all<{name: string}>("SELECT name FROM pragma_table_info('runs')").map((c) => c.name))
    for (const r of pack.runs) {
      const row: JsonRow = {...r.row, inputs: this.localInputs(r.row.inputs, r.inputs, ids)}
      if (!this.insertRow('runs', columns, row)) continue
      const uid = String(row.uid)
      added.runs.push(uid)
      for (const [k, v] of Object.entries(parseJson<Record<string, string>>(row.labels, {}))) {
        this.db.run('INSERT OR IGNORE INTO run_labels (uid, key, value, created) VALUES (?, ?, ?, ?)', uid, k, String(v), Number(row.created))
      }
      for (const input of r.inputs) {
        const id = input.vid ? this.localVersion(input.vid, input.sha256, ids) : null
        this.db.run('INSERT OR IGNORE INTO run_inputs (run_uid, key, artifact_id, sha256, url) VALUES (?, ?, ?, ?, ?)', uid, input.key, id, input.sha256, input.url)
      }
    }
    const wfColumns = new Set(this.db.all<{name: string}>("SELECT name FROM pragma_table_info('workflows')").map((c) => c.name))
    const stepColumns = new Set(this.db.all<{name: string}>("SELECT name FROM pragma_table_info('workflow_steps')").map((c) => c.name))
    stepColumns.delete('seq')
    for (const w of pack.workflows) {
      if (!this.insertRow('workflows', wfColumns, w.row)) continue
      added.workflows.push(String(w.row.id))
      for (const s of w.steps) this.insertRow('workflow_steps', stepColumns, s)
    }
    for (const key of added.keys) this.settleLatest(key)
    return added
  }

  /**
   * `latest` of a key after a merge: the newest version by creation time (then producer, then id) among those of a
   * completed run or of a run not here. Every clone that holds the same versions picks the same one.
   */
  private settleLatest(key: string): void {
    const newest = this.db.get<{id: number}>(
      `SELECT a.id FROM artifacts a LEFT JOIN runs r ON r.uid = a.producer
       WHERE a.key = ? AND (r.uid IS NULL OR r.state = 'completed') ORDER BY a.created DESC, a.producer DESC, a.sha256 DESC LIMIT 1`, key)
    if (newest) this.db.run('INSERT OR REPLACE INTO tags (key, tag, artifact_id) VALUES (?, ?, ?)', key, 'latest', newest.id)
  }

  /** Point a tag at the version `vid` (whose bytes hash to `sha256`), or remove it (vid null). False when the version is not here. */
  applyTag(key: string, tag: string, vid: string | null, sha256: string | null): boolean {
    if (vid === null) {
      this.db.run('DELETE FROM tags WHERE key = ? AND tag = ?', key, tag)
      return true
    }
    const id = this.localVersion(vid, sha256 ?? '', new Map())
    if (id === null) return false
    this.db.run('INSERT OR REPLACE INTO tags (key, tag, artifact_id) VALUES (?, ?, ?)', key, tag, id)
    return true
  }

  /** The vid of the version a tag names here, or null. */
  tagTarget(key: string, tag: string): string | null {
    const r = this.db.get<{producer: string | null; iter: number; sha256: string; created: number}>(
      'SELECT a.producer, a.iter, a.sha256, a.created FROM tags t JOIN artifacts a ON a.id = t.artifact_id WHERE t.key = ? AND t.tag = ?', key, tag)
    return r ? versionId({key, producer: r.producer, iter: Number(r.iter), sha256: r.sha256, created: Number(r.created)}) : null
  }

  private localVersion(vid: string, sha256: string, known: Map<string, number>): number | null {
    const hit = known.get(vid)
    if (hit !== undefined) return hit
    for (const r of this.db.all<{id: number; key: string; producer: string | null; iter: number; created: number}>('SELECT id, key, producer, iter, created FROM artifacts WHERE sha256 = ?', sha256)) {
      if (versionId({key: r.key, producer: r.producer, iter: Number(r.iter), sha256, created: Number(r.created)}) === vid) return Number(r.id)
    }
    return null
  }

  /** A pushed run's inputs column with each version's vid turned back into this store's id. */
  private localInputs(text: unknown, inputs: PackRun['inputs'], ids: Map<string, number>): string {
    const parsed = parseJson<Record<string, RunInput & {artifact?: {vid?: string | null; id?: number}}>>(text, {})
    for (const [k, input] of Object.entries(parsed)) {
      if (!input.artifact) continue
      const ref = inputs.find((x) => x.key === k)
      const id = input.artifact.vid && ref ? this.localVersion(input.artifact.vid, ref.sha256, ids) : null
      const {vid: _vid, ...rest} = input.artifact
      input.artifact = {...rest, id: id ?? -1} as RunInput['artifact'] & {vid?: string}
    }
    return JSON.stringify(parsed)
  }

  /** INSERT OR IGNORE of the row's columns this store has; true when it was new. */
  private insertRow(table: string, columns: Set<string>, row: JsonRow): boolean {
    const names = Object.keys(row).filter((k) => columns.has(k))
    // rows of one pack share their columns: the statement text is made once per set of names
    const id = `${table}\0${names.join(',')}`
    let sql = this.inserts.get(id)
    if (!sql) {
      sql = `INSERT OR IGNORE INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`
      this.inserts.set(id, sql)
    }
    const values = new Array<string | number | null>(names.length)
    for (let i = 0; i < names.length; i++) values[i] = row[names[i]!] ?? null
    return this.db.run(sql, ...values).changes > 0
  }

  private readonly inserts = new Map<string, string>()
}

function jsonCell(v: Row[string]): string | number | null {
  if (v === null || typeof v === 'string' || typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  return Buffer.from(v).toString('base64')
}

function parseJson<T>(v: unknown, fallback: T): T {
  if (typeof v !== 'string' || v === '') return fallback
  try {
    return JSON.parse(v) as T
  } catch {
    return fallback
  }
}
