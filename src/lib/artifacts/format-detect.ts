// Which tabular format a file holds, by its name or its first bytes, without loading polars (formats.ts reads and
// writes them): a run given a data file, or a handler logging one, learns its format at no cost.
import {closeSync, openSync, readSync} from '../util/fs.ts'
import {extname} from 'node:path'
import {UserError} from '../errors.ts'

export type DataFormat = 'csv' | 'tsv' | 'parquet' | 'json' | 'ndjson' | 'ipc'
export const DATA_FORMATS: readonly DataFormat[] = ['csv', 'tsv', 'parquet', 'json', 'ndjson', 'ipc']

const FORMAT_BY_EXTENSION: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.ipc': 'ipc',
  '.arrow': 'ipc',
  '.feather': 'ipc',
}

/** Format names users and other tools write, mapped to ours (`jsonl`, `arrow`, `feather`, `pq`). */
export function parseDataFormat(name: string): DataFormat | undefined {
  const lower = name.toLowerCase().replace(/^\./, '')
  return (DATA_FORMATS as readonly string[]).includes(lower) ? (lower as DataFormat) : FORMAT_BY_EXTENSION[`.${lower}`]
}

export function formatFromExtension(path: string): DataFormat | undefined {
  return FORMAT_BY_EXTENSION[extname(path).toLowerCase()]
}

export const SNIFF_BYTES = 64 * 1024

export function readHead(path: string, bytes: number): Buffer {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    throw new UserError(`Cannot open data file ${path}: ${(error as Error).message}`)
  }
  try {
    const buf = Buffer.alloc(bytes)
    const n = readSync(fd, buf, 0, bytes, 0)
    return buf.subarray(0, n)
  } finally {
    closeSync(fd)
  }
}

/** Detect a data format from the bytes: Parquet and Arrow magic, JSON array or lines, else CSV or TSV. */
export function formatFromContent(head: Buffer): DataFormat {
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet'
  if (head.subarray(0, 6).toString('latin1') === 'ARROW1') return 'ipc'
  const text = head.toString('utf8').replace(/^\uFEFF/, '')
  const start = text.search(/\S/)
  if (start >= 0 && text[start] === '[') return 'json'
  if (start >= 0 && text[start] === '{') {
    const firstLine = text.slice(start).split(/\r?\n/, 1)[0] ?? ''
    try {
      JSON.parse(firstLine)
      return 'ndjson'
    } catch {
      return 'json'
    }
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
  const tabs = firstLine.split('\t').length - 1
  const commas = firstLine.split(',').length - 1
  return tabs > commas ? 'tsv' : 'csv'
}

/** The format of a data file: the hint when given, else the extension, else the content. */
export function detectFormat(path: string, hint?: string): DataFormat {
  if (hint) {
    const format = parseDataFormat(hint)
    if (!format) throw new UserError(`Unknown data format "${hint}" for ${path}`, `Use one of: ${DATA_FORMATS.join(', ')}`)
    return format
  }
  return formatFromExtension(path) ?? formatFromContent(readHead(path, SNIFF_BYTES))
}
