// A hyperparameter run: a parent run and its iterations (child runs #1..N), a few at once. The parent records the
// strategy, options and each iteration, picks the best by the selector, copies its results and points its outputs
// (and `latest` of every key the best logged) at the best's artifact versions, as MLRun's iteration 0.
import {appendFileSync, mkdirSync, rm, writeFileSync} from '../util/fs.ts'
import {setMaxListeners} from 'node:events'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {UserError} from '../errors.ts'
import {ingestArtifact} from '../artifacts/ingest.ts'
import {defaultRunName, executeRun, type ExecuteOptions} from '../executor/execute.ts'
import {onForcedExit} from '../executor/interrupt.ts'
import {dropPrestarted, prestartRunner} from '../executor/spawn.ts'
import type {NewVersion} from '../store/artifacts.ts'
import type {PendingFolders} from '../store/objects.ts'
import type {Store} from '../store/store.ts'
import {Semaphore} from '../workflow/semaphore.ts'
import type {HyperOptions, HyperSummary, IterationSummary, JsonValue, Run, RunError, RunEvent, RunState, RuntimeSpec} from '../types.ts'
import {abortCause} from '../util/words.ts'
import {runAbortMarker, watchAbortRequest} from '../runs/abort-request.ts'
import {createMask} from '../secrets/mask.ts'
import {iterationsOf} from './generate.ts'
import {stopExpression} from './options.ts'
import {iterationResultsCsv, selectorPlotSvg} from './report.ts'
import {bestIteration, stopsAt} from './select.ts'
import {newUid} from '../util/hash.ts'

/** Slurm's default MaxArraySize is 1001: task numbers up to 1000. */
export const MAX_ARRAY_TASKS = 1000

export const RESULTS_KEY = 'iteration_results'
export const PLOT_KEY = 'iteration_plot'

export interface SweepOptions extends Omit<ExecuteOptions, 'onEvent' | 'onCreated' | 'onOutput' | 'iter'> {
  hyper: HyperOptions
  /** every child's events, with its iteration; and the parent's own state events */
  onEvent?: (e: RunEvent & {iter?: number}) => void
  /** the parent exists (after the first iteration was accepted) */
  onParent?: (parent: Run, total: number) => void
  /** a child's stdout and stderr */
  onChildOutput?: (child: {uid: string; iter: number}, stream: 'stdout' | 'stderr', chunk: string | Uint8Array) => void
  /** memoization (workflow steps): an iteration's memo key, and a completed run with that key whose outputs still verify */
  reuse?: {key(params: Record<string, JsonValue>): string | null; find(key: string): Run | undefined}
  /** an iteration started, or ended (its summary), with the best so far */
  onIteration?: (it: IterationSummary, best: HyperSummary['best']) => void
}

export function tooManyErrors(maxErrors: number): string {
  return `more than ${maxErrors} iteration${maxErrors === 1 ? '' : 's'} failed (--max-errors ${maxErrors}): the rest were cancelled`
}

/** The job array of a sweep on Slurm (loaded only for one). */
async function jobArray(o: SweepOptions, x: {dir: string; tasks: number[]; signal: AbortSignal; projectDir: string}) {
  const {JobArray} = await import('../runtimes/slurm/array.ts')
  const spec = (o.runtime ?? o.fn.runtime) as Extract<RuntimeSpec, {name: 'slurm'}>
  return new JobArray(spec, {name: o.name ?? defaultRunName(o.fn), dir: x.dir, cwd: x.projectDir, tasks: x.tasks, parallel: o.hyper.parallel, signal: x.signal})
}

export interface SweepResult {
  run: Run
  summary: HyperSummary
}

