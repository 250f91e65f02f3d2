// One run from start to finish: resolve inputs, record, spawn, receive events, ingest, commit.
import {randomUUID} from 'node:crypto'
import {hostname} from 'node:os'
import {closeSync, mkdirSync, openSync, writeFileSync, writeSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import {basename, delimiter, extname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {ingestArtifact, latestPerKey} from '../artifacts/ingest.ts'
import {createMask, type SecretMask} from '../secrets/mask.ts'
import {checkSecretNames, secretEnv} from '../secrets/sources.ts'
import type {NewVersion} from '../store/artifacts.ts'
import type {Store} from '../store/store.ts'
import {ENV, type ArtifactEvent, type FunctionKind, type HandlerEvent, type HandlerSpec, type JsonValue, type Run, type RunError, type RunEvent, type RunInput, type RunState} from '../types.ts'
import {planNode} from '../runtimes/node.ts'
import type {LaunchPlan} from '../runtimes/plan.ts'
import {applyParameterSpec} from './params.ts'
import type {ResolvedFunction} from './resolve-function.ts'
import {resolveInput} from './resolve-inputs.ts'
import {abortCause} from './interrupt.ts'
import {spawnHandler, type ExitInfo} from './spawn.ts'

const LODE_BIN_DIR = fileURLToPath(new URL('../../../bin', import.meta.url))

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
  /** raw stdout/stderr of the handler */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void
  /** called once the run record exists */
  onCreated?: (run: Run) => void
  workflowId?: string
  step?: string
  memoKey?: string
  python?: string
  cwd?: string
  /** name -> value: reach the handler as LODE_SECRET_<NAME>; the run records the names, and output and events are masked */
  secrets?: Record<string, string>
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
  const params = applyParameterSpec(fn, {...fn.params, ...(opts.params ?? {})}, opts.inputs)
  const uid = randomUUID().replaceAll('-', '')
  const runDir = store.runDir(uid)
  const stagingDir = join(runDir, 'staging')
  mkdirSync(stagingDir, {recursive: true})
  const declaredOutputs = [...new Set(opts.outputs ?? [])]
  checkSecretNames(Object.keys(opts.secrets ?? {}))

  // Bad input is an error before anything is recorded.
  let resolved: Awaited<ReturnType<typeof resolveInputs>>
  try {
    resolved = await resolveInputs(store, opts.inputs ?? {}, {runDir, kind: fn.kind, cwd: opts.cwd ?? process.cwd()})
  } catch (error) {
    await rm(runDir, {recursive: true, force: true})
    throw error
  }

  const labels: Record<string, string> = {...(opts.labels ?? {})}
  if (fn.hub) Object.assign(labels, {'hub.function': fn.hub.name, 'hub.version': fn.hub.version})
  const spec: HandlerSpec = {
    uid, name: opts.name ?? defaultRunName(fn), project: store.project, kind: fn.kind, file: fn.file, handler: fn.handler,
    params, inputs: resolved.spec, stagingDir, projectDir,
  }
  const specPath = join(runDir, 'spec.json')
  writeFileSync(specPath, JSON.stringify(spec, null, 2))
  const now = Date.now()
  const run: Run = {
    uid, name: spec.name, project: store.project, kind: fn.kind, function: fn.label, handler: fn.handler, state: 'running', labels, params,
    inputs: resolved.inputs, declaredOutputs, outputs: {}, results: {}, error: null, exitCode: null, signal: null, pid: process.pid,
    host: hostname(), codeHash: fn.codeHash, workflowId: opts.workflowId ?? null, step: opts.step ?? null, secrets: Object.keys(opts.secrets ?? {}).sort(), created: now, started: now, ended: null,
  }
  store.runs.create({...run, memoKey: opts.memoKey ?? null})
  opts.onCreated?.(run)

  // Stopped by the caller (Ctrl-C), or by a journal that can no longer be written (a full disk).
  const stop = new AbortController()
  const onAbort = () => stop.abort()
  opts.signal?.addEventListener('abort', onAbort, {once: true})
  if (opts.signal?.aborted) stop.abort()
  let journal: Journal | undefined
  try {
    const mask = createMask(Object.values(opts.secrets ?? {}))
    journal = openJournal(runDir, opts, () => stop.abort(), mask)
    journal.emit({t: 'state', ts: now, run: uid, state: 'running'})
    const received = receiveEvents(uid, labels, journal, mask)
    let exit: ExitInfo
    try {
      exit = await spawnHandler(await launchPlan(fn, spec, specPath, opts), {
        cwd: projectDir, signal: stop.signal, onEventLine: received.onEventLine, onOutput: journal.output,
        onStart: (pid) => store.runs.setHandlerPid(uid, pid),
      })
    } catch (error) {
      // e.g. an interpreter that cannot be planned: recorded like a handler that could not start
      exit = {exitCode: null, signal: null, aborted: false, startError: (error as Error).message}
    }
    journal.flush()
    if (journal.failure) throw journal.failure
    const changed = await changedStoreInputs(store, resolved.inputs)
    if (changed.length && !received.failure) {
      received.failure = {message: `the handler wrote into its input${changed.length > 1 ? 's' : ''} ${changed.join(', ')}, which ${changed.length > 1 ? 'are' : 'is'} stored bytes shared with other runs (run lode artifacts verify); copy an input before changing it`}
    }
    // the signal that stopped lode (SIGINT, SIGTERM, SIGHUP), as abortOnSignals passes it
    const abortedBy = typeof opts.signal?.reason === 'string' ? opts.signal.reason : undefined
    const stored = await concludeRun(store, run, exit, received, {stagingDir, declaredOutputs, abortedBy})
    for (const v of stored.versions) journal.emit({t: 'ingested', ts: Date.now(), run: uid, artifact: v})
    journal.emit({t: 'state', ts: Date.now(), run: uid, state: stored.state, ...(stored.error ? {error: stored.error} : {})})
  } catch (error) {
    // lode itself failed (a full disk, a bug): the run must not stay `running` forever
    store.runs.markFailed(uid, `lode failed while running it: ${(error as Error).message}`)
    throw error
  } finally {
    opts.signal?.removeEventListener('abort', onAbort)
    journal?.close()
    await rm(stagingDir, {recursive: true, force: true})
    await rm(join(runDir, 'inputs'), {recursive: true, force: true})
  }
  return store.runs.get(uid)!
}

/** Store objects a handler was handed as inputs and changed (they are read-only, but not for root). */
async function changedStoreInputs(store: Store, inputs: Record<string, RunInput>): Promise<string[]> {
  const changed: string[] = []
  for (const input of Object.values(inputs)) {
    if (!input.artifact) continue
    // a file input is the object itself; a dir or model input is hard links to its files' objects
    for (const sha of store.artifacts.objectsOf(input.artifact.id)) {
      const now = await store.hashInputFile(store.objects.path(sha)).catch(() => null)
      if (now?.sha256 !== sha) {
        changed.push(input.key)
        break
      }
    }
  }
  return changed
}

async function resolveInputs(store: Store, urls: Record<string, string>, opts: {runDir: string; kind: FunctionKind; cwd: string}) {
  const inputs: Record<string, RunInput> = {}
  const spec: HandlerSpec['inputs'] = {}
  for (const [key, url] of Object.entries(urls)) {
    const r = await resolveInput(store, key, url, opts)
    inputs[key] = r.input
    spec[key] = {url, path: r.input.path, meta: r.meta}
  }
  return {inputs, spec}
}

interface Journal {
  emit(e: RunEvent): void
  output(stream: 'stdout' | 'stderr', chunk: string): void
  /** what masking still holds back of the output (the handler has exited) */
  flush(): void
  /** a line for output.log only (logger messages, so `lode runs logs` shows them in order with the output) */
  note(line: string): void
  /** the first write that failed (ENOSPC...): the run is stopped and recorded as failed */
  failure: Error | null
  close(): void
}

/** events.jsonl and output.log of a run: every event appended as it arrives, and passed on. */
function openJournal(runDir: string, opts: ExecuteOptions, onFailure: () => void, mask: SecretMask): Journal {
  const eventsFd = openSync(join(runDir, 'events.jsonl'), 'a')
  const logFd = openSync(join(runDir, 'output.log'), 'a')
  const journal: Journal = {
    failure: null,
    emit(e) {
      write(eventsFd, JSON.stringify(e) + '\n')
      opts.onEvent?.(e)
    },
    output(stream, raw) {
      const chunk = mask.chunk(stream, raw)
      if (!chunk) return
      write(logFd, chunk)
      opts.onOutput?.(stream, chunk)
    },
    flush() {
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = mask.flush(stream)
        if (rest) {
          write(logFd, rest)
          opts.onOutput?.(stream, rest)
        }
      }
    },
    note(line) {
      write(logFd, line.endsWith('\n') ? line : `${line}\n`)
    },
    close() {
      closeSync(eventsFd)
      closeSync(logFd)
    },
  }
  // Writes happen in stream callbacks, where a throw would crash lode: the first failure stops the run instead.
  const write = (fd: number, text: string) => {
    if (journal.failure) return
    try {
      writeSync(fd, text)
    } catch (error) {
      journal.failure = error as Error
      onFailure()
    }
  }
  return journal
}

