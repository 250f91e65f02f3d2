// Artifact versions, tags and the objects each version references.
import {NotFoundError, UserError} from '../errors.ts'
import {checkUserTag, validateKey, validateTag} from '../artifacts/keys.ts'
import type {ArtifactKind, ArtifactMeta, ArtifactVersion} from '../types.ts'
import {excerpt, quoteName} from '../util/excerpt.ts'
import {versionUri} from '../uri/refs.ts'
import type {Db, Row} from './db.ts'

export {validateKey, validateTag}

export interface NewVersion {
  key: string
  kind: ArtifactKind
  iter: number
  sha256: string
  size: number
  format: string
  producer: string | null
  labels: Record<string, string>
  meta: ArtifactMeta | null
  /** every object the version needs: the blob, or a manifest and its files */
  objects: string[]
  /** copies of objects that were already stored, kept until the commit (see ObjectStore.restoreMissing) */
  spares?: Record<string, string>
  /** tags the handler asked for (log_artifact(tag=...)), applied with `latest` */
  tags?: string[]
}

/** A run or a workflow that may still read a version (ArtifactRecords.holders). */
export interface VersionHolder {
  id: number
  run?: {uid: string; name: string; pid: number | null; host: string}
  workflow?: {id: string; name: string}
}

export interface ArtifactQuery {
  /** glob over keys: * and ? ; '/'-separated groups */
  glob?: string
  kind?: ArtifactKind
  tag?: string
  labels?: Record<string, string>
  producer?: string
  sinceMs?: number
  allVersions?: boolean
  limit?: number
}

export interface ArtifactRef {
  key: string
  tag?: string
  iter?: number
  /** a run uid or prefix */
  producer?: string
}

const COLUMNS = 'id, key, kind, version, iter, sha256, size, format, producer, created, labels'
const A_COLUMNS = COLUMNS.split(', ').map((c) => `a.${c}`).join(', ')

export class ArtifactRecords {
  private readonly db: Db
  private readonly project: string

  constructor(db: Db, project: string) {
    this.db = db
    this.project = project
  }

