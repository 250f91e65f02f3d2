// The runs table as plain text, for `lode runs ls` without --watch: no ink.

import {fieldValue} from '../query/evaluate.ts'
import {fieldName, type Field} from '../query/fields.ts'
import type {Run} from '../types.ts'
import {palette, type Palette} from './color.ts'
import {escapeControls as esc, formatAge, formatDuration, formatLabels, formatValue, shortUid, stateColor, truncate} from './format.ts'
import {formatTable} from './table.ts'

export const RUNS_TABLE_HEADER = ['UID', 'NAME', 'STATE', 'STARTED', 'DURATION', 'RESULTS', 'LABELS']

/** The cells of one run, uncoloured: uid prefix, name, state, age, duration, labels. */
export function runRowCells(run: Run, now: number): string[] {
  const start = run.started ?? run.created
  const duration = run.started === null ? '' : formatDuration((run.ended ?? now) - run.started)
  const results = Object.entries(run.results).slice(0, 3).map(([k, v]) => `${esc(k)}=${formatValue(v, 12)}`).join(' ')
  return [shortUid(run.uid), truncate(esc(run.name), 32), run.state, formatAge(start, now), duration, truncate(results, 48), truncate(esc(formatLabels(run.labels)), 32)]
}

/** --columns: each named field as a column after the usual ones. */
export function formatRunsTable(runs: Run[], options: {color?: boolean; now?: number; columns?: Field[]} = {}): string {
  if (runs.length === 0) return 'No runs yet. Start one with: lode run FILE'
  const p: Palette = palette(options.color ?? false)
  const now = options.now ?? Date.now()
  const extra = options.columns ?? []
  const rows = runs.map((run) => {
    const cells = runRowCells(run, now)
    cells[2] = p[stateColor(run.state)](run.state)
    for (const f of extra) {
      const v = fieldValue(run, f)
      cells.push(v === undefined || v === null ? '' : formatValue(v, 32))
    }
    return cells
  })
  const header = [...RUNS_TABLE_HEADER, ...extra.map((f) => esc(fieldName(f)).toUpperCase())]
  return formatTable([header.map((title) => p.bold(title)), ...rows]).join('\n')
}
