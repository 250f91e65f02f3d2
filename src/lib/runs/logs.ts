// `lode runs logs`: a run's output.log or events.jsonl streamed to stdout (a log can be larger than any string), or,
// under --json, the last JSON_TAIL_BYTES of it, said so.
import {closeSync, createReadStream, fstatSync, openSync, readSync} from '../util/fs.ts'
import {join} from 'node:path'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {humanSize} from '../util/format.ts'
import {escapeControls, escapeJsonControls} from '../views/format.ts'

/** What --json returns of a log at most: a JSON envelope must fit in one string, and a script rarely wants more. */
export const JSON_TAIL_BYTES = 8 * 1024 * 1024

export interface LogsJson {
  uid: string
  /** output.log, or its last JSON_TAIL_BYTES when `truncated` */
  output: string
  /** the size of output.log in bytes */
  bytes: number
  truncated: boolean
  /** with --events: the events of events.jsonl (its last JSON_TAIL_BYTES when `eventsTruncated`) */
  events?: unknown[]
  eventsTruncated?: boolean
}

/** The last `limit` bytes of a file as text, starting on a whole character; '' for a missing file. */
function readTail(path: string, limit: number): {text: string; bytes: number; truncated: boolean} {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return {text: '', bytes: 0, truncated: false}
  }
  try {
    const bytes = fstatSync(fd).size
    const start = Math.max(0, bytes - limit)
    const buf = Buffer.alloc(bytes - start)
    let read = 0
    while (read < buf.length) {
      const n = readSync(fd, buf, read, buf.length - read, start + read)
      if (n === 0) break
      read += n
    }
    let from = 0
    // UTF-8 continuation bytes (10xxxxxx) belong to a character cut off at the start
    if (start > 0) while (from < read && (buf[from]! & 0xc0) === 0x80) from++
    return {text: buf.subarray(from, read).toString('utf8'), bytes, truncated: start > 0}
  } finally {
    closeSync(fd)
  }
}

function parseEvents(text: string, truncated: boolean): unknown[] {
  // a tail starts inside a line: that line is dropped
  const lines = text.split('\n').slice(truncated ? 1 : 0).filter((l) => l.trim())
  return lines.map((l) => JSON.parse(l) as unknown)
}

export function runLogsJson(runDir: string, uid: string, o: {events: boolean; note: (text: string) => void}): LogsJson {
  const out = readTail(join(runDir, 'output.log'), JSON_TAIL_BYTES)
  const result: LogsJson = {uid, output: out.text, bytes: out.bytes, truncated: out.truncated}
  const again = `the whole log: lode runs logs ${uid.slice(0, 8)}${o.events ? ' --events' : ''} > run.log`
  if (out.truncated) o.note(`output.log is ${humanSize(out.bytes)}: "output" holds its last ${humanSize(JSON_TAIL_BYTES)} (truncated: true); ${again}`)
  if (o.events) {
    const ev = readTail(join(runDir, 'events.jsonl'), JSON_TAIL_BYTES)
    result.events = parseEvents(ev.text, ev.truncated)
    result.eventsTruncated = ev.truncated
    if (ev.truncated) o.note(`events.jsonl is ${humanSize(ev.bytes)}: "events" holds the events of its last ${humanSize(JSON_TAIL_BYTES)} (eventsTruncated: true); ${again}`)
  }
  return result
}

/**
 * Copy a run's log to `out`, in pieces. Piped, output.log goes as its exact bytes; on a terminal its control
 * characters are shown escaped. Events are JSON lines with such characters as \u escapes either way.
 * Returns the bytes read; a reader that stops early (`| head`) ends the copy quietly.
 */
export async function streamRunLog(runDir: string, o: {events: boolean; out: NodeJS.WriteStream}): Promise<number> {
  const path = join(runDir, o.events ? 'events.jsonl' : 'output.log')
  const escape = o.events ? escapeJsonControls : o.out.isTTY ? (text: string) => escapeControls(text, {multiline: true}) : null
  let bytes = 0
  const source = createReadStream(path, escape ? {encoding: 'utf8'} : {})
  source.on('data', (chunk: string | Buffer) => (bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length))
  const steps: NodeJS.ReadWriteStream[] = escape ? [new Transform({decodeStrings: false, encoding: 'utf8', transform(chunk: string, _enc, done) {
    done(null, escape(chunk))
  }})] : []
  try {
    await pipeline([source, ...steps, o.out], {end: false})
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return 0
    if (code !== 'EPIPE' && code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error
  }
  return bytes
}
