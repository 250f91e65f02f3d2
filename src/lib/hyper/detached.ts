// A sweep on Slurm whose lode went away (kill -9): its tasks keep running in their job array. `lode runs attach PARENT`
// follows every task still live, then concludes the sweep as its lode would have; attaching (or reconciling) the last
// live child concludes it too.
import {appendFileSync} from '../util/fs.ts'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {abortRequested, runAbortMarker, watchAbortRequest} from '../runs/abort-request.ts'
import {isStale} from '../runs/liveness.ts'
import type {Store} from '../store/store.ts'
import {LIVE_STATES, type IterationSummary, type Run, type RunEvent} from '../types.ts'
import {bestIteration} from './select.ts'
import {concludeSweep, tooManyErrors} from './sweep.ts'

const live = (r: Run) => LIVE_STATES.includes(r.state)
const children = (store: Store, uid: string) => store.runs.list({parent: uid, limit: 1_000_000})

/** Whether a run is the parent of a sweep on a cluster (its job: the array). */
export function isJobSweep(store: Store, run: Run): boolean {
  return Boolean(run.job) && store.hyper.get(run.uid) !== undefined
}

/**
 * Follow every live task of a detached sweep to its end (`follow`: attach one child run), then record the sweep.
 * `hooks.signal` aborted (Ctrl-C, lode runs abort): the whole array is cancelled and the sweep recorded aborted.
 */
export async function attachSweep(store: Store, parent: Run, hooks: {signal?: AbortSignal; onEvent?: (e: RunEvent) => void},
  follow: (child: Run, signal: AbortSignal) => Promise<unknown>): Promise<Run> {
  if (!store.runs.claimJob(parent.uid, parent.pid, hostname())) return store.runs.get(parent.uid)!
  const stop = new AbortController()
  const onAbort = () => stop.abort(hooks.signal?.reason)
  hooks.signal?.addEventListener('abort', onAbort, {once: true})
  if (hooks.signal?.aborted) onAbort()
  const marker = runAbortMarker(store, parent.uid)
  const unwatch = watchAbortRequest(marker, () => stop.abort('lode runs abort'))
  const {scancel} = await import('../runtimes/slurm/commands.ts')
  const cancelled = new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => void scancel(parent.job!.id).then(resolve), {once: true}))
  try {
    await Promise.all(children(store, parent.uid).filter(live).map(async (child) => {
      // its lode died before the array was submitted: it never ran
      if (!child.job) return store.runs.markAborted(child.uid, 'aborted: lode stopped before its job array was submitted')
      if (!isStale(child) || !store.runs.claimJob(child.uid, child.pid, hostname())) return
      await follow(child, stop.signal)
    }))
    if (stop.signal.aborted) await cancelled
    const reason = abortRequested(marker) ? 'lode runs abort' : stop.signal.aborted ? String(stop.signal.reason ?? 'SIGINT') : null
    return await concludeDetachedSweep(store, store.runs.get(parent.uid)!, reason, hooks.onEvent)
  } catch (error) {
    store.runs.markFailed(parent.uid, `lode failed while attaching to its sweep: ${(error as Error).message}`)
    throw error
  } finally {
    unwatch()
    hooks.signal?.removeEventListener('abort', onAbort)
  }
}

/** A detached sweep whose children are all over (recorded by whoever attached them): record it now. */
export async function concludeSweepIfOver(store: Store, uid: string): Promise<void> {
  const parent = store.runs.get(uid)
  if (!parent || !live(parent) || !isStale(parent) || !isJobSweep(store, parent)) return
  if (children(store, uid).some(live)) return
  if (!store.runs.claimJob(uid, parent.pid, hostname())) return
  await concludeDetachedSweep(store, store.runs.get(uid)!, null)
}

/** The sweep's summary from its children's records, then the parent concluded as its own lode would have. */
async function concludeDetachedSweep(store: Store, parent: Run, aborted: string | null, onEvent?: (e: RunEvent) => void): Promise<Run> {
  const saved = store.hyper.get(parent.uid)!
  const byIter = new Map(children(store, parent.uid).map((c) => [c.iter, c]))
  const iterations: IterationSummary[] = saved.iterations.map((it) => {
    const c = byIter.get(it.iter)
    if (!c) return it.uid === null && aborted ? {...it, state: 'aborted'} : it
    return {...it, uid: c.uid, state: c.state, results: c.results, durationMs: c.ended !== null && c.started !== null ? c.ended - c.started : null}
  })
  const failed = iterations.filter((it) => it.state === 'error').length
  const {maxErrors, selector} = saved.options
  const stopped = maxErrors !== null && failed > maxErrors ? tooManyErrors(maxErrors) : saved.stopped
  const runDir = store.runDir(parent.uid)
  const emit = (e: RunEvent) => {
    appendFileSync(join(runDir, 'events.jsonl'), JSON.stringify(e) + '\n')
    onEvent?.(e)
  }
  const note = (line: string) => appendFileSync(join(runDir, 'output.log'), `${line}\n`)
  note('lode attached to this sweep after the lode that started it was gone')
  const summary = {options: saved.options, best: bestIteration(iterations, selector), stopped, iterations}
  return (await concludeSweep(store, parent, summary, {aborted, failed, emit, note})).run
}
