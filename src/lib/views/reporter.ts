// The one entry point that chooses how a run, a workflow or the runs table is shown: a live ink view on an
// interactive terminal, plain timestamped lines elsewhere, and every event as a JSON line on stdout when asked.
// Ink and react are imported only when a live view is mounted (they cost ~170 ms of start-up).

import {isUtf8} from 'node:buffer'
import {fstatSync} from '../util/fs.ts'
import type {Writable} from 'node:stream'
import {isatty} from 'node:tty'
import type {Run, RunEvent, RunState} from '../types.ts'
import {palette, shouldColor, type Palette} from './color.ts'
import {formatClock, isTerminalState, shortUid} from './format.ts'
import type {LiveView} from './live-mount.tsx'
import {replaceNewlines, type Alloc, type Write} from './output-bytes.ts'
import {createOutputLines} from './output-lines.ts'
import {finalText, formatOutputBytes, formatOutputLines, formatRunEventLine} from './plain.ts'
import {abortCause, appendOutput, applyRunRecord, initialRunModel, markAborting, reduceRun, type RunViewModel} from './run-model.ts'
import type {WorkflowEvent, WorkflowViewModel} from './workflow-model.ts'

export type ReporterStream = NodeJS.WritableStream & {isTTY?: boolean}

export interface ReporterOptions {
  /** where the view or the plain lines go: stderr */
  stream: ReporterStream
  /** override the choice of a live view (default: `stream` is a TTY and not in CI) */
  interactive?: boolean
  /** nothing on `stream` (under --json); ndjson events still go to stdout */
  quiet?: boolean
  /** every event as one JSON line on `stdout`, and nothing else there */
  events?: 'ndjson'
  stdout?: NodeJS.WritableStream
  /** for the live runs table's keys; default process.stdin */
  stdin?: NodeJS.ReadableStream
  env?: NodeJS.ProcessEnv
}

export interface RunReporterOptions extends ReporterOptions {
  /** what the header shows before the run's events arrive */
  header?: {function?: string | null; handler?: string | null; name?: string | null}
}

export interface RunReporter {
  onEvent(event: RunEvent): void
  /** the handler's stdout/stderr, in chunks as read (bytes, or text already decoded) */
  onOutput(stream: 'stdout' | 'stderr', chunk: string | Uint8Array): void
  /** false when nothing shows or sends the output (--json): the caller need not read it into text at all */
  wantsOutput: boolean
  /** Ctrl-C or a signal arrived: say that the run is being stopped */
  abortNotice(signal: string): void
  /** prints the summary (and ends the live view) */
  finish(run: Run): Promise<void>
  /** ends the live view without a summary, e.g. when the run could not start */
  dispose(): void
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env['CI'] ?? env['CONTINUOUS_INTEGRATION']
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false'
}

export function isInteractive(opts: Pick<ReporterOptions, 'stream' | 'interactive' | 'env'>): boolean {
  if (opts.interactive !== undefined) return opts.interactive
  return Boolean(opts.stream.isTTY) && !isCi(opts.env ?? process.env)
}

/**
 * A view whose streams can no longer be written (a reader that closed the pipe, `| head`; a full disk under `2> file`)
 * is given up, not the run: lode goes on to the run's end and records it, the lines nobody can read are dropped. Node
 * reports such a failure as an 'error' event on the stream, which would otherwise end lode on the spot and leave the
 * run `stale`. bin/run.js leaves stdout's errors to this listener while it is there.
 */
export function outlastReaders(opts: Pick<ReporterOptions, 'stream' | 'stdout'>): void {
  for (const stream of new Set([opts.stream, opts.stdout ?? process.stdout])) {
    if (typeof (stream as Writable).on === 'function' && !(stream as Writable).listeners('error').includes(dropped)) (stream as Writable).on('error', dropped)
  }
}

/** Marked for bin/run.js, which leaves stdout's errors to a listener so marked. */
const dropped = Object.assign(function dropped(): void {}, {outlastsReaders: true})

function ndjsonWriter(opts: ReporterOptions): (event: object) => void {
  if (opts.events !== 'ndjson') return () => {}
  const out = opts.stdout ?? process.stdout
  return (event) => {
    out.write(`${JSON.stringify(event)}\n`)
  }
}