export async function runSweep(store: Store, projectDir: string, o: SweepOptions): Promise<SweepResult> {
  const all = iterationsOf(o.hyper)
  if (all.length === 0) throw new UserError('A hyperparameter run needs at least one hyperparam with values.', 'Example: --hyperparam lr=[0.01,0.1]')
  const onSlurm = (o.runtime ?? o.fn.runtime)?.name === 'slurm'
  if (onSlurm && all.length > MAX_ARRAY_TASKS) throw new UserError(`On --runtime slurm a sweep's ${all.length} iterations would be one job array of more than ${MAX_ARRAY_TASKS} tasks (Slurm's default MaxArraySize).`, 'Try fewer values, or --strategy random --max-iterations N.')
  const stop = o.hyper.stopCondition === null ? null : stopExpression(o.hyper.stopCondition, Object.keys(o.hyper.params))
  const {hyper, onEvent, onParent, onIteration, onChildOutput, reuse, ...base} = o
  const uid = newUid()
  const runDir = store.runDir(uid)
  const iterations: IterationSummary[] = all.map((params, i) => ({iter: i + 1, uid: null, state: 'skipped', params, results: {}, durationMs: null}))
  const emit = (e: RunEvent) => {
    appendFileSync(join(runDir, 'events.jsonl'), JSON.stringify(e) + '\n')
    onEvent?.(e)
  }
  const note = (line: string) => appendFileSync(join(runDir, 'output.log'), `${line}\n`)
  mkdirSync(runDir, {recursive: true})

  // Children stop on Ctrl-C (the caller's signal) or when the sweep cancels them (too many errors).
  const cancel = new AbortController()
  const onAbort = () => cancel.abort(o.signal?.reason)
  o.signal?.addEventListener('abort', onAbort, {once: true})
  let parent: Run | null = null
  let unregister = () => {}
  let failed = 0
  let stopped: string | null = null
  let best: HyperSummary['best'] = null
  // on Slurm every iteration joins one job array at once, and Slurm runs --parallel of them at a time (%P)
  const array = onSlurm ? await jobArray(o, {dir: runDir, tasks: iterations.map((it) => it.iter), signal: cancel.signal, projectDir}) : null
  const gate = new Semaphore(array ? all.length : hyper.parallel)
  // an iteration's own stop (its queued task cancelled once the stop condition held), and whether its job waits
  const stops = new Map<number, AbortController>()
  const queued = new Set<number>()
  if (array) setMaxListeners(all.length + 10, cancel.signal)
  // what the caller hears of iterations waits until the parent exists (the first iteration may end before that)
  const early = new Set<IterationSummary>()
  const report = (it: IterationSummary) => (parent ? onIteration?.(it, best) : early.add(it))
  let begun = 0
  // Starting a runner (node, python) is most of a small iteration's time: the next one's starts while this one runs.
  const runnerFile = !onSlurm && base.fn.file && (base.fn.kind === 'node' || base.fn.kind === 'python') ? base.fn.file : null
  const prestartNext = () => {
    // as many waiting as iterations run at once, plus one: each then has about an iteration's time to load
    const ahead = Math.min(hyper.parallel + 1, all.length - begun)
    if (!runnerFile || cancel.signal.aborted || stopped) return
    for (let i = 0; i < ahead; i++) prestartRunner(runnerFile, base.fn.kind as 'node' | 'python', {python: base.python ?? base.fn.python, ahead})
  }

  const runIteration = async (it: IterationSummary, created?: {resolve: () => void; reject: (e: unknown) => void}): Promise<void> => {
    const release = await gate.acquire()
    let signal = cancel.signal
    if (array) {
      const own = new AbortController()
      cancel.signal.addEventListener('abort', () => own.abort(cancel.signal.reason), {once: true})
      stops.set(it.iter, own)
      signal = own.signal
    }
    try {
      if (cancel.signal.aborted || stopped) return
      begun++
      const started = Date.now()
      const params = {...(base.params ?? {}), ...it.params}
      const key = reuse?.key(params) ?? null
      const cached = key === null ? undefined : reuse!.find(key)
      let child: Run
      try {
        if (cached) {
          // the same code, params and inputs ran before: its run is this iteration
          Object.assign(it, {uid: cached.uid, state: 'running', cached: true})
          created?.resolve()
          child = cached
        } else child = await executeRun(store, projectDir, {
          ...base, params, parent: uid, iter: it.iter, workflowId: undefined, step: undefined, memoKey: key ?? undefined, signal,
          ...(array ? {jobRuntime: array.task(it.iter)} : {}),
          onEvent: (e) => {
            if (e.t === 'state' && e.state === 'queued') queued.add(it.iter)
            else if (e.t === 'state') queued.delete(it.iter)
            onEvent?.({...e, iter: it.iter})
          },
          onStarted: prestartNext,
          ...(onChildOutput ? {onOutput: (stream: 'stdout' | 'stderr', chunk: string | Uint8Array) => onChildOutput({uid: it.uid!, iter: it.iter}, stream, chunk)} : {}),
          onCreated: (r) => {
            it.uid = r.uid
            it.state = 'running'
            created?.resolve()
            report(it)
          },
        })
      } catch (error) {
        if (created && it.uid === null) return created.reject(error)
        it.state = 'error'
        it.results = {}
        it.durationMs = Date.now() - started
        failed++
        note(`#${it.iter} lode failed: ${(error as Error).message}`)
        return
      }
      it.state = child.state
      it.results = child.results
      it.durationMs = cached ? 0 : child.ended !== null && child.started !== null ? child.ended - child.started : Date.now() - started
      if (child.state === 'error') failed++
      best = bestIteration(iterations, hyper.selector)
      note(`#${it.iter} ${child.state}${cached ? ' (cached)' : ''} ${child.uid.slice(0, 8)} ${JSON.stringify(it.params)} ${JSON.stringify(it.results)}${best?.iter === it.iter ? ' (best so far)' : ''}`)
      report(it)
      if (hyper.maxErrors !== null && failed > hyper.maxErrors && !cancel.signal.aborted) {
        stopped = tooManyErrors(hyper.maxErrors)
        cancel.abort(`its sweep, as more than ${hyper.maxErrors} iteration${hyper.maxErrors === 1 ? '' : 's'} failed`)
      } else if (!stopped && stopsAt(stop, it)) {
        stopped = `the stop condition ${hyper.stopCondition} held for iteration #${it.iter}`
        // tasks still waiting in the job array will not run: cancelled, as iterations not begun are skipped locally
        for (const n of queued) stops.get(n)?.abort(`its sweep, as the stop condition ${hyper.stopCondition} held`)
      }
    } finally {
      array?.skip(it.iter)
      release()
    }
  }

  // The first iteration goes alone until its run is recorded: bad input (a missing file, an unknown param) is then an
  // error before anything is stored, and the parent is recorded only for a sweep that started.
  let first!: Promise<void>
  await new Promise<void>((resolve, reject) => {
    first = runIteration(iterations[0]!, {resolve, reject})
    first.then(resolve, reject)
  }).catch(async (error) => {
    dropPrestarted()
    o.signal?.removeEventListener('abort', onAbort)
    await rm(runDir, {recursive: true, force: true})
    throw error
  })
  const now = Date.now()
  const firstChild = iterations[0]!.uid ? store.runs.get(iterations[0]!.uid) : undefined
  // a reused first iteration ran in an earlier sweep: this one starts now
  const started = firstChild && !iterations[0]!.cached ? firstChild.created : now
  const fn = base.fn
  const labels: Record<string, string> = {...(base.labels ?? {}), ...(fn.hub ? {'hub.function': fn.hub.name, 'hub.version': fn.hub.version} : {})}
  parent = {
    uid, name: base.name ?? defaultRunName(fn), project: store.project, kind: fn.kind, function: createMask(Object.values(base.secrets ?? {})).text(fn.label), handler: fn.handler, state: 'running', labels,
    params: {...fn.params, ...(base.params ?? {})}, inputs: firstChild?.inputs ?? {}, declaredOutputs: [...new Set(base.outputs ?? [])], outputs: {}, results: {},
    error: null, exitCode: null, signal: null, pid: process.pid, host: hostname(), codeHash: fn.codeHash, workflowId: base.workflowId ?? null,
    step: base.step ?? null, parent: base.parent ?? null, iter: null, secrets: Object.keys(base.secrets ?? {}).sort(), created: started,
    started, ended: null, warnings: [],
  }
  store.runs.create({...parent, memoKey: base.memoKey ?? null})
  // the array's job id on the parent: `lode runs attach PARENT` follows every task of it once this lode is gone
  if (array) array.onSubmitted((id) => store.runs.setJob(uid, {runtime: 'slurm', id}))
  const summaryNow = (): HyperSummary => ({options: hyper, best, stopped, iterations})
  store.db.tx(() => store.hyper.save(uid, summaryNow()))
  unregister = onForcedExit((signal) => store.runs.markAborted(uid, `aborted (interrupted by ${abortCause(signal)}); lode stopped before the sweep ended`))
  // `lode runs abort PARENT` from another process stops the whole sweep
  let abortedBy: string | null = null
  const unwatch = watchAbortRequest(runAbortMarker(store, uid), () => {
    abortedBy = 'lode runs abort'
    cancel.abort(abortedBy)
  })
  emit({t: 'state', ts: now, run: uid, state: 'running'})
  note(`${hyper.strategy} sweep of ${all.length} iteration${all.length > 1 ? 's' : ''}, ${hyper.parallel} at once${hyper.seed !== null ? `, seed ${hyper.seed}` : ''}`)
  onParent?.(parent, all.length)
  for (const it of early) onIteration?.(it, best)

  try {
    await Promise.all([first, ...iterations.slice(1).map((it) => runIteration(it))])
    // iterations that never started: skipped by a stop condition, or cancelled with the sweep
    const cancelled = cancel.signal.aborted
    for (const it of iterations) if (it.uid === null && it.state === 'skipped' && cancelled) it.state = 'aborted'
    return await concludeSweep(store, parent, summaryNow(), {aborted: o.signal?.aborted ? String(o.signal.reason ?? 'SIGINT') : abortedBy, failed, emit, note})
  } catch (error) {
    store.runs.markFailed(uid, `lode failed while running the sweep: ${(error as Error).message}`)
    throw error
  } finally {
    dropPrestarted()
    unwatch()
    unregister()
    o.signal?.removeEventListener('abort', onAbort)
  }
}