  /** Insert a version and move `latest` to it (unless told not to: a failed run's). Call inside a write transaction. */
  insert(v: NewVersion, created = Date.now(), opts: {moveLatest?: boolean} = {}): number {
    validateKey(v.key)
    // numbers are never reused: `KEY:v3` names one version for good, even after it is removed
    const next = this.db.get<{n: number}>(
      'INSERT INTO key_versions (key, last) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET last = last + 1 RETURNING last AS n', v.key,
    )!.n
    const {lastInsertRowid: id} = this.db.run(
      `INSERT INTO artifacts (key, kind, version, iter, sha256, size, format, producer, created, labels, meta)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      v.key, v.kind, Number(next), v.iter, v.sha256, v.size, v.format, v.producer, created, JSON.stringify(v.labels),
      v.meta ? JSON.stringify(v.meta) : null,
    )
    if (opts.moveLatest !== false) {
      for (const tag of ['latest', ...(v.tags ?? [])]) this.db.run('INSERT OR REPLACE INTO tags (key, tag, artifact_id) VALUES (?, ?, ?)', v.key, tag, id)
    }
    for (const sha of new Set(v.objects)) this.db.run('INSERT OR IGNORE INTO artifact_objects (artifact_id, sha256) VALUES (?, ?)', id, sha)
    return id
  }

  /** Insert many versions (a run's) and read them back, in their order, with a few queries rather than two each. */
  insertMany(vs: NewVersion[], created = Date.now(), opts: {moveLatest?: boolean} = {}): ArtifactVersion[] {
    const ids = vs.map((v) => this.insert(v, created, opts))
    const byId = new Map<number, ArtifactVersion>()
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500)
      const rows = this.db.all(`SELECT ${COLUMNS} FROM artifacts WHERE id IN (${chunk.map(() => '?').join(',')})`, ...chunk)
      for (const r of rows) byId.set(Number(r.id), this.toVersion(r))
    }
    return this.withTags(ids.map((id) => byId.get(id)!))
  }

  get(id: number, opts: {meta?: boolean} = {}): ArtifactVersion | undefined {
    const r = this.db.get(`SELECT ${COLUMNS}${opts.meta ? ', meta' : ''} FROM artifacts WHERE id = ?`, id)
    if (!r) return undefined
    return this.withTags([this.toVersion(r)])[0]
  }

  resolve(ref: ArtifactRef, opts: {meta?: boolean} = {}): ArtifactVersion {
    validateKey(ref.key)
    let row: Row | undefined
    const meta = opts.meta ? ', a.meta' : ''
    const cols = A_COLUMNS
    if (ref.producer) {
      const prefix = ref.producer.toLowerCase()
      const rows = this.db.all(
        `SELECT ${cols}${meta} FROM artifacts a WHERE a.key = ? AND a.producer >= ? AND a.producer < ? ${ref.iter === undefined ? '' : 'AND a.iter = ?'}
         ORDER BY a.id DESC`,
        ...([ref.key, prefix, prefix + 'g', ...(ref.iter === undefined ? [] : [ref.iter])] as (string | number)[]),
      )
      // KEY#3@PARENT: iteration 3 of that sweep; KEY@PARENT: its best iteration's version (as the parent's outputs)
      if (!rows.length && ref.iter !== undefined) rows.push(...this.db.all(
        `SELECT ${cols}${meta} FROM artifacts a JOIN runs c ON c.uid = a.producer
         WHERE a.key = ? AND a.iter = ? AND c.parent_uid >= ? AND c.parent_uid < ? ORDER BY a.id DESC`, ref.key, ref.iter, prefix, prefix + 'g'))
      if (!rows.length && ref.iter === undefined) {
        const best = this.db.all<{uid: string}>(`SELECT json_extract(summary, '$.best.uid') AS uid FROM run_hyper WHERE uid >= ? AND uid < ? LIMIT 2`, prefix, prefix + 'g')
        if (best.length === 1 && best[0]!.uid) rows.push(...this.db.all(`SELECT ${cols}${meta} FROM artifacts a WHERE a.key = ? AND a.producer = ? ORDER BY a.id DESC LIMIT 1`, ref.key, best[0]!.uid))
      }
      const producers = new Set(rows.map((r) => r.producer))
      if (producers.size > 1) throw new UserError(`Run prefix "${ref.producer}" matches several runs that logged ${ref.key}; give more characters.`)
      row = rows[0]
      if (row && ref.tag) {
        const tagged = this.db.get('SELECT 1 AS x FROM tags WHERE key = ? AND tag = ? AND artifact_id = ?', ref.key, ref.tag, Number(row.id))
        if (!tagged) throw new NotFoundError(`${ref.key}@${ref.producer} is not tagged "${ref.tag}".`, `See its tags: lode artifacts ls ${ref.key} --all-versions`)
      }
      if (!row) throw new NotFoundError(`No version of "${ref.key}" was logged by run ${ref.producer}.`, `See versions: lode artifacts ls ${ref.key} --all-versions`)
    } else if (ref.iter !== undefined) {
      // KEY#3[:TAG]: iteration 3 of the sweep whose version the tag (latest) names; otherwise the newest logged as #3
      const tag = ref.tag ?? 'latest'
      const version = /^v(\d+)$/.exec(tag)
      const anchor = version
        ? this.db.get<{id: number; iter: number; producer: string | null}>('SELECT id, iter, producer FROM artifacts WHERE key = ? AND version = ?', ref.key, Number(version[1]))
        : this.db.get<{id: number; iter: number; producer: string | null}>('SELECT a.id, a.iter, a.producer FROM tags t JOIN artifacts a ON a.id = t.artifact_id WHERE t.key = ? AND t.tag = ?', ref.key, tag)
      // #0 is the best iteration, as in MLRun: the version the tag names when a sweep made it
      const best = ref.iter === 0 && anchor?.producer ? this.db.get('SELECT 1 AS x FROM runs WHERE uid = ? AND parent_uid IS NOT NULL', anchor.producer) : undefined
      if (anchor && (Number(anchor.iter) === ref.iter || best)) row = this.db.get(`SELECT ${cols}${meta} FROM artifacts a WHERE a.id = ?`, anchor.id)
      else if (anchor?.producer) {
        row = this.db.get(
          `SELECT ${cols}${meta} FROM artifacts a JOIN runs c ON c.uid = a.producer
           WHERE a.key = ? AND a.iter = ? AND c.parent_uid = (SELECT parent_uid FROM runs WHERE uid = ?) ORDER BY a.id DESC LIMIT 1`, ref.key, ref.iter, anchor.producer)
      }
      if (!row && !ref.tag) row = this.db.get(`SELECT ${cols}${meta} FROM artifacts a WHERE a.key = ? AND a.iter = ? ORDER BY a.id DESC LIMIT 1`, ref.key, ref.iter)
    } else {
      const tag = ref.tag ?? 'latest'
      const version = /^v(\d+)$/.exec(tag)
      row = version
        ? this.db.get(`SELECT ${cols}${meta} FROM artifacts a WHERE a.key = ? AND a.version = ?`, ref.key, Number(version[1]))
        : this.db.get(`SELECT ${cols}${meta} FROM tags t JOIN artifacts a ON a.id = t.artifact_id WHERE t.key = ? AND t.tag = ?`, ref.key, tag)
      if (!row) {
        const exists = this.db.get('SELECT 1 AS x FROM artifacts WHERE key = ? LIMIT 1', ref.key)
        if (!exists) throw new NotFoundError(`No artifact with key "${ref.key}".`, 'List artifacts with: lode artifacts ls')
        throw new NotFoundError(version ? `Artifact "${ref.key}" has no version ${excerpt(version[1]!, 40)}.` : `Artifact "${ref.key}" has no version tagged ${quoteName(tag, 40)}.`, `See its versions and tags: lode artifacts ls ${ref.key} --all-versions`)
      }
    }
    if (!row) throw new NotFoundError(`No artifact "${ref.key}" with iteration ${ref.iter}${ref.tag ? ` in the sweep of the version tagged "${ref.tag}"` : ''}.`, `See its versions: lode artifacts ls ${ref.key} --all-versions`)
    return this.withTags([this.toVersion(row)])[0]!
  }

  list(q: ArtifactQuery = {}): ArtifactVersion[] {
    const where: string[] = []
    const params: (string | number)[] = []
    let from = 'artifacts a'
    if (!q.allVersions && !q.tag) {
      from = `tags lt JOIN artifacts a ON a.id = lt.artifact_id`
      where.push(`lt.tag = 'latest'`)
    }
    const versionTag = q.tag ? /^v(\d+)$/.exec(q.tag) : null
    if (versionTag) {
      where.push('a.version = ?')
      params.push(Number(versionTag[1]))
    } else if (q.tag) {
      from = `tags lt JOIN artifacts a ON a.id = lt.artifact_id`
      where.push('lt.tag = ?')
      params.push(q.tag)
    }
    if (q.glob) {
      where.push('a.key GLOB ?')
      params.push(q.glob)
    }
    if (q.kind) {
      where.push('a.kind = ?')
      params.push(q.kind)
    }
    if (q.producer) {
      const prefix = q.producer.toLowerCase()
      where.push('a.producer >= ? AND a.producer < ?')
      params.push(prefix, prefix + 'g')
    }
    if (q.sinceMs !== undefined) {
      where.push('a.created >= ?')
      params.push(q.sinceMs)
    }
    for (const [k, v] of Object.entries(q.labels ?? {})) {
      where.push(`json_extract(a.labels, ?) = ?`)
      params.push(`$."${k.replaceAll('"', '')}"`, v)
    }
    const cols = A_COLUMNS
    // through tags, order by the tag's own column (the same id): the tag index is then read newest first, no sort
    const order = from === 'artifacts a' ? 'a.id' : 'lt.artifact_id'
    const sql = `SELECT ${cols} FROM ${from} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} DESC LIMIT ?`
    return this.withTags(this.db.all(sql, ...params, q.limit ?? 100).map((r) => this.toVersion(r)))
  }

