// What the handler sends, checked at the edge: every line of its event pipe, and the event files of LODE_EVENT_DIR.
// A bad event is refused on its own and recorded as a warning on the run; nothing a handler sends stops lode.
import {closeSync, constants, fstatSync, openSync, readFileSync, readdirSync, rmSync} from '../util/fs.ts'
import {join} from 'node:path'
import {checkHandlerEvent, EVENT_FILE_RE, HANDLER_EVENTS, humanSize, isEventRef, MAX_EVENT_BYTES} from '../sdk/protocol.ts'
import type {ArtifactEvent, HandlerEvent, JsonValue, RunEvent} from '../types.ts'
import {parseJsonExact} from '../util/json-exact.ts'
import type {SecretMask} from '../secrets/mask.ts'
import type {EarlyStore} from './early-store.ts'

/** The run's record keeps this many warnings; the rest are counted. */
const MAX_WARNINGS = 100
/** A run's results and labels, in all, as JSON: its record is read whole by runs ls and runs get, for every run listed. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024
/** A warning is cut here (it is kept in the record and printed as one line), an error's message and stack there. */
const MAX_WARNING_CHARS = 4096
const MAX_ERROR_CHARS = 64 * 1024
/** Deeper than any value an SDK sends (Python's own json stops near 1000); lode's checks and records recurse through it. */
const MAX_EVENT_DEPTH = 1000

export interface Received {
  /** by user text: maps without a prototype, so `__proto__` or `constructor` are keys like any other */
  results: Record<string, JsonValue>
  labels: Record<string, string>
  artifacts: ArtifactEvent[]
  failure: {message: string; stack?: string} | null
  /** lines that were not JSON: torn by writers that interleaved, or not events at all */
  unreadable: number
  warnings: string[]
  warn(message: string): void
  /** text with every secret value masked (for messages lode makes from what the handler sent, e.g. its paths) */
  mask(text: string): string
  onEventLine(line: string): void
  onOversizeLine(chars: number): void
  /** after the handler ended: the event files no line referred to (sent by processes without the pipe) */
  drainEventDir(): void
  /** hashes staged files as they are logged, for the run's end to use */
  early?: EarlyStore
}

export interface ReceiveSink {
  emit(e: RunEvent): void
  note(line: string): void
}

