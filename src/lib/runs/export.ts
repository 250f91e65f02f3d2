// `lode runs export`: one row per run, params.*, results.* and labels.* as columns, to CSV, NDJSON or Parquet.
// Parquet goes through nodejs-polars, imported only here and only for that format.
import {renameSync, rmSync, writeFileSync} from '../util/fs.ts'
import {checkOutputTarget} from '../util/output-target.ts'
import {dirname, extname, resolve} from 'node:path'
import {UserError} from '../errors.ts'
import {parseExpression} from '../query/parse.ts'
import type {Store} from '../store/store.ts'
import type {JsonValue, Run} from '../types.ts'

export type ExportFormat = 'csv' | 'ndjson' | 'parquet'
type Cell = string | number | boolean | null

export interface ExportResult {
  path: string
  format: ExportFormat
  rows: number
  columns: string[]
}

const FORMATS: Record<string, ExportFormat> = {'.csv': 'csv', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.parquet': 'parquet'}
/** What an output path can be wrong about, said of the path the user gave (not of the temp file beside it). */
const WRITE_PROBLEMS: Record<string, (out: string) => string> = {
  ENOENT: () => 'its folder does not exist',
  ENOTDIR: (out) => `${dirname(out)} is not a folder`,
  EISDIR: () => 'it is a folder',
  EACCES: () => 'permission denied',
  EPERM: () => 'permission denied',
  EROFS: () => 'the file system is read-only',
}
const FIXED = ['uid', 'name', 'state', 'kind', 'function', 'handler', 'created', 'started', 'ended', 'duration_ms'] as const

export async function exportRuns(store: Store, f: {where?: string; output: string; limit?: number}): Promise<ExportResult> {
  const format = FORMATS[extname(f.output).toLowerCase()]
  if (!format) throw new UserError(`Cannot tell the format of "${f.output}" from its extension.`, 'Name the file .csv, .ndjson (or .jsonl) or .parquet')
  const where = f.where === undefined ? undefined : parseExpression(f.where, {source: '--where'})
  const runs = store.runs.list({where, limit: f.limit ?? Number.MAX_SAFE_INTEGER})
  const {columns, rows} = runTable(runs)
  const path = resolve(f.output)
  checkOutputTarget(store.dir, path)
  // written beside the target, then renamed: a failed export leaves no half-written file under its name
  const temp = `${path}.${process.pid}.tmp`
  try {
    if (format === 'parquet') await writeParquet(temp, columns, rows)
    else writeFileSync(temp, format === 'csv' ? toCsv(columns, rows) : toNdjson(columns, rows))
    renameSync(temp, path)
  } catch (error) {
    try {
      rmSync(temp, {force: true})
    } catch {
      /* nothing was written there: its folder is not one */
    }
    const why = WRITE_PROBLEMS[(error as NodeJS.ErrnoException).code ?? '']
    if (why) throw new UserError(`Cannot write ${f.output}: ${why(f.output)}.`, 'Name a file in a folder that exists and you can write to.')
    throw error
  }
  return {path, format, rows: runs.length, columns}
}

/** The columns: the fixed ones, then every params, results and labels key any run has, sorted. */
export function runTable(runs: Run[]): {columns: string[]; rows: Cell[][]} {
  const keys = (pick: (r: Run) => Record<string, JsonValue>, prefix: string) =>
    [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort().map((k) => ({name: `${prefix}.${k}`, get: (r: Run) => pick(r)[k]}))
  const dynamic = [...keys((r) => r.params, 'params'), ...keys((r) => r.results, 'results'), ...keys((r) => r.labels, 'labels')]
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  const rows = runs.map((r): Cell[] => [
    r.uid, r.name, r.state, r.kind, r.function, r.handler, iso(r.created), iso(r.started), iso(r.ended),
    r.started !== null && r.ended !== null ? r.ended - r.started : null,
    ...dynamic.map((d) => cell(d.get(r))),
  ])
  return {columns: [...FIXED, ...dynamic.map((d) => d.name)], rows}
}

/** Scalars as they are; lists and maps as their JSON text. */
function cell(v: JsonValue | undefined): Cell {
  if (v === undefined || v === null) return null
  return typeof v === 'object' ? JSON.stringify(v) : v
}

export function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * Text a spreadsheet would run as a formula (= + - @, or a tab or carriage return before one) gets a leading ', as
 * spreadsheet tools advise for exported data; numbers stay as they are.
 */
export function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

function toCsv(columns: string[], rows: Cell[][]): string {
  const text = (c: Cell) => (c === null ? '' : csvCell(typeof c === 'string' ? inertText(c) : String(c)))
  return [columns, ...rows].map((row) => row.map(text).join(',')).join('\n') + '\n'
}

function toNdjson(columns: string[], rows: Cell[][]): string {
  return rows.map((row) => JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])))).join('\n') + (rows.length ? '\n' : '')
}

/** A column of numbers only is Float64, of booleans only Boolean, anything else text. */
async function writeParquet(path: string, columns: string[], rows: Cell[][]): Promise<void> {
  const {default: pl} = await import('nodejs-polars')
  const series = columns.map((name, i) => {
    const values = rows.map((r) => r[i] ?? null)
    const present = values.filter((v) => v !== null)
    if (present.length > 0 && present.every((v) => typeof v === 'number')) return pl.Series(name, values as (number | null)[], pl.Float64)
    if (present.length > 0 && present.every((v) => typeof v === 'boolean')) return pl.Series(name, values as (boolean | null)[], pl.Bool)
    return pl.Series(name, values.map((v) => (v === null ? null : String(v))), pl.Utf8)
  })
  // to bytes, then to the file: polars' own file errors are panics without an error code
  writeFileSync(path, pl.DataFrame(series).writeParquet())
}