  versionsOf(key: string): ArtifactVersion[] {
    return this.withTags(this.db.all(`SELECT ${COLUMNS} FROM artifacts WHERE key = ? ORDER BY id DESC`, key).map((r) => this.toVersion(r)))
  }

  /** Point `latest` of every key a run logged at that run's newest version of it (a sweep's best iteration). Inside a write transaction. */
  moveLatestTo(producer: string): void {
    this.db.run(
      `INSERT OR REPLACE INTO tags (key, tag, artifact_id) SELECT key, 'latest', MAX(id) FROM artifacts WHERE producer = ? GROUP BY key`, producer,
    )
  }

  /** Add or move a tag. `latest` is lode's own. */
  setTag(v: ArtifactVersion, tag: string): void {
    checkUserTag(tag)
    this.db.tx(() => this.db.run('INSERT OR REPLACE INTO tags (key, tag, artifact_id) VALUES (?, ?, ?)', v.key, tag, v.id))
  }

  removeTag(key: string, tag: string): boolean {
    checkUserTag(tag)
    return this.db.tx(() => this.db.run('DELETE FROM tags WHERE key = ? AND tag = ?', key, tag).changes > 0)
  }

  /**
   * Delete versions (inside the caller's transaction); `latest` falls back to the newest remaining version that a
   * completed run made (or no run), as it never moves to a failed or aborted run's version.
   */
  deleteVersions(ids: number[]): void {
    const keys = new Set<string>()
    for (const id of ids) {
      const r = this.db.get<{key: string}>('SELECT key FROM artifacts WHERE id = ?', id)
      if (!r) continue
      keys.add(r.key)
      this.db.run('DELETE FROM artifacts WHERE id = ?', id)
    }
    for (const key of keys) {
      const newest = this.db.get<{id: number}>(
        `SELECT a.id FROM artifacts a LEFT JOIN runs r ON r.uid = a.producer
         WHERE a.key = ? AND (r.uid IS NULL OR r.state = 'completed') ORDER BY a.id DESC LIMIT 1`, key)
      if (newest) this.db.run('INSERT OR REPLACE INTO tags (key, tag, artifact_id) VALUES (?, ?, ?)', key, 'latest', newest.id)
      else this.db.run("DELETE FROM tags WHERE key = ? AND tag = 'latest'", key)
    }
  }

