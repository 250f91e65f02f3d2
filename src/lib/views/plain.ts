// Plain lines: the same information as the live views, one timestamped line per event, no cursor movement.
// Colour only through a Palette, so NO_COLOR / FORCE_COLOR / non-TTY decide it in one place (color.ts).

import type {LogLevel, RunEvent} from '../types.ts'
import {palette, type Palette} from './color.ts'
import {escapeControls as esc, formatClock, formatDuration, formatValue, functionLabel, humanBytes, percent, shortUid} from './format.ts'
import {abortedText, logText, runDurationMs, type RunViewModel} from './run-model.ts'
import {replaceNewlines, type Alloc, type Write} from './output-bytes.ts'
import {formatTable} from './table.ts'

export interface PlainOptions {
  color?: boolean | Palette
}

export interface EventLineOptions extends PlainOptions {
  /** put after the clock, e.g. the step of a workflow: `[train] ` */
  prefix?: string
}

export function paletteOf(options: PlainOptions): Palette {
  const {color} = options
  if (typeof color === 'object') return color
  return palette(color ?? false)
}

function levelPaint(p: Palette, level: LogLevel | 'stdout' | 'stderr'): (text: string) => string {
  switch (level) {
    case 'error': return p.red
    case 'warn': return p.yellow
    case 'debug': return p.dim
    case 'stderr': return p.yellow
    default: return (text) => text
  }
}

/**
 * One event as one line, or null for events that add nothing a reader needs. `model` is the run's model
 * after the event was applied (it knows the function and the start time).
 */
export function formatRunEventLine(event: RunEvent, model: RunViewModel, options: EventLineOptions = {}): string | null {
  const p = paletteOf(options)
  const line = (text: string) => `${p.dim(formatClock(event.ts))} ${options.prefix ?? ''}${text}`
  switch (event.t) {
    case 'state': {
      if (event.state === 'created') return null
      if (event.state === 'queued') {
        if (!event.job) return null // submitted a moment later, with its job id
        const job = event.job ? ` ${event.job.runtime} job ${esc(event.job.id)}${event.job.reason ? ` (${esc(event.job.reason)})` : ''}` : ''
        return line(`run ${p.bold(shortUid(model.uid || event.run))} queued${job}`)
      }
      if (event.state === 'running') {
        const fn = esc(functionLabel(model.function, model.handler))
        return line(`run ${p.bold(shortUid(model.uid || event.run))} ${p.cyan('running')}${fn ? ` ${fn}` : ''}`)
      }
      return line(finalText(model, event.ts, p))
    }
    case 'progress': {
      const message = esc(event.message ?? '')
      return line(`progress ${percent(event.fraction)}${message ? ` ${message}` : ''}`)
    }
    case 'result':
      return line(`result ${esc(event.key)}=${formatValue(event.value, 200)}`)
    case 'label':
      return line(`label ${esc(event.key)}=${esc(event.value)}`)
    case 'log': {
      return line(levelPaint(p, event.level)(`${event.level.padEnd(5)} ${esc(logText(event.msg, event.fields), {multiline: true})}`))
    }
    case 'output':
      return line(levelPaint(p, event.stream)(`${event.stream === 'stdout' ? 'out' : 'err'}   ${esc(event.line)}`))
    case 'artifact':
      return line(`artifact ${esc(event.key)} (${event.kind}, pending)`)
    case 'ingested': {
      const {artifact} = event
      return line(`artifact ${esc(artifact.key)} (${artifact.kind}, ${humanBytes(artifact.size)}) ${esc(artifact.uri)}`)
    }
    case 'error':
      // the handler's traceback is already in its output, and the closing line gives the message
      return null
    case 'warning':
      return line(p.yellow(`warning ${event.message}`))
    default:
      return null
  }
}

const NEWLINES = /\n/g

/**
 * Output lines as formatRunEventLine shows each (`12:03:04 out   text`), for lines joined by `\n` that arrived
 * together: one split and one join, not a call per line. `safe` says they need no escaping (createOutputLines).
 */
