// Workflow records: one row per workflow run, and one row per step (state, run, memo inputs) in workflow_steps, so
// that recording a step costs the same in a workflow of 5 steps as in one of 5,000.
import {hostname} from 'node:os'
import {NotFoundError, UserError} from '../errors.ts'
import type {JsonValue, RunState} from '../types.ts'
import {parseIdPrefix} from '../uri/refs.ts'
import type {Db, Row, SqlValue} from './db.ts'

export type StepState = 'waiting' | 'running' | 'cached' | 'done' | 'failed' | 'skipped' | 'aborted'

/** What a step's memo key was computed from, kept so that a later `--explain` can say what changed. */
export interface MemoInputs {
  kind: string
  codeHash: string
  handler: string | null
  params: Record<string, JsonValue>
  /** input name -> content sha256 */
  inputs: Record<string, string>
  outputs: string[]
  /** a hyperparameter step's values to try and options */
  hyper?: JsonValue
  /** secret name -> a digest of its value keyed by this store's own key (never the value, nor a plain hash of it) */
  secrets?: Record<string, string>
}

export interface StepRecord {
  state: StepState
  /** the step's run (a cached step names the run it reused) */
  run: string | null
  function: string | null
  memoKey: string | null
  memo: MemoInputs | null
  outputs: Record<string, JsonValue>
  error: string | null
  started: number | null
  ended: number | null
}

export interface WorkflowRecord {
  id: string
  name: string
  /** the workflow file (absolute), or null for one defined in lode.yaml */
  file: string | null
  state: RunState
  params: Record<string, JsonValue>
  steps: Record<string, StepRecord>
  error: string | null
  pid: number | null
  host: string
  created: number
  ended: number | null
}

const STEP_COLUMNS = 'name, state, run, function, memo_key, memo, outputs, error, started, ended'

function rowToWorkflow(r: Row, steps: Record<string, StepRecord>): WorkflowRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    file: (r.file as string | null) ?? null,
    state: r.state as RunState,
    params: JSON.parse(String(r.params ?? '{}')) as Record<string, JsonValue>,
    steps,
    error: (r.error as string | null) ?? null,
    pid: r.pid === null || r.pid === undefined ? null : Number(r.pid),
    host: String(r.host),
    created: Number(r.created),
    ended: r.ended === null || r.ended === undefined ? null : Number(r.ended),
  }
}

function rowToStep(r: Row): StepRecord {
  const n = (v: SqlValue | undefined) => (v === null || v === undefined ? null : Number(v))
  return {
    state: r.state as StepState,
    run: (r.run as string | null) ?? null,
    function: (r.function as string | null) ?? null,
    memoKey: (r.memo_key as string | null) ?? null,
    memo: r.memo === null || r.memo === undefined ? null : JSON.parse(String(r.memo)) as MemoInputs,
    outputs: JSON.parse(String(r.outputs ?? '{}')) as Record<string, JsonValue>,
    error: (r.error as string | null) ?? null,
    started: n(r.started),
    ended: n(r.ended),
  }
}

function stepValues(s: StepRecord): SqlValue[] {
  return [s.state, s.run, s.function, s.memoKey, s.memo === null ? null : JSON.stringify(s.memo), JSON.stringify(s.outputs), s.error, s.started, s.ended]
}

export class WorkflowRecords {
  private readonly db: Db
  /** A store left at an older schema (opened read-only, so not migrated) keeps its steps as one JSON column. */
  private legacyStore: boolean | undefined

  constructor(db: Db) {
    this.db = db
  }

  create(w: Omit<WorkflowRecord, 'host' | 'pid' | 'ended' | 'error'>): WorkflowRecord {
    const record: WorkflowRecord = {...w, host: hostname(), pid: process.pid, ended: null, error: null}
    this.db.tx(() => {
      this.db.run(
        'INSERT INTO workflows (id, name, file, state, params, error, pid, host, created, ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        record.id, record.name, record.file, record.state, JSON.stringify(record.params), null, record.pid, record.host, record.created, null,
      )
      for (const [name, step] of Object.entries(record.steps)) this.insertStep(record.id, name, step)
    })
    return record
  }

  /** Write one step's record: one row, whatever the number of steps. A workflow that is not recorded is left alone. */
  setStep(id: string, step: string, value: StepRecord): void {
    this.db.tx(() => {
      if (!this.db.get('SELECT 1 AS found FROM workflows WHERE id = ?', id)) return
      this.insertStep(id, step, value)
    })
  }