  referencedObjects(): Set<string> {
    return new Set(this.db.all<{sha256: string}>('SELECT DISTINCT sha256 FROM artifact_objects').map((r) => r.sha256))
  }

  /** Every (version, object) pair: which versions reference which objects. */
  objectRefs(): {artifactId: number; sha256: string}[] {
    return this.db.all<{artifact_id: number; sha256: string}>('SELECT artifact_id, sha256 FROM artifact_objects').map((r) => ({artifactId: Number(r.artifact_id), sha256: r.sha256}))
  }

  /** The newest version whose bytes have this sha256 (tags not read). */
  newestWithSha256(sha256: string): ArtifactVersion | undefined {
    const known = this.db.get<{id: number}>('SELECT id FROM artifacts WHERE sha256 = ? ORDER BY id DESC LIMIT 1', sha256)
    return known ? this.get(known.id) : undefined
  }

  /** The newest version of `key` that run `producer` logged: just what it takes to check its bytes are there. */
  newestLoggedBy(producer: string, key: string): {id: number; sha256: string; size: number; kind: ArtifactKind} | undefined {
    const r = this.db.get<{id: number; sha256: string; size: number; kind: string}>(
      'SELECT a.id, a.sha256, a.size, a.kind FROM artifacts a WHERE a.producer = ? AND a.key = ? ORDER BY a.id DESC LIMIT 1', producer, key,
    )
    return r ? {id: Number(r.id), sha256: String(r.sha256), size: Number(r.size), kind: r.kind as ArtifactKind} : undefined
  }