interface Received {
  results: Record<string, JsonValue>
  labels: Record<string, string>
  artifacts: ArtifactEvent[]
  failure: {message: string; stack?: string} | null
  onEventLine(line: string): void
}

/** What the handler sends on its event pipe, parsed, collected and journaled. */
function receiveEvents(uid: string, labels: Record<string, string>, journal: Pick<Journal, 'emit' | 'note'>, mask: SecretMask): Received {
  const received: Received = {
    results: {}, labels, artifacts: [], failure: null,
    onEventLine(line) {
      let e: HandlerEvent
      try {
        e = mask.value(JSON.parse(line) as HandlerEvent)
        if (!e || typeof e !== 'object' || typeof (e as {t?: unknown}).t !== 'string') throw new Error('not an event')
      } catch {
        e = {t: 'log', ts: Date.now(), level: 'warn', msg: `malformed event line: ${mask.text(line).slice(0, 200)}`}
      }
      if (e.t === 'result') received.results[e.key] = e.value
      else if (e.t === 'label') received.labels[e.key] = e.value
      else if (e.t === 'artifact') received.artifacts.push(e)
      else if (e.t === 'error') received.failure = {message: e.message, ...(e.stack ? {stack: e.stack} : {})}
      else if (e.t === 'log') journal.note(`[${e.level}] ${e.msg}${e.fields ? ` ${Object.entries(e.fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')}` : ''}`)
      journal.emit({...e, run: uid} as RunEvent)
    },
  }
  return received
}

function outcomeOf(exit: ExitInfo, failure: Received['failure'], abortedBy?: string): {state: RunState; error: RunError | null} {
  if (exit.aborted) {
    const by = abortedBy === undefined ? 'Ctrl-C or a signal' : abortCause(abortedBy)
    return {state: 'aborted', error: {message: `aborted (interrupted by ${by})`, exitCode: exit.exitCode, signal: exit.signal}}
  }
  if (exit.startError) return {state: 'error', error: {message: `could not start the handler: ${exit.startError}`, exitCode: null, signal: null}}
  if (exit.exitCode === 0 && !failure) return {state: 'completed', error: null}
  const how = exit.signal ? `killed by signal ${exit.signal}` : `exited with code ${exit.exitCode}`
  return {state: 'error', error: {message: failure ? failure.message : `the handler ${how}`, ...(failure?.stack ? {stack: failure.stack} : {}), exitCode: exit.exitCode, signal: exit.signal}}
}

/**
 * Ingest whatever was logged, whatever the outcome (nothing logged before a failure is lost), then commit the
 * versions, outputs, results and final state in one transaction.
 */
async function concludeRun(store: Store, run: Run, exit: ExitInfo, received: Received, o: {stagingDir: string; declaredOutputs: string[]; abortedBy?: string}) {
  let {state, error} = outcomeOf(exit, received.failure, o.abortedBy)
  const versions: NewVersion[] = []
  const ingestErrors: string[] = []
  for (const e of latestPerKey(received.artifacts)) {
    try {
      versions.push(await ingestArtifact(store, e, run.uid, o.stagingDir))
    } catch (err) {
      ingestErrors.push(`${e.key}: ${(err as Error).message}`)
    }
  }
  if (ingestErrors.length && state === 'completed') {
    state = 'error'
    error = {message: `could not store artifact(s): ${ingestErrors.join('; ')}`, exitCode: exit.exitCode, signal: null}
  }
  const ended = Date.now()
  const outputs: Record<string, JsonValue> = {...received.results}
  const stored = store.db.tx(() => {
    for (const v of versions) store.objects.restoreMissing(v.objects, v.spares ?? {})
    const out = versions.map((v) => store.artifacts.get(store.artifacts.insert(v, ended))!)
    for (const v of out) outputs[v.key] = v.uri
    const missing = o.declaredOutputs.filter((k) => !(k in outputs))
    if (missing.length && state === 'completed') {
      state = 'error'
      const logged = Object.keys(outputs)
      error = {message: `declared output${missing.length > 1 ? 's' : ''} not logged: ${missing.join(', ')} (logged: ${logged.join(', ') || 'nothing'})`, exitCode: exit.exitCode, signal: null}
    }
    store.runs.finish(run.uid, {state, results: received.results, outputs, labels: received.labels, error, exitCode: exit.exitCode, signal: exit.signal, ended})
    return out
  })
  // spares outside the staging area (copies of user files) are not needed once the versions are committed
  await Promise.all(versions.flatMap((v) => Object.values(v.spares ?? {})).map((p) => rm(p, {force: true})))
  return {versions: stored, state, error}
}

async function launchPlan(fn: ResolvedFunction, spec: HandlerSpec, specPath: string, opts: ExecuteOptions): Promise<LaunchPlan> {
  // `lode log ...` from any process of the handler finds this lode first on PATH.
  const env: Record<string, string> = {
    [ENV.spec]: specPath, [ENV.eventFd]: '3', [ENV.runUid]: spec.uid, [ENV.outputDir]: spec.stagingDir,
    PATH: `${LODE_BIN_DIR}${delimiter}${process.env.PATH ?? ''}`,
    ...secretEnv(opts.secrets ?? {}),
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
