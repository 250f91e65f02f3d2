// Tabular file formats: detect, read, write and convert with nodejs-polars, whatever the file is named.
import {readFileSync} from '../util/fs.ts'
import pl from 'nodejs-polars'
import {UserError} from '../errors.ts'
import {dtypeFromName} from './dtypes.ts'
import {DATA_FORMATS, detectFormat, readHead, SNIFF_BYTES, type DataFormat} from './format-detect.ts'

export {DATA_FORMATS, detectFormat, formatFromContent, formatFromExtension, parseDataFormat, type DataFormat} from './format-detect.ts'

function unreadable(path: string, format: DataFormat, error: unknown): UserError {
  const reason = error instanceof Error ? error.message.split('\n', 1)[0] : String(error)
  return new UserError(
    `Cannot read ${path} as ${format}: ${reason}`,
    `Check the file, or name its format explicitly (${DATA_FORMATS.join(', ')})`,
  )
}

/** A file with nothing but whitespace in it (looked for in its first 64 kB; a longer file is not blank). */
function isBlank(path: string): boolean {
  const head = readHead(path, SNIFF_BYTES + 1)
  return head.length <= SNIFF_BYTES && head.toString('latin1').trim() === ''
}

/** The type of every column of a CSV file, in file order, as dtypeName() writes them. */
export type ColumnTypes = readonly {name: string; dtype: string}[]

/**
 * Read a data file into a DataFrame. Polars decides "path or inline text" by the file extension, so every
 * reader here takes a path through a scan function or the file's bytes as a Buffer, never a bare string.
 * `csvTypes`, when the writer knew them, are the CSV's column types (a CSV alone turns "007" into 7).
 */
export function readFrame(path: string, format?: string, csvTypes?: ColumnTypes): pl.DataFrame {
  const fmt = detectFormat(path, format)
  try {
    if (csvTypes?.length && (fmt === 'csv' || fmt === 'tsv')) {
      const typed = readTypedCsv(path, fmt, csvTypes)
      if (typed) return typed
    }
    return readAs(path, fmt)
  } catch (error) {
    if (error instanceof UserError) throw error
    throw unreadable(path, fmt, error)
  }
}

function readAs(path: string, format: DataFormat): pl.DataFrame {
  switch (format) {
    case 'csv':
    case 'tsv': {
      // An empty file (or only line ends: what pandas writes for a frame without columns) has no header to
      // scan; polars would fail with "no data: empty CSV".
      if (isBlank(path)) return pl.DataFrame({})
      const sep = format === 'tsv' ? '\t' : ','
      try {
        return pl.scanCSV(path, {sep, glob: false, inferSchemaLength: 10_000}).collectSync()
      } catch {
        // A value late in the file that does not fit the inferred type (1.5 after 10,000 integers): infer
        // from every row. `inferSchemaLength: null` means "all rows as strings" in nodejs-polars 0.25, and
        // polars allocates for the length given, so give it the file's line count.
        return pl.scanCSV(path, {sep, glob: false, inferSchemaLength: countLines(path) + 1}).collectSync()
      }
    }
    case 'parquet':
      return pl.scanParquet(path, {glob: false}).collectSync()
    case 'ipc':
      return pl.readIPC(readFileSync(path))
    case 'json':
      return pl.readJSON(readFileSync(path), {format: 'json'})
    case 'ndjson':
      // No lines (an SDK's empty list of records): polars cannot infer types from nothing.
      if (isBlank(path)) return pl.DataFrame({})
      // readJSON(..., {format: 'lines'}) is broken in nodejs-polars 0.25; the scanner works.
      return pl.scanJson(path).collectSync()
  }
}

/** The CSV read with the given types; null when a type is unknown or the file does not parse with them. */
function readTypedCsv(path: string, format: 'csv' | 'tsv', types: ColumnTypes): pl.DataFrame | null {
  const schema: Record<string, pl.DataType> = {}
  for (const {name, dtype} of types) {
    const type = dtypeFromName(dtype)
    if (!type) return null
    schema[name] = type
  }
  try {
    const df = pl.scanCSV(path, {sep: format === 'tsv' ? '\t' : ',', glob: false, schema}).collectSync()
    return df.columns.join('\0') === types.map((t) => t.name).join('\0') ? df : null
  } catch {
    return null
  }
}

function countLines(path: string): number {
  const bytes = readFileSync(path)
  let lines = 0
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++
  return lines
}

/** Write a DataFrame in the given format, whatever the destination is named. */
export function writeFrame(df: pl.DataFrame, path: string, format: DataFormat): void {
  switch (format) {
    case 'csv':
      df.writeCSV(path)
      return
    case 'tsv':
      df.writeCSV(path, {separator: '\t'})
      return
    case 'parquet':
      df.writeParquet(path)
      return
    case 'ipc':
      df.writeIPC(path)
      return
    case 'json':
      df.writeJSON(path, {format: 'json'})
      return
    case 'ndjson':
      df.writeJSON(path, {format: 'lines'})
      return
  }
}

/**
 * The same as writeFrame, leaving the event loop free. Parquet goes through polars' streaming sink, which
 * encodes columns on polars' thread pool (writeParquet encodes on the calling thread): the same bytes
 * layout and options as writeParquet's defaults, and faster on more than one core. A frame the streaming
 * engine cannot take is written by writeParquet.
 */
export async function writeFrameAsync(df: pl.DataFrame, path: string, format: DataFormat): Promise<void> {
  if (format !== 'parquet') return writeFrame(df, path, format)
  try {
    await df.lazy().sinkParquet(path, {compression: 'uncompressed'}).collect()
  } catch {
    df.writeParquet(path)
  }
}

/** Convert a data file between formats; returns the frame read, so a caller can describe it without reading again. */
export function convertFile(src: string, srcFormat: string | undefined, dest: string, destFormat: DataFormat, csvTypes?: ColumnTypes): pl.DataFrame {
  const df = readFrame(src, srcFormat, csvTypes)
  writeFrame(df, dest, destFormat)
  return df
}