  /** Ids of the versions that carry a tag of the user's (any tag but `latest`). */
  userTaggedIds(): Set<number> {
    return new Set(this.db.all<{artifact_id: number}>("SELECT DISTINCT artifact_id FROM tags WHERE tag != 'latest'").map((r) => Number(r.artifact_id)))
  }

  objectsOf(id: number): string[] {
    return this.db.all<{sha256: string}>('SELECT sha256 FROM artifact_objects WHERE artifact_id = ?', id).map((r) => r.sha256)
  }

  /**
   * Who may still read which versions: runs not ended that took them as inputs, and resumable workflows (running, or
   * failed or aborted and the newest of their name) whose settled steps produced them, as a resume reuses those.
   */
  holders(): VersionHolder[] {
    const out: VersionHolder[] = this.db.all<{id: number; uid: string; name: string; pid: number | null; host: string}>(
      `SELECT ri.artifact_id AS id, r.uid, r.name, r.pid, r.host FROM run_inputs ri JOIN runs r ON r.uid = ri.run_uid
       WHERE r.state IN ('created', 'queued', 'running') AND ri.artifact_id IS NOT NULL`,
    ).map((r) => ({id: Number(r.id), run: {uid: r.uid, name: r.name, pid: r.pid === null ? null : Number(r.pid), host: r.host}}))
    const held = this.db.all<{id: number; workflow: string; name: string}>(
      `SELECT a.id, w.id AS workflow, w.name FROM workflows w
       JOIN workflow_steps s ON s.workflow_id = w.id AND s.state IN ('done', 'cached') AND s.run IS NOT NULL
       JOIN artifacts a ON a.producer = s.run
       WHERE w.state = 'running'
       OR (w.state IN ('error', 'aborted') AND w.created = (SELECT MAX(created) FROM workflows x WHERE x.name = w.name))`,
    )
    for (const r of held) out.push({id: Number(r.id), workflow: {id: r.workflow, name: r.name}})
    return out
  }

  allIds(): {id: number; key: string; version: number}[] {
    return this.db.all('SELECT id, key, version FROM artifacts ORDER BY key, id DESC') as {id: number; key: string; version: number}[]
  }

  private toVersion(r: Row): ArtifactVersion {
    const v: ArtifactVersion = {
      id: Number(r.id),
      key: String(r.key),
      kind: r.kind as ArtifactKind,
      version: Number(r.version),
      iter: Number(r.iter),
      sha256: String(r.sha256),
      size: Number(r.size),
      format: String(r.format),
      producer: (r.producer as string | null) ?? null,
      created: Number(r.created),
      labels: JSON.parse(String(r.labels)) as Record<string, string>,
      tags: [],
      uri: '',
    }
    v.uri = versionUri(this.project, v)
    if (r.meta !== undefined) v.meta = r.meta ? (JSON.parse(String(r.meta)) as ArtifactMeta) : {}
    return v
  }

  private withTags(versions: ArtifactVersion[]): ArtifactVersion[] {
    if (versions.length === 0) return versions
    const byId = new Map(versions.map((v) => [v.id, v]))
    const ids = [...byId.keys()]
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500)
      const rows = this.db.all<{artifact_id: number; tag: string}>(
        `SELECT artifact_id, tag FROM tags WHERE artifact_id IN (${chunk.map(() => '?').join(',')}) ORDER BY tag`,
        ...chunk,
      )
      for (const r of rows) byId.get(Number(r.artifact_id))?.tags.push(r.tag)
    }
    return versions
  }
}
