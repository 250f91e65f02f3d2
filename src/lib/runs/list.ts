import type {RunQuery} from '../store/runs.ts'
import type {Store} from '../store/store.ts'
import type {Run} from '../types.ts'
import {displayState} from './liveness.ts'
import {formatTable, humanAge, humanDuration} from '../util/format.ts'

export function listRuns(store: Store, q: RunQuery): Run[] {
  return store.runs.list(q).map((r) => ({...r, state: displayState(r) as Run['state']}))
}

export function formatRunsTable(runs: Run[]): string {
  if (runs.length === 0) return 'No runs yet. Start one with: lode run FILE'
  const now = Date.now()
  return formatTable(
    ['UID', 'NAME', 'STATE', 'STARTED', 'DURATION', 'RESULTS'],
    runs.map((r) => [
      r.uid.slice(0, 8),
      r.name,
      r.state,
      humanAge(now - r.created),
      r.ended && r.started ? humanDuration(r.ended - r.started) : r.state === 'running' ? humanDuration(now - (r.started ?? r.created)) : '-',
      Object.entries(r.results).slice(0, 3).map(([k, v]) => `${k}=${formatValue(v)}`).join(' '),
    ]),
  )
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)))
  const s = typeof v === 'string' ? v : JSON.stringify(v)
  return s.length > 24 ? s.slice(0, 21) + '...' : s
}