/**
 * Output lines that arrived together as ndjson `output` events, in one write: the same JSON as JSON.stringify of each
 * event, with the shared part of the events serialized once.
 */
function ndjsonOutputWriter(opts: ReporterOptions): ((run: string, stream: 'stdout' | 'stderr', ts: number, text: string) => void) | null {
  if (opts.events !== 'ndjson') return null
  const out = opts.stdout ?? process.stdout
  return (run, stream, ts, text) => {
    const event: RunEvent = {t: 'output', ts, run, stream, line: ''}
    const head = JSON.stringify(event).slice(0, -3)
    // with no backslash in the text, every `\n` in its JSON is one of its newlines: one stringify serves all lines
    const lines = text.includes('\\') ? text.split('\n').map((line) => JSON.stringify(line)).join(`}\n${head}`) : JSON.stringify(text).split('\\n').join(`"}\n${head}"`)
    out.write(`${head}${lines}}\n`)
  }
}

/**
 * The same events made from the lines' bytes (createOutputLines' onPlainBytes), with no string: a plain line that
 * jsonAsIs passes is its own JSON string, so every newline becomes the end of one event and the start of the next.
 * False, and nothing written, for lines that are not plain.
 */
function ndjsonOutputBytes(opts: ReporterOptions): ((run: string, stream: 'stdout' | 'stderr', ts: number, parts: readonly Uint8Array[]) => boolean) | null {
  if (opts.events !== 'ndjson') return null
  const out = (opts.stdout ?? process.stdout) as ReporterStream
  const buffers = outputBuffers(out)
  return (run, stream, ts, parts) => {
    const head = JSON.stringify({t: 'output', ts, run, stream, line: ''} satisfies RunEvent).slice(0, -3)
    const bytes = replaceNewlines(parts, Buffer.from(`"}\n${head}"`), {before: Buffer.from(`${head}"`), after: Buffer.from('"}\n'), ...buffers.options})
    if (!bytes) return false
    if (bytes.length) {
      out.write(bytes)
      buffers.written()
    }
    return true
  }
}

const TAB = 0x09
const QUOTE = 0x22
const BACKSLASH = 0x5c

/**
 * Bytes that are their own JSON string once plain (isPlainText, which lets a tab through: a terminal shows it): valid
 * UTF-8, no quote, no backslash, no tab (JSON escapes every control character).
 */
function jsonAsIs(parts: readonly Uint8Array[]): boolean {
  return parts.every((part) => part.indexOf(QUOTE) < 0 && part.indexOf(BACKSLASH) < 0 && part.indexOf(TAB) < 0 && isUtf8(part))
}

/** Coalesces model updates into at most one render every `ms` (events can arrive by the thousand). */
function coalesce(flush: () => void, ms = 100) {
  let timer: NodeJS.Timeout | null = null
  return {
    schedule() {
      timer ??= setTimeout(() => {
        timer = null
        flush()
      }, ms)
    },
    now() {
      if (timer) clearTimeout(timer)
      timer = null
      flush()
    },
  }
}

async function mountLive<M>(
  opts: ReporterOptions,
  model: M,
  pick: (module: typeof import('./live-mount.tsx')) => (target: {stream: NodeJS.WritableStream; stdin?: NodeJS.ReadableStream}, model: M) => LiveView<M>,
): Promise<LiveView<M> | null> {
  if (opts.quiet || !isInteractive(opts)) return null
  const module = await import('./live-mount.tsx')
  return pick(module)({stream: opts.stream, ...(opts.stdin ? {stdin: opts.stdin} : {})}, model)
}

/** Plain output is coloured on a terminal outside CI, or when FORCE_COLOR asks; never under NO_COLOR. */
function plainColor(stream: ReporterStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['FORCE_COLOR'] === undefined && isCi(env)) return false
  return shouldColor(stream, env)
}

function plainWriter(opts: ReporterOptions): {write: (line: string | null) => void; p: Palette} {
  const p = palette(plainColor(opts.stream, opts.env))
  return {
    p,
    write(line) {
      if (line !== null && !opts.quiet) opts.stream.write(`${line}\n`)
    },
  }
}

