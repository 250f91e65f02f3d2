// Aligned, readable text for a diff, for the terminal: "rows  569 -> 455 (-114)".
import {formatTable} from '../views/table.ts'
import type {JsonValue} from '../types.ts'
import type {BlobDiff, DatasetDiff, DiffResult, FilesDiff, ModelDiff, StatDelta} from './diff.ts'
import {escapeControls, humanBytes} from '../views/format.ts'

/** Integers as they are; other numbers with a few significant digits, without exponent for usual magnitudes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (Number.isInteger(value)) return String(value)
  const abs = Math.abs(value)
  if (abs >= 1e15 || abs < 1e-4) return value.toPrecision(4)
  if (abs >= 1000) return value.toFixed(1)
  if (abs >= 1) return trimZeros(value.toFixed(2))
  return trimZeros(value.toPrecision(3))
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text
}

function signed(value: number): string {
  const text = formatNumber(value)
  return value > 0 ? `+${text}` : text
}

/** Sizes as everywhere else in lode (`artifacts ls`, `get`): decimal units, a sign for a change that shrinks. */
export function formatBytes(bytes: number): string {
  return bytes < 0 ? `-${humanBytes(-bytes)}` : humanBytes(bytes)
}

function signedBytes(bytes: number): string {
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes)
}

function show(value: number | string | null | JsonValue): string {
  if (value === null) return 'null'
  if (typeof value === 'number') return formatNumber(value)
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

/** "a -> b (+delta)", or "a (unchanged)". */
function arrow(a: number | string | null, b: number | string | null, delta: number | null): string {
  if (a === b) return `${show(a)} (unchanged)`
  return `${show(a)} -> ${show(b)}${delta === null ? '' : ` (${signed(delta)})`}`
}

/** Rows of cells, each column padded to its widest cell; the last cell is not padded. */
function table(rows: string[][], indent = ''): string[] {
  return formatTable(rows, {indent})
}

/** A top-level line: the label in a fixed-width column. */
const labelled = (label: string, value: string): string => `${label.padEnd(8)}${value}`

function formatDatasetDiff(d: DatasetDiff): string[] {
  const lines = [labelled('rows', arrow(d.rows.a, d.rows.b, d.rows.delta))]
  const schema: string[][] = [
    ...d.schema.added.map((c) => [`+ ${c.name}`, c.dtype]),
    ...d.schema.removed.map((c) => [`- ${c.name}`, c.dtype]),
    ...d.schema.typeChanged.map((c) => [`~ ${c.name}`, `${c.a} -> ${c.b}`]),
  ]
  lines.push(schema.length > 0 ? 'schema' : labelled('schema', 'unchanged'), ...table(schema, '  '))
  const changed = d.columns.filter((c) => c.changed)
  const rows: string[][] = []
  for (const column of changed) {
    let first = true
    for (const [stat, delta] of Object.entries(column.stats) as [string, StatDelta][]) {
      if (delta.a === delta.b) continue
      rows.push([first ? column.name : '', stat, arrow(delta.a, delta.b, delta.delta)])
      first = false
    }
  }
  if (rows.length > 0) lines.push('columns', ...table(rows, '  '))
  const unchanged = d.columns.length - changed.length
  if (unchanged > 0) lines.push(`${changed.length > 0 ? '  ' : ''}${unchanged} column${unchanged === 1 ? '' : 's'} with unchanged statistics`)
  return lines
}

function formatModelDiff(d: ModelDiff): string[] {
  const head: string[][] = []
  for (const key of ['framework', 'algorithm', 'modelFile'] as const) {
    const change = d[key]
    if (change) head.push([key === 'modelFile' ? 'model file' : key, `${show(change.a)} -> ${show(change.b)}`])
  }
  const lines = head.length > 0 ? table(head) : ['framework, algorithm and model file name unchanged']

  const metrics: string[][] = [
    ...d.metrics.changed.map((m) => [`~ ${m.name}`, arrow(m.a, m.b, m.delta)]),
    ...Object.entries(d.metrics.added).map(([name, v]) => [`+ ${name}`, formatNumber(v)]),
    ...Object.entries(d.metrics.removed).map(([name, v]) => [`- ${name}`, formatNumber(v)]),
  ]
  lines.push(metrics.length > 0 ? 'metrics' : 'metrics unchanged', ...table(metrics, '  '))
  if (metrics.length > 0 && d.metrics.unchanged.length > 0) lines.push(`  ${d.metrics.unchanged.length} unchanged`)

  const params: string[][] = [
    ...d.parameters.changed.map((p) => [`~ ${p.name}`, `${show(p.a)} -> ${show(p.b)}`]),
    ...Object.entries(d.parameters.added).map(([name, v]) => [`+ ${name}`, show(v)]),
    ...Object.entries(d.parameters.removed).map(([name, v]) => [`- ${name}`, show(v)]),
  ]
  lines.push(params.length > 0 ? 'parameters' : 'parameters unchanged', ...table(params, '  '))
  if (params.length > 0 && d.parameters.unchanged.length > 0) lines.push(`  ${d.parameters.unchanged.length} unchanged`)
  return lines
}

function formatFilesDiff(d: FilesDiff): string[] {
  const rows: string[][] = [
    ...d.added.map((f) => [`+ ${f.path}`, formatBytes(f.size)]),
    ...d.removed.map((f) => [`- ${f.path}`, formatBytes(f.size)]),
    ...d.changed.map((f) => [`~ ${f.path}`, `${formatBytes(f.a.size)} -> ${formatBytes(f.b.size)}${f.sizeDelta === 0 ? ' (same size)' : ` (${signedBytes(f.sizeDelta)})`}`]),
  ]
  const lines = table(rows)
  lines.push(`${d.unchanged} file${d.unchanged === 1 ? '' : 's'} unchanged`)
  return lines
}

function formatBlobDiff(d: BlobDiff): string[] {
  const short = (sha: string) => sha.slice(0, 12)
  if (d.same) return [`identical  sha256 ${short(d.a.sha256)}  ${formatBytes(d.a.size)}`]
  return table([
    ['sha256', `${short(d.a.sha256)} -> ${short(d.b.sha256)}`],
    ['size', `${formatBytes(d.a.size)} -> ${formatBytes(d.b.size)}${d.sizeDelta === 0 ? '' : ` (${signedBytes(d.sizeDelta)})`}`],
  ])
}

/** The diff as text; column names, values and labels came from runs, so their control characters are shown escaped. */
export function formatDiff(result: DiffResult): string {
  return escapeControls(diffText(result), {multiline: true})
}

function diffText(result: DiffResult): string {
  switch (result.kind) {
    case 'dataset':
      return formatDatasetDiff(result).join('\n')
    case 'model':
      return formatModelDiff(result).join('\n')
    case 'files':
      return formatFilesDiff(result).join('\n')
    case 'blob':
      return formatBlobDiff(result).join('\n')
  }
}
