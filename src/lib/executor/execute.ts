// One run from start to finish: resolve inputs, record, spawn, receive events, ingest, commit.
import {hostname} from 'node:os'
import {closeSync, lstatSync, mkdirSync, openSync, rm, rmSync, rmdirSync, writeFileSync, writeSync, writevSync} from '../util/fs.ts'
import {basename, delimiter, dirname, extname, join, sep} from 'node:path'
import {fileURLToPath} from 'node:url'
import {toLodeError, UserError} from '../errors.ts'
import {createMask, type SecretMask} from '../secrets/mask.ts'
import {checkSecretNames, secretEnv} from '../secrets/sources.ts'
import type {Store} from '../store/store.ts'
import {ENV, type FunctionKind, type HandlerSpec, type JsonValue, type Run, type RunError, type RunEvent, type RunInput, type RunState, type RuntimeSpec} from '../types.ts'
import {planNode} from '../runtimes/node.ts'
import type {LaunchPlan} from '../runtimes/plan.ts'
import {checkRunNames} from './names.ts'
import {applyParameterSpec} from './params.ts'
import type {ResolvedFunction} from './resolve-function.ts'
import {onForcedExit} from './interrupt.ts'
import {abortCause} from '../util/words.ts'
import {abortRequested, runAbortMarker, watchAbortRequest} from '../runs/abort-request.ts'
import {concludeRun} from './conclude.ts'
import {receiveEvents} from './receive.ts'
import {EarlyStore} from './early-store.ts'
import {LogLines} from './output-log.ts'
import {runtimeFor, type Runtime} from './runtime.ts'
import type {ExitInfo} from './spawn.ts'
import {newUid} from '../util/hash.ts'

const ABORT_REQUEST = 'lode runs abort'
const LODE_BIN_DIR = fileURLToPath(new URL('../../../bin', import.meta.url))

/** Where the SDKs write events too large for one pipe write, or sent without the pipe (LODE_EVENT_DIR). */
export const eventDirOf = (runDir: string) => join(runDir, 'event-files')

export interface ExecuteOptions {
  fn: ResolvedFunction
  params?: Record<string, JsonValue>
  inputs?: Record<string, string>
  outputs?: string[]
  name?: string
  labels?: Record<string, string>
  signal?: AbortSignal
  /** every event, as it is appended to events.jsonl */
  onEvent?: (e: RunEvent) => void
  /** raw stdout/stderr of the handler: its bytes as read, or text once secrets were masked in it; valid only during the call (the read buffer is reused): copy what is kept */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string | Uint8Array) => void
  /** called once the run record exists */
  onCreated?: (run: Run) => void
  /** called once the handler's process started (a sweep then pre-starts the next iteration's runner) */
  onStarted?: () => void
  workflowId?: string
  step?: string
  /** the run that made this one (a hyperparameter parent, a pipeline) */
  parent?: string
  /** a hyperparameter iteration's number */
  iter?: number
  memoKey?: string
  python?: string
  cwd?: string
  /** name -> value: reach the handler as LODE_SECRET_<NAME>; the run records the names, and output and events are masked */
  secrets?: Record<string, string>
  /** where the handler runs: a local process (default) or a cluster job */
  runtime?: RuntimeSpec
  /** a runtime the caller made: a sweep's job array gives each iteration its task */
  jobRuntime?: Runtime
}

export function defaultRunName(fn: ResolvedFunction): string {
  // exec: what the user named (`train.sh`, a lode.yaml function, the program), not `bash` running a script
  const exec = fn.kind === 'exec' ? basename(fn.label.split(/\s+/)[0] || fn.command?.[0] || 'command') : ''
  const base = fn.hub ? fn.hub.name : fn.file ? basename(fn.file, extname(fn.file)) : exec.replace(/\.(sh|bash)$/, '')
  const name = fn.handler && fn.handler !== 'handler' && fn.handler !== base ? `${base}-${fn.handler}` : base
  return name.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 64) || 'run'
}

