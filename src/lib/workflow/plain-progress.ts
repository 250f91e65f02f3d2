// Workflow progress as plain timestamped lines on stderr (one per step change and per handler log line), or as
// ndjson events on stdout. Used where no live view is shown.
import type {Writable} from 'node:stream'
import type {JsonValue} from '../types.ts'
import type {WorkflowEvent} from '../views/workflow-model.ts'
import {humanDuration} from '../util/format.ts'

export interface WorkflowProgress {
  onStart(w: {id: string; name: string; steps: string[]}): void
  onEvent(e: WorkflowEvent): void
  abortNotice(): void
}

export function createPlainWorkflowProgress(o: {stream: Writable; quiet?: boolean; events?: 'ndjson'; stdout?: Writable}): WorkflowProgress {
  let width = 8
  const write = (ts: number, text: string) => {
    if (!o.quiet) o.stream.write(`${clock(ts)} ${text}\n`)
  }
  const label = (step: string) => step.padEnd(width)
  return {
    onStart(w) {
      width = Math.max(width, ...w.steps.map((s) => s.length))
      write(Date.now(), `workflow ${w.id.slice(0, 8)} ${w.name}${w.steps.length ? ` (${w.steps.length} steps)` : ''}`)
    },
    onEvent(e) {
      if (o.events === 'ndjson') {
        (o.stdout ?? process.stdout).write(`${JSON.stringify(e)}\n`)
        return
      }
      if (e.t === 'wf-state') return
      if (e.t === 'wf-step') {
        width = Math.max(width, e.step.length)
        const run = e.run ? ` (run ${e.run.slice(0, 8)})` : ''
        const error = typeof e.error === 'string' ? e.error : e.error?.message
        switch (e.state) {
          case 'waiting': return
          case 'running': return write(e.ts, `${label(e.step)} running${run}`)
          case 'cached': return write(e.ts, `${label(e.step)} cached${run}`)
          case 'done': return write(e.ts, `${label(e.step)} done${e.durationMs === undefined ? '' : ` in ${humanDuration(e.durationMs)}`}${run}`)
          case 'failed': return write(e.ts, `${label(e.step)} failed${e.durationMs === undefined ? '' : ` after ${humanDuration(e.durationMs)}`}${run}${error ? `: ${error}` : ''}`)
          case 'skipped': return write(e.ts, `${label(e.step)} skipped${error ? `: ${error}` : ''}`)
        }
        return
      }
      if (e.t === 'log' && e.level !== 'debug') return write(e.ts, `${label(e.step)} | ${e.level === 'info' ? '' : `${e.level}: `}${e.msg}${fields(e.fields)}`)
      if (e.t === 'result') return write(e.ts, `${label(e.step)} | result ${e.key}=${short(e.value)}`)
      if (e.t === 'output') return write(e.ts, `${label(e.step)} | ${e.line}`)
    },
    abortNotice() {
      if (!o.quiet) o.stream.write(`${clock(Date.now())} interrupted: stopping the running steps (Ctrl-C again to force)\n`)
    },
  }
}

function clock(ts: number): string {
  const d = new Date(ts)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

function fields(f: Record<string, JsonValue> | undefined): string {
  if (!f) return ''
  const parts = Object.entries(f).map(([k, v]) => `${k}=${short(v)}`)
  return parts.length ? ` ${parts.join(' ')}` : ''
}

function short(v: JsonValue): string {
  const text = typeof v === 'string' ? v : typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toPrecision(6))) : JSON.stringify(v)
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}
