// Run records. Bulky JSON columns are parsed only when a run is read whole.
import {NotFoundError, UserError} from '../errors.ts'
import type {JsonValue, Run, RunError, RunInput, RunJob, RunState} from '../types.ts'
import {parseIdPrefix} from '../uri/refs.ts'
import {quoteName} from '../util/excerpt.ts'
import type {Field} from '../query/fields.ts'
import type {Expr} from '../query/parse.ts'
import type {Db, Row, SqlValue} from './db.ts'
import {fieldSql, orderSql, valueKey, valueRanges, whereSql, type ValueRange} from './run-filter.ts'

export interface RunQuery {
  state?: RunState
  name?: string
  labels?: Record<string, string>
  workflowId?: string
  /** only runs made by this run (its iterations or steps), in iteration order unless sorted */
  parent?: string
  /** created before this time (ms) */
  createdBefore?: number
  /** a parsed --where expression (src/lib/query) */
  where?: Expr
  /** order by this field instead of newest first (runs without it last) */
  sort?: {field: Field; desc: boolean}
  limit?: number
}

const LIST_COLUMNS = `uid, name, project, kind, function, handler, state, labels, params, inputs, declared_outputs, outputs,
  results, error, exit_code, signal, pid, host, code_hash, workflow_id, step, parent_uid, iter, secrets, job, created, started, ended, warnings`

/** How many of a field's values a sorted listing reads before it falls back to a scan (a few ms at most). */
const SORT_WINDOW = 1000
/** Fewer runs than this in a filter's range of values: the listing reads those runs only, and sorts them. */
const RANGE_ROWS = 2000

const R_COLUMNS = LIST_COLUMNS.split(',').map((c) => `r.${c.trim()}`).join(', ')

export function rowToRun(r: Row): Run {
  return {
    uid: String(r.uid),
    name: String(r.name),
    project: String(r.project),
    kind: r.kind as Run['kind'],
    function: String(r.function),
    handler: (r.handler as string | null) ?? null,
    state: r.state as RunState,
    labels: parse(r.labels, {}),
    params: parse(r.params, {}),
    inputs: parse(r.inputs, {}),
    declaredOutputs: parse(r.declared_outputs, []),
    outputs: parse(r.outputs, {}),
    results: parse(r.results, {}),
    error: parse<RunError | null>(r.error, null),
    exitCode: r.exit_code === null || r.exit_code === undefined ? null : Number(r.exit_code),
    signal: (r.signal as string | null) ?? null,
    pid: r.pid === null || r.pid === undefined ? null : Number(r.pid),
    host: String(r.host),
    codeHash: (r.code_hash as string | null) ?? null,
    workflowId: (r.workflow_id as string | null) ?? null,
    step: (r.step as string | null) ?? null,
    parent: (r.parent_uid as string | null) ?? null,
    iter: r.iter === null || r.iter === undefined ? null : Number(r.iter),
    secrets: parse(r.secrets, []),
    job: parse<RunJob | null>(r.job, null),
    created: Number(r.created),
    started: r.started === null || r.started === undefined ? null : Number(r.started),
    ended: r.ended === null || r.ended === undefined ? null : Number(r.ended),
    warnings: parse(r.warnings, []),
  }
}

function parse<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined || v === '') return fallback
  return JSON.parse(String(v)) as T
}

export class RunRecords {
  private readonly db: Db

  constructor(db: Db) {
    this.db = db
  }