export async function executeRun(store: Store, projectDir: string, opts: ExecuteOptions): Promise<Run> {
  const fn = opts.fn
  checkRunNames({inputs: opts.inputs, params: {...fn.params, ...(opts.params ?? {})}, outputs: opts.outputs})
  // a handler gets its inputs and params as arguments by name: one of each name (a command reads {inputs.K} and {params.K})
  const both = fn.kind === 'exec' ? [] : Object.keys(opts.inputs ?? {}).filter((k) => Object.hasOwn(fn.params, k) || Object.hasOwn(opts.params ?? {}, k))
  if (both.length) throw new UserError(`${both.map((k) => JSON.stringify(k)).join(', ')} ${both.length > 1 ? 'are' : 'is'} both an input and a param: the handler gets one argument of each name.`, 'Rename the input or the param.')
  checkSecretNames(Object.keys(opts.secrets ?? {}))
  if (fn.kind === 'python') await (await import('../runtimes/python.ts')).checkPythonOf(fn, opts.python)
  const params = applyParameterSpec(fn, {...fn.params, ...(opts.params ?? {})}, opts.inputs)
  // a param or input a Python handler can never read is refused before anything is recorded (probed only when given)
  let paramWarning: string | null = null
  if (fn.kind === 'python' && (Object.keys(params).length || Object.keys(opts.inputs ?? {}).length)) {
    const {checkPythonParams} = await import('../runtimes/python-signature.ts')
    paramWarning = await checkPythonParams(fn, params, opts.inputs, {python: opts.python})
  }
  const runtime = opts.jobRuntime ?? await runtimeFor(opts.runtime ?? fn.runtime)
  const uid = newUid()
  const runDir = store.runDir(uid)
  const stagingDir = join(runDir, 'staging')
  const eventDir = eventDirOf(runDir)
  mkdirSync(stagingDir, {recursive: true})
  mkdirSync(eventDir, {recursive: true})
  // the handler can write its run folder's parent: one it replaced by a link leading out is not lode's to empty
  const runFolder = ownFolder(runDir)
  const declaredOutputs = [...new Set(opts.outputs ?? [])]

  // Bad input is an error before anything is recorded.
  let resolved: Awaited<ReturnType<typeof resolveInputs>>
  try {
    resolved = await resolveInputs(store, opts.inputs ?? {}, {runDir, kind: fn.kind, cwd: opts.cwd ?? process.cwd()})
  } catch (error) {
    await rm(runDir, {recursive: true, force: true})
    throw error
  }

  const labels: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, opts.labels)
  if (fn.hub) Object.assign(labels, {'hub.function': fn.hub.name, 'hub.version': fn.hub.version})
  const spec: HandlerSpec = {
    uid, name: opts.name ?? defaultRunName(fn), project: store.project, kind: fn.kind, file: fn.file, handler: fn.handler,
    params, inputs: resolved.spec, stagingDir, projectDir,
  }
  const specPath = join(runDir, 'spec.json')
  writeFileSync(specPath, JSON.stringify(spec, null, 2))
  const now = Date.now()
  // a secret's value may be on the command line too (sh -c '... $0' "$TOKEN"): the record shows *** in its place
  const mask = createMask(Object.values(opts.secrets ?? {}))
  const run: Run = {
    uid, name: spec.name, project: store.project, kind: fn.kind, function: mask.text(fn.label), handler: fn.handler, state: runtime.name === 'local' ? 'running' : 'queued', labels, params,
    inputs: resolved.inputs, declaredOutputs, outputs: {}, results: {}, error: null, exitCode: null, signal: null, pid: process.pid,
    host: hostname(), codeHash: fn.codeHash, workflowId: opts.workflowId ?? null, step: opts.step ?? null, parent: opts.parent ?? null, iter: opts.iter ?? null, secrets: Object.keys(opts.secrets ?? {}).sort(),
    created: now, started: runtime.name === 'local' ? now : null, ended: null, warnings: [],
  }
  store.runs.create({...run, memoKey: opts.memoKey ?? null})
  opts.onCreated?.(run)
  // lode interrupted and stopping before this run is concluded (a large artifact still being stored)
  const unregister = onForcedExit((signal) => {
    store.runs.markAborted(uid, `aborted (interrupted by ${abortCause(signal)}); lode stopped before it finished recording the run`)
    if (runFolder.unchanged()) rmSync(stagingDir, {recursive: true, force: true})
  })

  // Stopped by the caller (Ctrl-C), or by a journal that can no longer be written (a full disk).
  const stop = new AbortController()
  const onAbort = () => stop.abort(opts.signal?.reason)
  opts.signal?.addEventListener('abort', onAbort, {once: true})
  if (opts.signal?.aborted) onAbort()
  // `lode runs abort` from another process asks for this run only (a marker in its folder)
  const abortMarker = runAbortMarker(store, uid)
  const unwatch = watchAbortRequest(abortMarker, () => stop.abort(ABORT_REQUEST))
  let journal: Journal | undefined
  try {
    journal = openJournal(runDir, opts, () => stop.abort(), Object.values(opts.secrets ?? {}).some(Boolean) ? mask : null)
    journal.emit({t: 'state', ts: now, run: uid, state: run.state})
    const received = receiveEvents(uid, labels, eventDir, journal, mask, new EarlyStore(store.objects, stagingDir))
    if (paramWarning) received.warn(paramWarning)
    let exit: ExitInfo
    try {
      exit = await runtime.run({
        uid, name: spec.name, runDir, plan: await launchPlan(fn, spec, specPath, opts), secretEnv: secretEnv(opts.secrets ?? {}),
        cwd: projectDir, signal: stop.signal, onEventLine: received.onEventLine, onOversizeLine: received.onOversizeLine, onOutput: journal.output,
        onStart: (pid) => {
          store.runs.setHandlerPid(uid, pid)
          opts.onStarted?.()
        },
        onJob: (job, state) => {
          store.runs.setJob(uid, job, state)
          journal!.emit({t: 'state', ts: Date.now(), run: uid, state, job})
        },
      })
    } catch (error) {
      // e.g. an interpreter that cannot be planned: recorded like a handler that could not start
      exit = {exitCode: null, signal: null, aborted: false, startError: (error as Error).message, leftBehind: 0}
    }
    // the handler may have died of the SIGTERM `lode runs abort` sent it before this lode saw the request
    if (!exit.aborted && abortRequested(abortMarker)) exit = {...exit, aborted: true}
    if (exit.leftBehind) {
      const n = exit.leftBehind
      const msg = `the handler left ${n} background process${n > 1 ? 'es' : ''}; lode ended ${n > 1 ? 'them' : 'it'}`
      journal.note(`[warn] ${msg}`)
      journal.emit({t: 'log', ts: Date.now(), run: uid, level: 'warn', msg})
    }
    if (runFolder.unchanged()) received.drainEventDir()
    journal.flush()
    if (journal.failure) throw journal.failure
    const changed = await changedInputs(store, resolved.inputs)
    if (changed.stored.length && !received.failure) {
      const n = changed.stored.length
      received.failure = {message: `the handler wrote into its input${n > 1 ? 's' : ''} ${changed.stored.join(', ')}, which ${n > 1 ? 'are' : 'is'} stored bytes shared with other runs (run lode artifacts verify); copy an input before changing it`}
    } else if (changed.local.length && !received.failure) {
      const n = changed.local.length
      received.failure = {message: `input${n > 1 ? 's' : ''} ${changed.local.join(', ')} changed while the run ran: the run cannot say which bytes it read; run it again with inputs nothing writes meanwhile`}
    }
    // the signal that stopped lode (SIGINT, SIGTERM, SIGHUP), as abortOnSignals passes it
    const abortedBy = abortRequested(abortMarker) ? ABORT_REQUEST : typeof stop.signal.reason === 'string' ? stop.signal.reason : undefined
    const stored = await concludeRun(store, run, exit.exitCode, exit.signal, outcomeOf(exit, received.failure, abortedBy), received, {stagingDir, declaredOutputs})
    for (const v of stored.versions) journal.emit({t: 'ingested', ts: Date.now(), run: uid, artifact: v})
    journal.emit({t: 'state', ts: Date.now(), run: uid, state: stored.state, ...(stored.error ? {error: stored.error} : {})})
  } catch (error) {
    // lode itself failed (a full disk, a bug): the run must not stay `running` forever. Its staged files go first: on
    // a full disk with no reserve left, they are the room the record needs.
    if (runFolder.unchanged()) await removeFolders([stagingDir, eventDir, join(runDir, 'inputs')]).catch(() => undefined)
    store.runs.markFailed(uid, `lode failed while running it: ${(error as Error).message}`)
    throw withRun(error, store.runs.get(uid))
  } finally {
    unregister()
    unwatch()
    opts.signal?.removeEventListener('abort', onAbort)
    journal?.close()
    if (runFolder.unchanged()) await removeFolders([stagingDir, eventDir, join(runDir, 'inputs')])
    await runtime.cleanup?.(runDir)
  }
  return store.runs.get(uid)!
}