/** Secret values are masked in everything received (values, keys, warnings) before it is kept or shown. */
export function receiveEvents(uid: string, labels: Record<string, string>, eventDir: string, journal: ReceiveSink, mask: SecretMask, early?: EarlyStore): Received {
  let warned = 0
  /** bytes of each result and label kept (by `result:KEY`, `label:KEY`), and their sum */
  const recordSizes = new Map<string, number>()
  let recordBytes = 0
  const received: Received = {
    results: Object.create(null) as Record<string, JsonValue>,
    labels: Object.assign(Object.create(null) as Record<string, string>, labels),
    artifacts: [],
    failure: null,
    unreadable: 0,
    warnings: [],
    ...(early ? {early} : {}),
    warn(text) {
      const message = cut(mask.text(text), MAX_WARNING_CHARS)
      warned++
      if (warned <= MAX_WARNINGS) {
        received.warnings.push(message)
        journal.emit({t: 'warning', ts: Date.now(), run: uid, message})
      } else {
        received.warnings[MAX_WARNINGS] = `${warned - MAX_WARNINGS} more warning${warned - MAX_WARNINGS > 1 ? 's' : ''} (see lode runs logs --events)`
      }
    },
    mask: (text) => mask.text(text),
    onEventLine(line) {
      const value = parse(line)
      if (value === undefined) return
      if (isEventRef(value)) {
        const file = typeof value.file === 'string' && EVENT_FILE_RE.test(value.file) ? value.file : null
        if (!file) return received.warn(`"ref" event: "file" must name a file of LODE_EVENT_DIR, got ${JSON.stringify(value.file)?.slice(0, 100)}`)
        return readEventFile(file)
      }
      accept(value)
    },
    onOversizeLine(chars) {
      received.warn(`an event line of ${humanSize(chars)} was refused unread: events are at most ${humanSize(MAX_EVENT_BYTES)}; log large values as artifacts`)
    },
    drainEventDir() {
      let names: string[]
      try {
        names = readdirSync(eventDir).filter((n) => EVENT_FILE_RE.test(n)).sort()
      } catch {
        return
      }
      for (const name of names) readEventFile(name)
    },
  }

  function parse(line: string): unknown {
    try {
      return parseJsonExact(line)
    } catch {
      received.unreadable++
      return undefined
    }
  }

  function readEventFile(name: string): void {
    const path = join(eventDir, name)
    let fd: number | undefined
    try {
      // the handler writes this folder: a FIFO there (opened without waiting for a writer) or a link to /dev/zero
      // would block lode, or read for ever; only a plain file is read
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW)
      const st = fstatSync(fd)
      if (!st.isFile()) return received.warn(`event file ${name} was refused: it is not a plain file`)
      const size = st.size
      if (size > MAX_EVENT_BYTES) return received.warn(`an event of ${humanSize(size)} was refused: events are at most ${humanSize(MAX_EVENT_BYTES)}; log large values as artifacts`)
      const value = parse(readFileSync(fd, 'utf8'))
      if (value === undefined) return
      if (isEventRef(value)) return received.warn('a "ref" event cannot refer to another')
      accept(value)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      received.warn(code === 'ELOOP' ? `event file ${name} was refused: it is a symbolic link` : `event file ${name} could not be read: ${(error as Error).message}`)
    } finally {
      if (fd !== undefined) closeSync(fd)
      rmSync(path, {force: true})
    }
  }

  function accept(value: unknown): void {
    // JSON.parse reads any depth, but a value nested 100,000 deep would overflow the stack of what follows (and end lode)
    if (deeperThan(value, MAX_EVENT_DEPTH)) return received.warn(`an event nested deeper than ${MAX_EVENT_DEPTH} levels was refused: log such a value as an artifact`)
    // checked as sent, then masked: a secret that is a word of the protocol ("value", "result") must not unmake it
    const checked = checkHandlerEvent(value)
    if (typeof checked === 'string') return received.warn(checked)
    const sent = ownFields(checked)
    const e = maskEvent(sent, mask)
    if (e.t === 'warning') return received.warn(e.message)
    // an artifact is addressed by its key and tag: one that held a secret's value cannot be stored under it
    if (e.t === 'artifact' && sent.t === 'artifact' && (e.key !== sent.key || e.tag !== sent.tag)) {
      return received.warn(`artifact ${JSON.stringify(e.key)}: its ${e.key !== sent.key ? 'key' : 'tag'} holds a secret's value, so it was not stored`)
    }
    if (e.t === 'result' || e.t === 'label') {
      // 3,000 results of 60 kB each made a 180 MB record, and runs ls took 1.3 GB to list it
      const id = `${e.t}:${e.key}`
      const size = Buffer.byteLength(e.key) + Buffer.byteLength(JSON.stringify(e.value))
      const total = recordBytes - (recordSizes.get(id) ?? 0) + size
      if (total > MAX_RECORD_BYTES) return received.warn(`${e.t} ${JSON.stringify(e.key.slice(0, 80))} refused: the run's results and labels would be over ${humanSize(MAX_RECORD_BYTES)} of JSON in all; log large or many values as an artifact`)
      recordSizes.set(id, size)
      recordBytes = total
    }
    // the file is read where it is: only what is recorded and shown of its path is masked
    collect(e, sent.t === 'artifact' ? sent.path : '', sent.t === 'artifact' ? sent.ack : undefined)
    journal.emit({...e, run: uid} as RunEvent)
  }

  function collect(e: HandlerEvent, path: string, ack: string | undefined): void {
    if (e.t === 'result') received.results[e.key] = e.value
    else if (e.t === 'label') received.labels[e.key] = e.value
    else if (e.t === 'artifact') {
      const a = {...e, path, ...(ack !== undefined ? {ack} : {})}
      received.artifacts.push(a)
      if (early && !early.note(a)) received.warn(`artifact ${JSON.stringify(e.key)}: "ack" is for a file of kind artifact or plot, and must name a file of the staging area; no answer was written`)
    }
    else if (e.t === 'error') received.failure = {message: cut(e.message, MAX_ERROR_CHARS), ...(e.stack ? {stack: cut(e.stack, MAX_ERROR_CHARS)} : {})}
    else if (e.t === 'log') journal.note(`[${e.level}] ${e.msg}${e.fields ? ` ${Object.entries(e.fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')}` : ''}`)
  }

  return received
}

/** `text` cut at `max` characters, saying so. */
function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}... [cut at ${max} characters]`
}

/** Whether arrays and objects nest deeper than `limit` in `value`: without recursion, and stopping at the first too deep. */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length) {
    const [v, depth] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (depth >= limit) return true
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (x !== null && typeof x === 'object') stack.push([x, depth + 1])
  }
  return false
}

/** Fields whose values are the protocol's own words or numbers, never text from the handler: not masked. */
const STRUCTURAL = new Set(['t', 'ts', 'level', 'kind', 'targetFormat', 'iter', 'preview', 'stats', 'fraction'])
/** Fields whose keys are the handler's own names (and so masked too); elsewhere only values are, keys are structure. */
const USER_KEYED = new Set(['value', 'fields', 'labels'])

/** A checked event with every secret value masked in what the handler wrote: its text, not its structure. */
function maskEvent(e: HandlerEvent, mask: SecretMask): HandlerEvent {
  const out: Record<string, unknown> = {}
  for (const [field, v] of Object.entries(e)) {
    out[field] = STRUCTURAL.has(field) ? v : USER_KEYED.has(field) ? mask.value(v) : maskValues(v, mask)
  }
  return out as unknown as HandlerEvent
}

function maskValues(v: unknown, mask: SecretMask): unknown {
  if (typeof v === 'string') return mask.text(v)
  if (Array.isArray(v)) return v.map((x) => maskValues(x, mask))
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskValues(x, mask)]))
  return v
}

/** The event with only the fields of its type: a handler's own `run`, `workflow`, `step` or `iter` would otherwise
 * pass for lode's in what is stored and forwarded. */
function ownFields(e: HandlerEvent): HandlerEvent {
  const shape = HANDLER_EVENTS[e.t]
  const from = e as unknown as Record<string, unknown>
  const kept: Record<string, unknown> = {t: e.t, ts: e.ts}
  for (const field of [...Object.keys(shape.required), ...Object.keys(shape.optional ?? {})]) if (Object.hasOwn(from, field)) kept[field] = from[field]
  return kept as unknown as HandlerEvent
}