  create(run: Omit<Run, 'warnings' | 'parent' | 'iter'> & {memoKey?: string | null; parent?: string | null; iter?: number | null}): void {
    this.db.tx(() => {
      // an input resolved a moment ago may have been removed since (artifacts rm, gc): say so, not a constraint error
      for (const input of Object.values(run.inputs)) {
        if (input.artifact && !this.db.get('SELECT 1 FROM artifacts WHERE id = ?', input.artifact.id)) {
          throw new NotFoundError(`Input "${input.key}": ${input.artifact.uri} was removed while the run was starting.`, 'Run it again: the input then names what is stored now (lode artifacts ls).')
        }
      }
      this.db.run(
        `INSERT INTO runs (uid, name, project, kind, function, handler, state, labels, params, inputs, declared_outputs,
          outputs, results, error, exit_code, signal, pid, host, code_hash, memo_key, workflow_id, step, parent_uid, iter, secrets, job, created, started, ended)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        run.uid, run.name, run.project, run.kind, run.function, run.handler, run.state, JSON.stringify(run.labels),
        JSON.stringify(run.params), JSON.stringify(run.inputs), JSON.stringify(run.declaredOutputs), JSON.stringify(run.outputs),
        JSON.stringify(run.results), run.error ? JSON.stringify(run.error) : null, run.exitCode, run.signal, run.pid, run.host,
        run.codeHash, run.memoKey ?? null, run.workflowId, run.step, run.parent ?? null, run.iter ?? null, JSON.stringify(run.secrets ?? []), run.job ? JSON.stringify(run.job) : null, run.created, run.started, run.ended,
      )
      for (const [k, v] of Object.entries(run.labels)) this.db.run('INSERT INTO run_labels (uid, key, value, created) VALUES (?, ?, ?, ?)', run.uid, k, v, run.created)
      for (const input of Object.values(run.inputs)) this.recordInput(run.uid, input)
    })
  }

  recordInput(uid: string, input: RunInput): void {
    this.db.run(
      'INSERT OR REPLACE INTO run_inputs (run_uid, key, artifact_id, sha256, url) VALUES (?, ?, ?, ?, ?)',
      uid, input.key, input.artifact?.id ?? null, input.sha256, input.url,
    )
  }

  /** Final state, results, outputs and labels, written together (inside the caller's transaction). */
  finish(uid: string, f: {state: RunState; results: Record<string, JsonValue>; outputs: Record<string, JsonValue>; labels: Record<string, string>;
    error: RunError | null; exitCode: number | null; signal: string | null; ended: number; warnings?: string[]}): void {
    const labels = JSON.stringify(f.labels)
    // most runs end with the labels they began with: their rows (keyed by a random uid, so a page apart in a large
    // store) are rewritten only when they changed
    const unchanged = this.db.get<{labels: string}>('SELECT labels FROM runs WHERE uid = ?', uid)?.labels === labels
    this.db.run(
      'UPDATE runs SET state = ?, results = ?, outputs = ?, labels = ?, error = ?, exit_code = ?, signal = ?, ended = ?, warnings = ? WHERE uid = ?',
      f.state, JSON.stringify(f.results), JSON.stringify(f.outputs), labels, f.error ? JSON.stringify(f.error) : null,
      f.exitCode, f.signal, f.ended, JSON.stringify(f.warnings ?? []), uid,
    )
    if (unchanged) return
    this.db.run('DELETE FROM run_labels WHERE uid = ?', uid)
    for (const [k, v] of Object.entries(f.labels)) {
      this.db.run('INSERT INTO run_labels (uid, key, value, created) SELECT uid, ?, ?, created FROM runs WHERE uid = ?', k, v, uid)
    }
  }

  setHandlerPid(uid: string, pid: number): void {
    this.db.tx(() => this.db.run('UPDATE runs SET handler_pid = ? WHERE uid = ?', pid, uid))
  }

  /** A cluster job's id and state as it moves: queued (with the scheduler's reason), then running. */
  setJob(uid: string, job: RunJob, state?: 'queued' | 'running'): void {
    this.db.tx(() => {
      if (state === 'running') this.db.run(`UPDATE runs SET job = ?, state = 'running', started = COALESCE(started, ?) WHERE uid = ? AND state IN ('queued', 'running')`, JSON.stringify(job), Date.now(), uid)
      else if (state === 'queued') this.db.run(`UPDATE runs SET job = ?, state = 'queued' WHERE uid = ? AND state IN ('created', 'queued')`, JSON.stringify(job), uid)
      else this.db.run(`UPDATE runs SET job = ? WHERE uid = ? AND state IN ('created', 'queued', 'running')`, JSON.stringify(job), uid)
    })
  }

  /**
   * Take over following a live job run whose lode process is `from` (gone): only one process wins, so two
   * commands reconciling at once never both conclude it.
   */
  claimJob(uid: string, from: number | null, host: string): boolean {
    return this.db.tx(() => Number(this.db.run(
      `UPDATE runs SET pid = ?, host = ? WHERE uid = ? AND job IS NOT NULL AND state IN ('queued', 'running') AND pid IS ?`,
      process.pid, host, uid, from,
    ).changes) === 1)
  }

  /** Runs executed as cluster jobs that are not over (indexed: cheap for every command to look). */
  liveJobs(): Run[] {
    return this.db.all(`SELECT ${LIST_COLUMNS} FROM runs WHERE job IS NOT NULL AND state IN ('queued', 'running')`).map(rowToRun)
  }

  handlerPid(uid: string): number | null {
    const r = this.db.get<{handler_pid: number | null}>('SELECT handler_pid FROM runs WHERE uid = ?', uid)
    return r?.handler_pid === null || r?.handler_pid === undefined ? null : Number(r.handler_pid)
  }

  /** A run that lode itself could not finish recording (a full disk, a bug). */
  markFailed(uid: string, message: string): void {
    try {
      this.db.tx(() => {
        this.db.run(`UPDATE runs SET state = 'error', error = ?, ended = ? WHERE uid = ? AND state IN ('created', 'queued', 'running')`, JSON.stringify({message}), Date.now(), uid)
      })
    } catch {
      /* the database itself failed: the run shows as stale once this process is gone */
    }
  }

  markAborted(uid: string, message: string): void {
    this.db.tx(() => {
      this.db.run(
        `UPDATE runs SET state = 'aborted', error = ?, ended = ? WHERE uid = ? AND state IN ('created', 'queued', 'running')`,
        JSON.stringify({message}), Date.now(), uid,
      )
    })
  }

  get(uid: string): Run | undefined {
    const r = this.db.get(`SELECT ${LIST_COLUMNS} FROM runs WHERE uid = ?`, uid)
    return r ? rowToRun(r) : undefined
  }

  /** A uid or a unique prefix of one. */
  resolve(ref: string): Run {
    const prefix = parseIdPrefix(ref)
    if (prefix === null) {
      throw new UserError(`${quoteName(ref, 40)} is not a run uid (expected hex digits, e.g. the first 8 of a uid).`, 'List runs with: lode runs ls')
    }
    const rows = this.db.all<{uid: string}>('SELECT uid FROM runs WHERE uid >= ? AND uid < ? LIMIT 2', prefix, prefix + 'g')
    if (rows.length === 0) throw new NotFoundError(`No run with uid ${ref}.`, 'List runs with: lode runs ls')
    if (rows.length > 1) throw new UserError(`Run prefix "${ref}" is ambiguous; give more characters.`, 'List runs with: lode runs ls')
    return this.get(rows[0]!.uid)!
  }

  /**
   * Newest first. With a label filter the first label's index rows, which carry their run's creation time, are
   * walked newest first, so the cost follows the rows returned, not how many runs carry the label.
   */
  list(q: RunQuery = {}): Run[] {
    const where: string[] = []
    const params: SqlValue[] = []
    const [first, ...rest] = Object.entries(q.labels ?? {})
    let from = 'runs r'
    let order = 'r.created DESC, r.uid DESC'
    if (first) {
      from = 'run_labels l JOIN runs r ON r.uid = l.uid'
      order = 'l.created DESC, l.uid DESC'
      where.push('l.key = ? AND l.value = ?')
      params.push(...first)
    }
    for (const [k, v] of rest) {
      where.push('EXISTS (SELECT 1 FROM run_labels x WHERE x.uid = r.uid AND x.key = ? AND x.value = ?)')
      params.push(k, v)
    }
    if (q.state) {
      where.push('r.state = ?')
      params.push(q.state)
    }
    if (q.name) {
      where.push('r.name = ?')
      params.push(q.name)
    }
    if (q.workflowId) {
      where.push('r.workflow_id = ?')
      params.push(q.workflowId)
    }
    if (q.parent) {
      where.push('r.parent_uid = ?')
      params.push(q.parent)
      if (!first) order = 'r.iter, r.created, r.uid'
    }
    if (q.createdBefore !== undefined) {
      where.push('r.created < ?')
      params.push(q.createdBefore)
    }
    if (q.where) {
      const w = whereSql(q.where)
      where.push(w.sql)
      params.push(...w.params)
    }
    const limit = q.limit ?? 50
    // a filter few runs pass, on a param or result: the runs in its range of the value index are the ones looked at
    const indexed = !first && !q.parent && this.hasValues()
    const range = q.where && indexed ? this.narrowest(valueRanges(q.where)) : undefined
    if (range) {
      from = `(SELECT uid FROM run_values WHERE map = ? AND key = ? AND value ${range.op} ?) v CROSS JOIN runs r ON r.uid = v.uid`
      params.unshift(range.map, range.key, range.value)
    } else if (q.sort && indexed) {
      const uids = this.sortedByValue(q.sort.field, q.sort.desc, where, params, limit)
      if (uids) return this.byUids(uids)
    }
    if (q.sort) {
      // SQLite sorts the matches; the LIMIT keeps that a bounded top-N sort rather than a full one
      const o = orderSql(q.sort.field, q.sort.desc)
      order = `${o.sql}, ${order}`
      params.push(...o.params)
    }
    const filter = `FROM ${from} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} LIMIT ?`
    if (!q.where && !q.sort) return this.db.all(`SELECT ${R_COLUMNS} ${filter}`, ...params, limit).map(rowToRun)
    // a scan: sort uids only (carrying whole rows through the sorter cost 40% more at 100k), then read the rows chosen
    return this.byUids(this.db.all<{uid: string}>(`SELECT r.uid ${filter}`, ...params, limit).map((r) => r.uid))
  }

  /**
   * The first `limit` runs matching `where` (over runs r) in the order of one param or result, then newest first:
   * read from the value table (migration 14) in order, a window of it at a time, rather than by reading every run's
   * JSON. Undefined when the window held too few matches to be sure of the answer: the caller then scans.
   */
  private sortedByValue(field: Field, desc: boolean, where: string[], params: SqlValue[], limit: number): string[] | undefined {
    const v = valueKey(field)
    if (!v) return undefined
    if (limit <= 0) return []
    const dir = desc ? 'DESC' : 'ASC'
    const n = Math.min(limit, 1_000_000)
    let rows: {uid: string; inside: number}[] | undefined
    // a small window first (most filters match often), then a larger one, then the caller's scan
    for (const window of [Math.max(100, n * 5), Math.max(SORT_WINDOW, n * 20)]) {
      // the value the window ends on: a match beyond it sorts after every match before it (none: the window is all)
      const edge = this.db.get<{value: SqlValue}>(`SELECT value FROM run_values WHERE map = ? AND key = ? ORDER BY value ${dir} LIMIT 1 OFFSET ?`, v.map, v.key, window - 1)
      const found = this.db.all<{uid: string; inside: number}>(
        `SELECT r.uid, ${edge ? `s.value ${desc ? '>' : '<'} ?` : '1'} AS inside
         FROM (SELECT uid, value, created FROM run_values WHERE map = ? AND key = ? ORDER BY value ${dir} LIMIT ?) s
         JOIN runs r ON r.uid = s.uid ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.value ${dir}, s.created DESC, s.uid DESC LIMIT ?`,
        ...(edge ? [edge.value] : []), v.map, v.key, edge ? window : -1, ...params, limit)
      if (found.length === limit && found.at(-1)!.inside) return found.map((r) => r.uid)
      if (!edge) {
        rows = found
        break
      }
    }
    if (!rows) return undefined
    // every run with a value is in; then the runs whose value is null or missing, newest first
    const f = fieldSql(field)
    const rest = this.db.all<{uid: string}>(
      `SELECT r.uid FROM runs r WHERE ${[`${f.sql} IS NULL`, ...where].join(' AND ')} ORDER BY r.created DESC, r.uid DESC LIMIT ?`,
      ...f.params, ...params, limit - rows.length)
    return [...rows.map((r) => r.uid), ...rest.map((r) => r.uid)]
  }

  /** Whether the store has the value table: one of an older schema opened read-only (not migrated) has not. */
  private hasValues(): boolean {
    this.values ??= this.db.get(`SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'run_values'`) !== undefined
    return this.values
  }

  private values: boolean | undefined

  /** The range with the fewest rows, if it has fewer than RANGE_ROWS (then reading them beats walking every run). */
  private narrowest(ranges: ValueRange[]): ValueRange | undefined {
    let best: {range: ValueRange; n: number} | undefined
    for (const range of ranges) {
      const n = Number(this.db.get<{n: number}>(
        `SELECT count(*) AS n FROM (SELECT 1 FROM run_values WHERE map = ? AND key = ? AND value ${range.op} ? LIMIT ?)`, range.map, range.key, range.value, RANGE_ROWS)!.n)
      if (n < RANGE_ROWS && (!best || n < best.n)) best = {range, n}
    }
    return best?.range
  }

  /** Runs by uid, in the order given. */
  private byUids(uids: string[]): Run[] {
    const rows = new Map<string, Run>()
    for (let i = 0; i < uids.length; i += 500) {
      const chunk = uids.slice(i, i + 500)
      for (const r of this.db.all(`SELECT ${LIST_COLUMNS} FROM runs WHERE uid IN (${chunk.map(() => '?').join(', ')})`, ...chunk)) rows.set(String(r.uid), rowToRun(r))
    }
    return uids.map((u) => rows.get(u)).filter((r) => r !== undefined)
  }

  /** The newest completed run with this memo key (workflow caching). */
  findByMemoKey(memoKey: string): Run | undefined {
    const r = this.db.get(`SELECT ${LIST_COLUMNS} FROM runs WHERE memo_key = ? AND state = 'completed' ORDER BY created DESC LIMIT 1`, memoKey)
    return r ? rowToRun(r) : undefined
  }

  /** Delete runs (inside the caller's transaction); their labels and input records go with them (ON DELETE CASCADE). */
  delete(uids: string[]): number {
    let n = 0
    for (const uid of uids) n += Number(this.db.run(`DELETE FROM runs WHERE uid = ? AND state NOT IN ('created', 'queued', 'running')`, uid).changes)
    return n
  }

  /** Ids of the artifact versions any run read as an input. */
  inputArtifactIds(): Set<number> {
    return new Set(this.db.all<{artifact_id: number}>('SELECT DISTINCT artifact_id FROM run_inputs WHERE artifact_id IS NOT NULL').map((r) => Number(r.artifact_id)))
  }

  /** Runs that read an artifact version. */
  consumersOf(artifactId: number, sha256: string): {uid: string; name: string; key: string; state: RunState}[] {
    return this.db.all(
      `SELECT r.uid, r.name, i.key, r.state FROM run_inputs i JOIN runs r ON r.uid = i.run_uid
       WHERE i.artifact_id = ? OR (i.artifact_id IS NULL AND i.sha256 = ?) ORDER BY r.created`,
      artifactId, sha256,
    ) as {uid: string; name: string; key: string; state: RunState}[]
  }
}