/**
 * lode's own failure during a run (a full disk) keeps its code and exit code, and names the run it recorded failed in
 * `details.run`, as the answer of any failed run does: a script finds the run either way.
 */
function withRun(error: unknown, run: Run | undefined): unknown {
  if (!run) return error
  const e = toLodeError(error)
  Object.assign(e, {details: {...e.details, run}})
  return e
}

/**
 * A folder lode made, and whether it is still where it was: not moved away, nor replaced by a link to elsewhere (the
 * same folder, by device and inode, found through the same path, itself no link).
 */
function ownFolder(dir: string): {unchanged(): boolean} {
  const made = lstatSync(dir)
  return {
    unchanged() {
      const now = lstatSync(dir, {throwIfNoEntry: false})
      return now !== undefined && now.isDirectory() && now.dev === made.dev && now.ino === made.ino
    },
  }
}

/**
 * The run's temporary folders, which by now are mostly empty or absent: one rmdir each then, where a recursive rm
 * takes several system calls in the thread pool (~6 ms of a small run's end).
 */
async function removeFolders(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    try {
      rmdirSync(dir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') await rm(dir, {recursive: true, force: true})
    }
  }
}

/**
 * Inputs whose bytes changed while the run ran: stored objects the handler was handed (read-only, but not for root)
 * and local files or folders (anyone may write them). A run must not be recorded with a hash it did not read.
 */