/**
 * Plain output lines are made in one buffer, reused while the stream keeps none of it: 64 MB of output would otherwise
 * allocate 80 MB of buffers, which V8 answers with full collections of lode's heap (three of 20-40 ms each). Only
 * lode's own stdout and stderr are known to be done with a chunk once nothing is queued: a file is written at once,
 * a pipe or a terminal takes all of it or queues the rest (writableLength). Any other stream gets a buffer per write.
 * A file (or /dev/null) is written synchronously and keeps nothing: it is given the lines where they were made, with
 * no copy at all.
 */
function outputBuffers(stream: ReporterStream): {options: {alloc?: Alloc; write?: Write}; written(): void} {
  if (stream !== process.stderr && stream !== process.stdout) return {options: {}, written() {}}
  if (writtenAtOnce(stream === process.stderr ? 2 : 1)) return {options: {write: (bytes) => stream.write(bytes)}, written() {}}
  let pool = Buffer.alloc(0)
  return {
    options: {
      alloc(size) {
        if (pool.length < size) pool = Buffer.allocUnsafe(Math.max(size, 256 * 1024))
        return pool.subarray(0, size)
      },
    },
    written() {
      // the stream still holds the bytes: the next lines go to a new buffer
      if ((stream as Writable).writableLength > 0) pool = Buffer.alloc(0)
    },
  }
}

/** lode's stdout or stderr is a file or a device that is no terminal (/dev/null): Node writes it synchronously. */
function writtenAtOnce(fd: number): boolean {
  try {
    const stat = fstatSync(fd)
    return stat.isFile() || (stat.isCharacterDevice() && !isatty(fd))
  } catch {
    return false
  }
}

export async function createRunReporter(opts: RunReporterOptions): Promise<RunReporter> {
  outlastReaders(opts)
  let model: RunViewModel = initialRunModel({
    function: opts.header?.function ?? null, handler: opts.header?.handler ?? null, name: opts.header?.name ?? null,
  })
  const emitJson = ndjsonWriter(opts)
  const live = await mountLive(opts, model, (module) => module.mountRunView)
  const plain = plainWriter(opts)
  const render = coalesce(() => live?.update(model))
  let finalPrinted = false

  const apply = (event: RunEvent) => {
    // a last line without its newline is shown before the line that ends the run, not after it
    if (event.t === 'state' && isTerminalState(event.state)) lines.flush()
    model = reduceRun(model, event)
    emitJson(event)
    if (live) return render.schedule()
    plain.write(formatRunEventLine(event, model, {color: plain.p}))
    if (event.t === 'state' && (event.state === 'completed' || event.state === 'error' || event.state === 'aborted')) finalPrinted = true
  }
  // Output is handled a chunk of lines at a time: formatted for the plain lines, serialized for ndjson, and only the
  // last few kept for the live view (which redraws at most every 100 ms), never an object or a format per line.
  const emitOutput = ndjsonOutputWriter(opts)
  const jsonBytes = ndjsonOutputBytes(opts)
  const buffers = outputBuffers(opts.stream)
  const lines = createOutputLines((stream, text, safe) => {
    const ts = Date.now()
    emitOutput?.(model.uid, stream, ts, text)
    if (live) {
      model = appendOutput(model, stream, ts, text)
      return render.schedule()
    }
    if (!opts.quiet) plain.write(formatOutputLines(stream, ts, text, safe, {color: plain.p}))
  }, live ? {} : {onPlainBytes: (stream, parts) => {
    const ts = Date.now()
    // nothing is written until both the plain lines and the events are known to take the bytes as they are
    if (jsonBytes && !jsonAsIs(parts)) return false
    if (!opts.quiet) {
      const bytes = formatOutputBytes(stream, ts, parts, {color: plain.p, ...buffers.options})
      if (!bytes) return false
      if (bytes.length) {
        opts.stream.write(bytes)
        buffers.written()
      }
    }
    // (plain, as the lines just shown were: the same lines as text otherwise)
    if (jsonBytes && !jsonBytes(model.uid, stream, ts, parts)) {
      if (opts.quiet) return false
      emitOutput?.(model.uid, stream, ts, Buffer.concat(parts).toString('utf8'))
    }
    return true
  }})

  return {
    onEvent: apply,
    wantsOutput: !opts.quiet || emitOutput !== null,
    onOutput: (stream, chunk) => lines.push(stream, chunk),
    abortNotice(signal) {
      model = markAborting(model, abortCause(signal))
      if (live) return render.now()
      plain.write(`${plain.p.dim(formatClock(Date.now()))} ${plain.p.yellow(`aborting (${abortCause(signal)}): stopping the run`)}`)
    },
    async finish(run) {
      lines.flush()
      model = applyRunRecord(model, run)
      if (live) {
        render.now()
        return live.finish(model)
      }
      const {p} = plain
      if (!finalPrinted) plain.write(`${p.dim(formatClock(run.ended ?? Date.now()))} ${finalText(model, run.ended ?? Date.now(), p)}`)
      plain.write(`${p.dim(formatClock(run.ended ?? Date.now()))} ${p.dim(`logs: lode runs logs ${shortUid(run.uid)}`)}`)
    },
    dispose() {
      live?.dispose()
    },
  }
}