export async function concludeSweep(store: Store, parent: Run, s: HyperSummary, x: {aborted: string | null; failed: number; emit: (e: RunEvent) => void; note: (l: string) => void}): Promise<SweepResult> {
  const completed = s.iterations.filter((it) => it.state === 'completed').length
  const warnings: string[] = []
  let state: RunState = 'completed'
  let error: RunError | null = null
  if (x.aborted) {
    state = 'aborted'
    error = {message: `aborted (interrupted by ${abortCause(x.aborted)}); ${completed} of ${s.iterations.length} iterations completed`}
  } else if (s.options.maxErrors !== null && x.failed > s.options.maxErrors) {
    state = 'error'
    error = {message: s.stopped ?? 'too many iterations failed'}
  } else if (completed === 0) {
    state = 'error'
    error = {message: `no iteration completed (${x.failed} failed)`}
  }
  if (s.options.selector && !s.best && completed) warnings.push(`no completed iteration logged a numeric result "${s.options.selector.key}" for --selector ${s.options.selector.op}.${s.options.selector.key}`)
  const best = s.best ? store.runs.get(s.best.uid) : undefined

  // iteration_results and the plot are the parent's own artifacts, stored like a run's
  const staging = join(store.runDir(parent.uid), 'staging')
  mkdirSync(staging, {recursive: true})
  const pending: PendingFolders = new Set()
  const versions: NewVersion[] = []
  try {
    const csv = join(staging, 'iteration_results.csv')
    writeFileSync(csv, iterationResultsCsv(s))
    versions.push(await ingestArtifact(store, {t: 'artifact', ts: Date.now(), key: RESULTS_KEY, kind: 'dataset', path: csv, format: 'csv', targetFormat: 'csv'}, parent.uid, staging, pending))
    const svg = selectorPlotSvg(s)
    if (svg) {
      const path = join(staging, 'iteration_plot.svg')
      writeFileSync(path, svg)
      versions.push(await ingestArtifact(store, {t: 'artifact', ts: Date.now(), key: PLOT_KEY, kind: 'plot', path, format: 'svg', mime: 'image/svg+xml'}, parent.uid, staging, pending))
    }
    await store.objects.syncFolders(pending)
  } catch (e) {
    // nothing of them is recorded: an object not yet synced must not be named by a committed record
    versions.length = 0
    warnings.push(`could not store the sweep's ${RESULTS_KEY}: ${(e as Error).message}`)
  }
  const results: Record<string, JsonValue> = {...(best?.results ?? {}), ...(s.best ? {best_iteration: s.best.iter} : {})}
  const outputs: Record<string, JsonValue> = {...(best?.outputs ?? {}), ...(s.best ? {best_iteration: s.best.iter} : {})}
  const ended = Date.now()
  const stored = store.db.tx(() => {
    for (const v of versions) store.objects.restoreMissing(v.objects, v.spares ?? {})
    const out = store.artifacts.insertMany(versions, ended, {moveLatest: state === 'completed'})
    for (const v of out) outputs[v.key] = v.uri
    // `KEY` names the best iteration's version, as MLRun's iteration 0
    if (best && state === 'completed') store.artifacts.moveLatestTo(best.uid)
    store.runs.finish(parent.uid, {state, results, outputs, labels: parent.labels, error, exitCode: null, signal: null, ended, warnings})
    store.hyper.save(parent.uid, s)
    return out
  })
  await rm(staging, {recursive: true, force: true})
  for (const v of stored) x.emit({t: 'ingested', ts: Date.now(), run: parent.uid, artifact: v})
  x.note(`${state}${s.best ? `: best #${s.best.iter} (${s.best.why})` : ''}${s.stopped ? `; ${s.stopped}` : ''}`)
  x.emit({t: 'state', ts: ended, run: parent.uid, state, ...(error ? {error} : {})})
  return {run: store.runs.get(parent.uid)!, summary: s}
}
