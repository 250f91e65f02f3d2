// The runs table as plain text, for `lode runs ls` without --watch: no ink.

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

export function formatRunsTable(runs: Run[], options: {color?: boolean; now?: number} = {}): string {
  if (runs.length === 0) return 'No runs yet. Start one with: lode run FILE'
  const p: Palette = palette(options.color ?? false)
  const now = options.now ?? Date.now()
  const rows = runs.map((run) => {
    const cells = runRowCells(run, now)
    cells[2] = p[stateColor(run.state)](run.state)
    return cells
  })
  return formatTable([RUNS_TABLE_HEADER.map((title) => p.bold(title)), ...rows]).join('\n')
}