export interface WorkflowReporter {
  /** the workflow's id, name and steps, known before its first event */
  onStart(workflow: {id: string; name?: string | null; steps: string[]}): void
  onEvent(event: WorkflowEvent): void
  abortNotice(signal: string): void
  /** prints the summary: outcome, failed steps with their errors, and how to resume */
  finish(outcome?: {state?: RunState}): Promise<void>
  dispose(): void
}

export async function createWorkflowReporter(opts: ReporterOptions): Promise<WorkflowReporter> {
  outlastReaders(opts)
  // loaded here, not with the module: a single run's reporter never needs them
  const [{formatWorkflowEventLine, formatWorkflowSummaryLines}, {declareWorkflow, initialWorkflowModel, markWorkflowAborting, reduceWorkflow}] = await Promise.all([
    import('./plain-workflow.ts'), import('./workflow-model.ts'),
  ])
  let model: WorkflowViewModel = initialWorkflowModel()
  const emitJson = ndjsonWriter(opts)
  const live = await mountLive(opts, model, (module) => module.mountWorkflowView)
  const plain = plainWriter(opts)
  const render = coalesce(() => live?.update(model))

  return {
    onStart(workflow) {
      model = declareWorkflow(model, workflow.id, workflow.steps, workflow.name ?? null)
      render.schedule()
    },
    onEvent(event) {
      model = reduceWorkflow(model, event)
      emitJson(event)
      if (live) return render.schedule()
      plain.write(formatWorkflowEventLine(event, model, {color: plain.p}))
    },
    abortNotice(signal) {
      model = markWorkflowAborting(model, abortCause(signal))
      if (live) return render.now()
      plain.write(`${plain.p.dim(formatClock(Date.now()))} ${plain.p.yellow(`aborting (${abortCause(signal)}): stopping the running steps`)}`)
    },
    async finish(outcome) {
      if (outcome?.state && model.state !== outcome.state) {
        model = {...model, state: outcome.state, ended: model.ended ?? Date.now()}
      }
      if (live) {
        render.now()
        return live.finish(model)
      }
      for (const line of formatWorkflowSummaryLines(model, {color: plain.p})) plain.write(line)
    },
    dispose() {
      live?.dispose()
    },
  }
}

/**
 * `lode runs ls --watch`: a live table that polls `load` every `intervalMs` until `q` or Ctrl-C. Where no live
 * view can run (not a TTY, CI), prints the table once. True when it watched.
 */
export async function renderRunsWatch(
  load: () => Run[],
  intervalMs: number,
  opts: Partial<Pick<ReporterOptions, 'stream' | 'stdin' | 'interactive' | 'env'>> = {},
): Promise<boolean> {
  const stream = opts.stream ?? process.stdout
  if (!isInteractive({stream, interactive: opts.interactive, env: opts.env})) {
    const {formatRunsTable} = await import('./runs-format.ts')
    stream.write(`${formatRunsTable(load(), {color: plainColor(stream, opts.env)})}\n`)
    return false
  }
  const {watchRuns} = await import('./live-mount.tsx')
  await watchRuns({stream, stdin: opts.stdin ?? process.stdin}, load, intervalMs)
  return true
}
