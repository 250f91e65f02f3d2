// The handler -> lode event protocol: the one schema lode checks every line of the pipe against. The TypeScript
// and Python SDKs send these shapes; the README lists them. Anything else is refused on its own, as a warning.
import {checkUserTag, validateKey} from '../artifacts/keys.ts'
import {ARTIFACT_KINDS, type HandlerEvent} from '../types.ts'

/** The latest time a JavaScript Date holds, in ms since the epoch. */
const MAX_DATE_MS = 8.64e15
/** A line up to this many bytes goes in one write, which the pipe never interleaves with another writer's. */
export const PIPE_BUF = 4096
/** The largest result a run keeps, as JSON: larger values belong in an artifact. */
export const MAX_RESULT_BYTES = 64 * 1024
/** The largest event lode reads (a dataset's statistics and preview fit many times over). */
export const MAX_EVENT_BYTES = 16 * 1024 * 1024

export type HandlerEventType = HandlerEvent['t']

/**
 * Sent instead of an event too large for one pipe write: the event's JSON is in `file`, a file of LODE_EVENT_DIR.
 * Files there that no line names (written by a process without the pipe) are read when the handler has ended.
 */
export interface EventRef {
  t: 'ref'
  file: string
}

export const EVENT_FILE_RE = /^[0-9]{13}-[0-9]+-[0-9]{8}-[0-9a-f]{8}\.json$/

type Check = (v: unknown) => string | null

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str: Check = (v) => (typeof v === 'string' ? null : 'a string')
const nonEmpty: Check = (v) => (typeof v === 'string' && v.length > 0 && v.length <= 255 ? null : 'a non-empty string (at most 255 characters)')
const num: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'a finite number')
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'true or false')
const count: Check = (v) => (Number.isInteger(v) && (v as number) >= 0 ? null : 'an integer >= 0')
const object: Check = (v) => (isObject(v) ? null : 'an object')
const array: Check = (v) => (Array.isArray(v) ? null : 'an array')
const oneOf = (values: readonly string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? null : `one of ${values.join(', ')}`)
const fraction: Check = (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? null : 'a number from 0 to 1')
const anyJson: Check = (v) => (v === undefined ? 'a JSON value' : null)
const stringMap: Check = (v) => (isObject(v) && Object.values(v).every((x) => typeof x === 'string') ? null : 'an object of strings')
const artifactKey: Check = (v) => {
  try {
    validateKey(v as string)
    return null
  } catch {
    return "letters, digits, '-', '_', '.', and '/' for grouping (e.g. datasets/train)"
  }
}

const userTag: Check = (v) => {
  try {
    checkUserTag(v as string)
    return null
  } catch {
    return "a tag of letters, digits, '-', '_' and '.' (not latest, not v<N>)"
  }
}

interface Shape {
  required: Record<string, Check>
  optional?: Record<string, Check>
}

/** Every field lode reads, per event type a handler may send. `ts` (ms since the epoch) is optional everywhere. */
export const HANDLER_EVENTS: Record<HandlerEventType, Shape> = {
  log: {required: {level: oneOf(['debug', 'info', 'warn', 'error']), msg: str}, optional: {fields: object}},
  result: {required: {key: nonEmpty, value: anyJson}},
  label: {required: {key: nonEmpty, value: str}},
  progress: {required: {fraction}, optional: {message: str}},
  artifact: {
    required: {key: artifactKey, kind: oneOf(ARTIFACT_KINDS), path: nonEmpty},
    optional: {
      format: str, labels: stringMap, iter: count, targetFormat: oneOf(['parquet', 'csv', 'ndjson', 'ipc']), preview: count, stats: bool,
      datasetMeta: object, schema: array, model: object, mime: str, tag: userTag, ack: nonEmpty,
    },
  },
  error: {required: {message: str}, optional: {stack: str}},
  warning: {required: {message: str}},
}

const LODE_EVENTS = new Set(['state', 'output', 'ingested', 'wf-state', 'wf-step'])

/** A line's parsed JSON as a handler event, or what is wrong with it (a sentence for the run's warnings). */
export function checkHandlerEvent(value: unknown): HandlerEvent | string {
  if (!isObject(value)) return 'an event must be a JSON object with a "t" field'
  const t = value.t
  if (typeof t !== 'string') return 'an event must have a "t" field naming its type'
  if (!Object.hasOwn(HANDLER_EVENTS, t)) {
    const known = Object.keys(HANDLER_EVENTS).join(', ')
    return LODE_EVENTS.has(t) ? `"${t}" events come only from lode, not from a handler (a handler sends ${known})` : `unknown event type "${t.slice(0, 40)}" (a handler sends ${known})`
  }
  const shape = HANDLER_EVENTS[t as HandlerEventType]
  const what = t === 'result' || t === 'label' || t === 'artifact' ? `${t}${typeof value.key === 'string' ? ` ${JSON.stringify(value.key.slice(0, 80))}` : ''}` : `"${t}" event`
  for (const [field, check] of Object.entries(shape.required)) {
    if (!Object.hasOwn(value, field)) return `${what}: missing "${field}"`
    const problem = check(value[field])
    if (problem) return `${what}: "${field}" must be ${problem}`
  }
  for (const [field, check] of Object.entries(shape.optional ?? {})) {
    if (!Object.hasOwn(value, field) || value[field] === undefined) continue
    const problem = check(value[field])
    if (problem) return `${what}: "${field}" must be ${problem}`
  }
  // a time a Date holds: 1e308 would be shown as NaN:NaN:NaN, and make toISOString() throw where the event is shown
  if (value.ts !== undefined && !(typeof value.ts === 'number' && value.ts >= 0 && value.ts <= MAX_DATE_MS)) return `${what}: "ts" must be ms since the epoch (a number from 0 to ${MAX_DATE_MS})`
  if (t === 'result') {
    const size = Buffer.byteLength(JSON.stringify(value.value))
    if (size > MAX_RESULT_BYTES) return resultTooLarge(String(value.key), size)
  }
  return {...value, ts: typeof value.ts === 'number' ? value.ts : Date.now()} as HandlerEvent
}

export function resultTooLarge(key: string, bytes: number): string {
  return `result ${JSON.stringify(key.slice(0, 80))} refused: ${humanSize(bytes)} of JSON is over the ${humanSize(MAX_RESULT_BYTES)} limit of a result; log it as an artifact instead (ctx.logArtifact / context.log_artifact)`
}

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} kB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export function isEventRef(value: unknown): value is EventRef {
  return isObject(value) && value.t === 'ref'
}