export function formatOutputLines(stream: 'stdout' | 'stderr', ts: number, text: string, safe: boolean, options: EventLineOptions = {}): string {
  const p = paletteOf(options)
  const [open = '', close = ''] = levelPaint(p, stream)('\n').split('\n')
  const lead = `${p.dim(formatClock(ts))} ${options.prefix ?? ''}${open}${stream === 'stdout' ? 'out' : 'err'}   `
  const lines = safe ? text : esc(text, {multiline: true})
  // a global replace of one character by a fixed string runs natively, with no string or call per line
  const between = `${close}\n${lead}`.replaceAll('$', '$$$$')
  return lead + lines.replace(NEWLINES, between) + close
}

/**
 * formatOutputLines for lines given as bytes (createOutputLines' onPlainBytes), ending in a newline: the bytes to
 * write, made without decoding them (with `write`, handed to it instead, and an empty buffer answered); null when they
 * are not plain text (isPlainText) and must be escaped.
 */
export function formatOutputBytes(stream: 'stdout' | 'stderr', ts: number, parts: readonly Uint8Array[], options: EventLineOptions & {alloc?: Alloc; write?: Write} = {}): Buffer | null {
  const p = paletteOf(options)
  const [open = '', close = ''] = levelPaint(p, stream)('\n').split('\n')
  const lead = `${p.dim(formatClock(ts))} ${options.prefix ?? ''}${open}${stream === 'stdout' ? 'out' : 'err'}   `
  return replaceNewlines(parts, Buffer.from(`${close}\n${lead}`), {before: Buffer.from(lead), after: Buffer.from(`${close}\n`), ...(options.alloc ? {alloc: options.alloc} : {}), ...(options.write ? {write: options.write} : {})})
}

/** "completed in 3.2s", "error after 1.0s: boom", "aborted (Ctrl-C) after 2.0s", "aborted (SIGTERM) after 1.0s". */
export function finalText(model: RunViewModel, now: number, p: Palette): string {
  const duration = runDurationMs(model, now)
  const took = duration === null ? '' : formatDuration(duration)
  switch (model.state) {
    case 'completed':
      return p.green(`completed${took ? ` in ${took}` : ''}`)
    case 'aborted':
      return p.yellow(`${abortedText(model.abortedBy)}${took ? ` after ${took}` : ''}`) + (model.error ? `: ${esc(model.error.message, {multiline: true})}` : '')
    case 'error':
      return p.red(`error${took ? ` after ${took}` : ''}`) + (model.error ? `: ${esc(model.error.message, {multiline: true})}` : '')
    default:
      return model.state
  }
}

/** The summary printed when a run ends: the results and artifacts as tables, the error, and where the logs are. */
export function formatRunSummaryLines(model: RunViewModel, options: PlainOptions & {now?: number} = {}): string[] {
  const p = paletteOf(options)
  const now = options.now ?? model.ended ?? Date.now()
  const lines: string[] = []
  const fn = esc(functionLabel(model.function, model.handler))
  lines.push(`run ${p.bold(shortUid(model.uid))}${fn ? ` ${fn}` : ''} ${finalText(model, now, p)}`)
  if (model.results.length > 0) {
    lines.push(p.bold('results'))
    lines.push(...formatTable(model.results.map((entry) => [esc(entry.key), formatValue(entry.value)]), {indent: '  '}))
  }
  if (model.artifacts.length > 0) {
    lines.push(p.bold('artifacts'))
    lines.push(...formatTable(model.artifacts.map((entry) => [
      esc(entry.key),
      entry.kind,
      entry.size === null ? '' : humanBytes(entry.size),
      entry.pending ? p.dim('(not ingested)') : esc(entry.uri ?? ''),
    ]), {indent: '  ', align: ['left', 'left', 'right', 'left']}))
  }
  if (model.error?.stack && model.state === 'error') {
    lines.push(...model.error.stack.split('\n').slice(0, 8).map((text) => p.dim(`  ${esc(text)}`)))
  }
  if (model.uid) lines.push(p.dim(`logs: lode runs logs ${shortUid(model.uid)}`))
  return lines
}