async function changedInputs(store: Store, inputs: Record<string, RunInput>): Promise<{stored: string[]; local: string[]}> {
  const stored: string[] = []
  const local: string[] = []
  for (const input of Object.values(inputs)) {
    if (input.artifact && isStoreCopy(store, input.path)) {
      // a file input is the object itself; a dir or model input is hard links to its files' objects
      for (const sha of store.artifacts.objectsOf(input.artifact.id)) {
        const now = await store.hashInputFile(store.objects.path(sha)).catch(() => null)
        if (now?.sha256 !== sha) {
          stored.push(input.key)
          break
        }
      }
    } else {
      const now = await store.hashInputPath(input.path).catch(() => null)
      if (now?.sha256 !== input.sha256) local.push(input.key)
    }
  }
  return {stored, local}
}

/** Whether a run reads this input from the store (the object, or the links made in the run's folder). */
function isStoreCopy(store: Store, path: string): boolean {
  return path.startsWith(store.dir + sep)
}

async function resolveInputs(store: Store, urls: Record<string, string>, opts: {runDir: string; kind: FunctionKind; cwd: string}) {
  const inputs: Record<string, RunInput> = {}
  const spec: HandlerSpec['inputs'] = {}
  if (!Object.keys(urls).length) return {inputs, spec}
  const {resolveInput} = await import('./resolve-inputs.ts')
  for (const [key, url] of Object.entries(urls)) {
    const r = await resolveInput(store, key, url, opts)
    inputs[key] = r.input
    spec[key] = {url, path: r.input.path, meta: r.meta}
  }
  return {inputs, spec}
}

export interface Journal {
  emit(e: RunEvent): void
  output(stream: 'stdout' | 'stderr', chunk: Buffer): void
  /** what masking still holds back of the output (the handler has exited) */
  flush(): void
  /** a line for output.log only (logger messages, so `lode runs logs` shows them in order with the output) */
  note(line: string): void
  /** the first write that failed (ENOSPC...): the run is stopped and recorded as failed */
  failure: Error | null
  close(): void
}

/**
 * events.jsonl and output.log of a run: every event appended as it arrives, and passed on. Output is written as the
 * bytes it came in (no decoding), secrets masked in those bytes, a line cut and `\r` redraws collapsed (LogLines).
 */
