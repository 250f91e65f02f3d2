// What `lode workflow run/get/ls` print and return: one summary shape, as JSON and as text.
import type {Store} from '../store/store.ts'
import type {StepState, WorkflowRecord} from '../store/workflows.ts'
import type {JsonValue, RunState} from '../types.ts'
import {formatTable, humanAge, humanDuration} from '../util/format.ts'
import {escapeControls as esc} from '../views/format.ts'

export interface StepSummary {
  name: string
  state: StepState
  run: string | null
  function: string | null
  durationMs: number | null
  outputs: Record<string, JsonValue>
  /** the outputs the step declares (what the table shows; `outputs` has everything the run logged) */
  declaredOutputs: string[]
  results: Record<string, JsonValue>
  error: string | null
}

export interface WorkflowSummary {
  id: string
  name: string
  file: string | null
  state: RunState
  params: Record<string, JsonValue>
  created: number
  ended: number | null
  durationMs: number | null
  error: string | null
  steps: StepSummary[]
  /** the workflow's declared outputs (or what a workflow module returned) */
  outputs: Record<string, JsonValue>
}

export function summarize(w: WorkflowRecord, store: Store, outputs: Record<string, JsonValue> = {}): WorkflowSummary {
  return {
    id: w.id, name: w.name, file: w.file, state: w.state, params: w.params, created: w.created, ended: w.ended,
    durationMs: w.ended === null ? null : w.ended - w.created, error: w.error,
    steps: Object.entries(w.steps).map(([name, s]) => {
      const run = s.run ? store.runs.get(s.run) : undefined
      return {
        name, state: s.state, run: s.run, function: s.function,
        durationMs: s.state === 'cached' || s.started === null || s.ended === null ? null : s.ended - s.started,
        outputs: s.outputs, declaredOutputs: s.memo?.outputs ?? run?.declaredOutputs ?? [], results: run?.results ?? {}, error: s.error,
      }
    }),
    outputs,
  }
}

export function formatSummary(w: WorkflowSummary): string {
  const took = w.durationMs === null ? '' : ` in ${humanDuration(w.durationMs)}`
  const lines = [`workflow ${w.id.slice(0, 8)} ${w.name} ${w.state}${took}${w.error && w.state !== 'completed' ? `: ${esc(w.error, {multiline: true})}` : ''}`, '']
  const rows = w.steps.map((s) => [
    s.name, s.state, s.run ? s.run.slice(0, 8) : '-', s.durationMs === null ? '-' : humanDuration(s.durationMs),
    esc(s.state === 'failed' || s.state === 'skipped' || s.state === 'aborted' ? (s.error ?? '') : formatOutputs(shown(s))),
  ])
  lines.push(formatTable(['STEP', 'STATE', 'RUN', 'DURATION', 'OUTPUTS'], rows))
  const outs = Object.entries(w.outputs)
  if (outs.length) {
    lines.push('')
    const width = Math.max(...outs.map(([k]) => k.length))
    for (const [k, v] of outs) lines.push(`${k.padEnd(width)}  ${esc(typeof v === 'string' ? v : JSON.stringify(v))}`)
  }
  if (w.state === 'error' || w.state === 'aborted') lines.push('', `Resume with: lode workflow run --resume ${w.id.slice(0, 8)}`)
  return lines.join('\n')
}

function shown(s: StepSummary): Record<string, JsonValue> {
  if (s.declaredOutputs.length === 0) return s.outputs
  return Object.fromEntries(s.declaredOutputs.filter((k) => Object.hasOwn(s.outputs, k)).map((k) => [k, s.outputs[k]!]))
}

function formatOutputs(outputs: Record<string, JsonValue>): string {
  return Object.entries(outputs).map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')
}

export function formatWorkflowList(list: WorkflowRecord[], now = Date.now()): string {
  if (list.length === 0) return 'No workflows yet. Run one with: lode workflow run workflow.yaml'
  const rows = list.map((w) => {
    const steps = Object.values(w.steps)
    const count = (s: StepState) => steps.filter((x) => x.state === s).length
    const parts = [['done', count('done')], ['cached', count('cached')], ['failed', count('failed')], ['skipped', count('skipped')]]
      .filter(([, n]) => n).map(([k, n]) => `${n} ${k}`)
    return [w.id.slice(0, 8), w.name, w.state, `${steps.length} (${parts.join(', ') || '-'})`, humanAge(now - w.created), w.ended === null ? '-' : humanDuration(w.ended - w.created)]
  })
  return formatTable(['ID', 'NAME', 'STATE', 'STEPS', 'STARTED', 'DURATION'], rows)
}
