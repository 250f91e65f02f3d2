// Workflow records: one row per workflow run; its steps (state, run, memo inputs) as one JSON column.
import {hostname} from 'node:os'
import {NotFoundError, UserError} from '../errors.ts'
import type {JsonValue, RunState} from '../types.ts'
import {parseIdPrefix} from '../uri/refs.ts'
import type {Db, Row} from './db.ts'

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

function rowToWorkflow(r: Row): WorkflowRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    file: (r.file as string | null) ?? null,
    state: r.state as RunState,
    params: JSON.parse(String(r.params ?? '{}')) as Record<string, JsonValue>,
    steps: JSON.parse(String(r.steps ?? '{}')) as Record<string, StepRecord>,
    error: (r.error as string | null) ?? null,
    pid: r.pid === null || r.pid === undefined ? null : Number(r.pid),
    host: String(r.host),
    created: Number(r.created),
    ended: r.ended === null || r.ended === undefined ? null : Number(r.ended),
  }
}

export class WorkflowRecords {
  private readonly db: Db

  constructor(db: Db) {
    this.db = db
  }

  create(w: Omit<WorkflowRecord, 'host' | 'pid' | 'ended' | 'error'>): WorkflowRecord {
    const record: WorkflowRecord = {...w, host: hostname(), pid: process.pid, ended: null, error: null}
    this.db.tx(() => {
      this.db.run(
        'INSERT INTO workflows (id, name, file, state, params, steps, error, pid, host, created, ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        record.id, record.name, record.file, record.state, JSON.stringify(record.params), JSON.stringify(record.steps), null,
        record.pid, record.host, record.created, null,
      )
    })
    return record
  }

  /** Write one step's record (read-modify-write inside one immediate transaction). */
  setStep(id: string, step: string, value: StepRecord): void {
    this.db.tx(() => {
      const row = this.db.get<{steps: string}>('SELECT steps FROM workflows WHERE id = ?', id)
      if (!row) return
      const steps = JSON.parse(row.steps) as Record<string, StepRecord>
      steps[step] = value
      this.db.run('UPDATE workflows SET steps = ? WHERE id = ?', JSON.stringify(steps), id)
    })
  }

  setState(id: string, state: RunState, f: {error?: string | null; ended?: number | null; params?: Record<string, JsonValue>} = {}): void {
    this.db.tx(() => {
      this.db.run('UPDATE workflows SET state = ?, error = ?, ended = ?, pid = ? WHERE id = ?', state, f.error ?? null, f.ended ?? null, process.pid, id)
      if (f.params) this.db.run('UPDATE workflows SET params = ? WHERE id = ?', JSON.stringify(f.params), id)
    })
  }

  get(id: string): WorkflowRecord | undefined {
    const r = this.db.get('SELECT * FROM workflows WHERE id = ?', id)
    return r ? rowToWorkflow(r) : undefined
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
    return rows.map(rowToWorkflow)
  }

  /**
   * The memo inputs of the newest settled (done or cached) run of one step of a workflow: what `--explain`
   * compares against. Scans the workflow's recent records, newest first.
   */
  lastMemoOf(name: string, step: string, opts: {excludeId?: string; scan?: number} = {}): {workflow: string; record: StepRecord} | undefined {
    const rows = this.db.all<{id: string; steps: string}>(
      'SELECT id, steps FROM workflows WHERE name = ? ORDER BY created DESC, id DESC LIMIT ?', name, opts.scan ?? 50,
    )
    for (const row of rows) {
      if (row.id === opts.excludeId) continue
      const s = (JSON.parse(row.steps) as Record<string, StepRecord>)[step]
      if (s && (s.state === 'done' || s.state === 'cached') && s.memo) return {workflow: row.id, record: s}
    }
    return undefined
  }
}