  /** A new step goes after the others (seq), an existing one keeps its place. */
  private insertStep(id: string, name: string, s: StepRecord): void {
    this.db.run(
      `INSERT INTO workflow_steps (workflow_id, ${STEP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (workflow_id, name) DO UPDATE SET state = excluded.state, run = excluded.run, function = excluded.function,
         memo_key = excluded.memo_key, memo = excluded.memo, outputs = excluded.outputs, error = excluded.error,
         started = excluded.started, ended = excluded.ended`,
      id, name, ...stepValues(s),
    )
  }

  setState(id: string, state: RunState, f: {error?: string | null; ended?: number | null; params?: Record<string, JsonValue>} = {}): void {
    this.db.tx(() => {
      this.db.run('UPDATE workflows SET state = ?, error = ?, ended = ?, pid = ? WHERE id = ?', state, f.error ?? null, f.ended ?? null, process.pid, id)
      if (f.params) this.db.run('UPDATE workflows SET params = ? WHERE id = ?', JSON.stringify(f.params), id)
    })
  }

  get(id: string): WorkflowRecord | undefined {
    const r = this.db.get('SELECT * FROM workflows WHERE id = ?', id)
    return r ? this.withSteps(r) : undefined
  }

  /** An id or a unique prefix of one. */
  resolve(ref: string): WorkflowRecord {
    const prefix = parseIdPrefix(ref)
    if (prefix === null) {
      throw new UserError(`"${ref}" is not a workflow id (expected hex digits, e.g. the first 8 of an id).`, 'List workflows with: lode workflow ls')
    }
    const rows = this.db.all<{id: string}>('SELECT id FROM workflows WHERE id >= ? AND id < ? LIMIT 2', prefix, prefix + 'g')
    if (rows.length === 0) throw new NotFoundError(`No workflow with id ${ref}.`, 'List workflows with: lode workflow ls')
    if (rows.length > 1) throw new UserError(`Workflow prefix "${ref}" is ambiguous; give more characters.`, 'List workflows with: lode workflow ls')
    return this.get(rows[0]!.id)!
  }

  list(q: {name?: string; limit?: number} = {}): WorkflowRecord[] {
    const rows = q.name
      ? this.db.all('SELECT * FROM workflows WHERE name = ? ORDER BY created DESC, id DESC LIMIT ?', q.name, q.limit ?? 50)
      : this.db.all('SELECT * FROM workflows ORDER BY created DESC, id DESC LIMIT ?', q.limit ?? 50)
    return rows.map((r) => this.withSteps(r))
  }

  /**
   * The memo inputs of the newest settled (done or cached) run of one step of a workflow: what `--explain`
   * compares against. Looks at the workflow's recent records (`scan`), newest first.
   */
  lastMemoOf(name: string, step: string, opts: {excludeId?: string; scan?: number} = {}): {workflow: string; record: StepRecord} | undefined {
    if (this.legacy()) {
      for (const w of this.list({name, limit: opts.scan ?? 50})) {
        const s = w.steps[step]
        if (w.id !== opts.excludeId && s && (s.state === 'done' || s.state === 'cached') && s.memo) return {workflow: w.id, record: s}
      }
      return undefined
    }
    const row = this.db.get(
      `SELECT w.id AS workflow_id, ${STEP_COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')}
       FROM (SELECT id, created FROM workflows WHERE name = ? ORDER BY created DESC, id DESC LIMIT ?) w
       JOIN workflow_steps s ON s.workflow_id = w.id AND s.name = ?
       WHERE w.id != ? AND s.state IN ('done', 'cached') AND s.memo IS NOT NULL
       ORDER BY w.created DESC, w.id DESC LIMIT 1`,
      name, opts.scan ?? 50, step, opts.excludeId ?? '',
    )
    return row ? {workflow: String(row.workflow_id), record: rowToStep(row)} : undefined
  }

  private withSteps(r: Row): WorkflowRecord {
    if (this.legacy()) return rowToWorkflow(r, JSON.parse(String(r.steps ?? '{}')) as Record<string, StepRecord>)
    const rows = this.db.all(`SELECT ${STEP_COLUMNS} FROM workflow_steps WHERE workflow_id = ? ORDER BY seq`, String(r.id))
    return rowToWorkflow(r, Object.fromEntries(rows.map((s) => [String(s.name), rowToStep(s)])))
  }

  private legacy(): boolean {
    this.legacyStore ??= !this.db.get("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'workflow_steps'")
    return this.legacyStore
  }
}
