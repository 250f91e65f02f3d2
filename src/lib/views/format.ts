// Small formatters shared by the ink views and the plain lines.

import type {JsonValue, RunState} from '../types.ts'

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']

/** 1234567 -> "1.2 MB" (decimal units, as `ls -h --si` and most download tools show). */
export function humanBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?'
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000
    unit++
  }
  if (unit === 0) return `${value} B`
  const digits = value < 10 ? 1 : 0
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`
}

/** 3200 -> "3.2s", 754 -> "754ms", 125000 -> "2m05s", 7384000 -> "2h03m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-'
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`
  const totalSeconds = Math.floor(ms / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  if (hours === 0) return `${minutes}m${String(seconds).padStart(2, '0')}s`
  return `${hours}h${String(minutes).padStart(2, '0')}m`
}

/** How long ago `ts` was: "12s ago", "5m ago", "3h ago", "2d ago". */
export function formatAge(ts: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - ts) / 1000))
  if (seconds < 60) return `${seconds}s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`
  return `${Math.floor(seconds / 86_400)}d ago`
}

/** Local wall-clock time of a timestamp in milliseconds: "12:03:04". */
export function formatClock(ts: number): string {
  const date = new Date(ts)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
}

// C0 controls but tab (and newline, where kept), DEL, C1 controls (U+009B is a CSI on its own), the bidi embeddings,
// overrides and isolates (they reorder what follows on the line) and the Unicode line separators.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u2028\u2029]/g
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u2028\u2029]/g

function visible(c: string): string {
  const code = c.charCodeAt(0)
  if (c === '\n') return '\\n'
  if (c === '\r') return '\\r'
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * Text from a run (its output, logs, results, labels, errors, artifact metadata) made safe to print: control
 * characters and escape sequences are shown, not obeyed (`\x1b]52;...` instead of a clipboard write). Newlines are
 * kept with `multiline` (a log, a stack); tabs always.
 */
export function escapeControls(text: string, options: {multiline?: boolean} = {}): string {
  return text.replace(options.multiline ? UNSAFE_BUT_NEWLINE : UNSAFE, visible)
}

/**
 * JSON lines (events.jsonl) safe to print and still the same JSON: the characters escapeControls shows are written as
 * \\u escapes (JSON.stringify leaves C1 and bidi controls raw).
 */
export function escapeJsonControls(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** A result value on one line: numbers as given, strings bare, anything else as compact JSON; controls escaped. */
export function formatValue(value: JsonValue, maxLength = 60): string {
  let text: string
  if (typeof value === 'string') text = value
  else if (typeof value === 'number') text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)))
  else text = JSON.stringify(value)
  return truncate(escapeControls(text.replaceAll('\n', ' ')), maxLength)
}

export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text
  return `${text.slice(0, Math.max(0, maxLength - 1))}…`
}

/** The first characters of a run uid, enough to name it on the command line. */
export function shortUid(uid: string, length = 8): string {
  return uid.slice(0, length)
}

/** The function as a user would type it: `train.ts#train`, or just the function when there is no handler. */
export function functionLabel(fn: string | null, handler: string | null): string {
  if (!fn) return handler ?? ''
  return handler ? `${fn}#${handler}` : fn
}

export function percent(fraction: number): string {
  return `${Math.round(clampFraction(fraction) * 100)}%`
}

export function clampFraction(fraction: number): number {
  if (!Number.isFinite(fraction)) return 0
  return Math.min(1, Math.max(0, fraction))
}

/** The colour a state is shown in, named as ink's <Text color> and the plain palette both know it. */
export function stateColor(state: RunState): 'green' | 'red' | 'yellow' | 'cyan' | 'gray' {
  switch (state) {
    case 'completed': return 'green'
    case 'error': return 'red'
    case 'aborted': return 'yellow'
    case 'running': return 'cyan'
    case 'created': return 'gray'
    case 'queued': return 'gray'
    // display-only states, such as `stale` (running, but its lode process is gone)
    default: return 'yellow'
  }
}

export function isTerminalState(state: RunState): boolean {
  return state === 'completed' || state === 'error' || state === 'aborted'
}

export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(',')
}
