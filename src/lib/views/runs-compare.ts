// `lode runs compare` as text and as CSV: differing values in a table (marked), the same ones folded into one line.
import type {CompareRow, RunComparison} from '../runs/compare.ts'
import {csvCell, inertText} from '../runs/export.ts'
import type {JsonValue} from '../types.ts'
import {palette} from './color.ts'
import {escapeControls as esc, formatValue, shortUid} from './format.ts'
import {formatTable} from './table.ts'

const cell = (v: JsonValue | null) => (v === null ? '-' : formatValue(v, 32))
const field = (r: CompareRow) => esc(`${r.section}.${r.key}`)

export function formatComparison(c: RunComparison, options: {color?: boolean} = {}): string {
  const p = palette(options.color ?? false)
  const differ = c.rows.filter((r) => !r.same)
  const same = c.rows.filter((r) => r.same)
  const lines: string[] = []
  const header = ['', ...c.runs.map((r) => `${shortUid(r.uid)} ${esc(r.name)}`)]
  const rows = [['state', ...c.runs.map((r) => r.state)], ...differ.map((r) => [p.yellow(`≠ ${field(r)}`), ...r.values.map(cell)])]
  lines.push(...formatTable([header.map((h) => p.bold(h)), ...rows]))
  if (differ.length === 0) lines.push('(no param, result, input or output differs)')
  if (same.length > 0) lines.push('', `same in all: ${same.map((r) => `${field(r)}=${cell(r.values[0] ?? null)}`).join(', ')}`)
  for (const o of c.outputs ?? []) {
    lines.push(o.same ? `output ${esc(o.key)}: the same bytes in both` : `output ${esc(o.key)} differs; see: ${esc(o.command ?? '')}`)
  }
  return lines.join('\n')
}

/** One line per field: field, same, then one column per run (uid). */
export function comparisonCsv(c: RunComparison): string {
  const lines = [['field', 'same', ...c.runs.map((r) => r.uid)].map(csvCell).join(',')]
  for (const r of c.rows) lines.push([`${r.section}.${r.key}`, String(r.same), ...r.values.map((v) => (v === null ? '' : typeof v === 'string' ? inertText(v) : JSON.stringify(v)))].map(csvCell).join(','))
  return lines.join('\n') + '\n'
}