export function openJournal(runDir: string, opts: Pick<ExecuteOptions, 'onEvent' | 'onOutput'>, onFailure: () => void, mask: SecretMask | null): Journal {
  const eventsFd = openSync(join(runDir, 'events.jsonl'), 'a')
  const logFd = openSync(join(runDir, 'output.log'), 'a')
  const toLog = (parts: Buffer[]) => write(logFd, parts)
  const lines = {stdout: new LogLines(toLog), stderr: new LogLines(toLog)}
  let flushed = false
  const journal: Journal = {
    failure: null,
    emit(e) {
      write(eventsFd, JSON.stringify(e) + '\n')
      opts.onEvent?.(e)
    },
    output(stream, raw) {
      const chunk = mask ? mask.chunk(stream, raw) : raw
      if (!chunk.length) return
      lines[stream].push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      opts.onOutput?.(stream, chunk)
    },
    flush() {
      if (flushed) return
      flushed = true
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = mask?.flush(stream)
        if (rest?.length) {
          lines[stream].push(Buffer.from(rest))
          opts.onOutput?.(stream, rest)
        }
        lines[stream].flush()
      }
    },
    note(line) {
      write(logFd, line.endsWith('\n') ? line : `${line}\n`)
    },
    close() {
      journal.flush()
      closeSync(eventsFd)
      closeSync(logFd)
    },
  }
  // Writes happen in stream callbacks, where a throw would crash lode: the first failure stops the run instead.
  const write = (fd: number, text: string | Buffer[]) => {
    if (journal.failure) return
    try {
      if (typeof text === 'string') writeSync(fd, text)
      else if (text.length === 1) writeSync(fd, text[0]!)
      else writevSync(fd, text)
    } catch (error) {
      journal.failure = error as Error
      onFailure()
    }
  }
  return journal
}

export function outcomeOf(exit: ExitInfo, failure: {message: string; stack?: string} | null, abortedBy?: string): {state: RunState; error: RunError | null} {
  if (exit.aborted) {
    const by = abortedBy === undefined ? 'Ctrl-C or a signal' : abortCause(abortedBy)
    return {state: 'aborted', error: {message: `aborted (interrupted by ${by})`, exitCode: exit.exitCode, signal: exit.signal}}
  }
  if (exit.startError) return {state: 'error', error: {message: `could not start the handler: ${exit.startError}`, exitCode: null, signal: null}}
  if (exit.failure) return {state: 'error', error: {message: exit.failure, exitCode: exit.exitCode, signal: exit.signal}}
  if (exit.exitCode === 0 && !failure) return {state: 'completed', error: null}
  const how = exit.signal ? `killed by signal ${exit.signal}` : `exited with code ${exit.exitCode}`
  return {state: 'error', error: {message: failure ? failure.message : `the handler ${how}`, ...(failure?.stack ? {stack: failure.stack} : {}), exitCode: exit.exitCode, signal: exit.signal}}
}

async function launchPlan(fn: ResolvedFunction, spec: HandlerSpec, specPath: string, opts: ExecuteOptions): Promise<LaunchPlan> {
  // `lode log ...` from any process of the handler finds this lode first on PATH.
  const env: Record<string, string> = {
    [ENV.spec]: specPath, [ENV.eventFd]: '3', [ENV.runUid]: spec.uid, [ENV.outputDir]: spec.stagingDir, [ENV.eventDir]: eventDirOf(dirname(specPath)),
    [ENV.lodePid]: String(process.pid),
    PATH: `${LODE_BIN_DIR}${delimiter}${process.env.PATH ?? ''}`,
  }
  if (fn.kind === 'node') {
    const plan = planNode()
    return {...plan, env: {...plan.env, ...env}}
  }
  if (fn.kind === 'python') {
    const {planPython} = await import('../runtimes/python.ts')
    const plan = planPython(spec, specPath, {python: opts.python ?? fn.python})
    return {...plan, env: {...plan.env, ...env}}
  }
  const {planExec} = await import('../runtimes/exec.ts')
  const plan = planExec(fn.command!, spec)
  return {...plan, env: {...plan.env, ...env}}
}
