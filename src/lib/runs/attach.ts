// A cluster job whose lode went away (kill -9, a closed laptop) kept running: its events, output and staged artifacts
// are in the run's folder. Attaching follows the job to its end from those files and records the run as its own lode
// would have. Every command reconciles finished detached jobs when it opens the project (one indexed query when none).
import {readFileSync, rm, writeFileSync} from '../util/fs.ts'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {UserError} from '../errors.ts'
import {concludeRun} from '../executor/conclude.ts'
import {eventDirOf, openJournal, outcomeOf} from '../executor/execute.ts'
import {receiveEvents} from '../executor/receive.ts'
import type {ExitInfo} from '../executor/spawn.ts'
import {createMask} from '../secrets/mask.ts'
import type {Store} from '../store/store.ts'
import type {Run, RunEvent} from '../types.ts'
import {abortRequested, runAbortMarker, watchAbortRequest} from './abort-request.ts'
import {isStale} from './liveness.ts'

export interface AttachHooks {
  signal?: AbortSignal
  onEvent?: (e: RunEvent) => void
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string | Uint8Array) => void
}

/** Follow a detached job run to its end and record it; a run already over is answered as it is. */
export async function attachRun(store: Store, ref: string, hooks: AttachHooks = {}): Promise<Run> {
  const run = store.runs.resolve(ref)
  const id = run.uid.slice(0, 8)
  // a run already recorded is answered as it is, wherever it ran
  if (run.state !== 'queued' && run.state !== 'running' && run.state !== 'created') return run
  if (!run.job) throw new UserError(`Run ${id} runs on this machine, not as a cluster job: there is nothing to attach to.`, `See it with: lode runs get ${id}`)
  if (!isStale(run) && run.pid !== process.pid) {
    throw new UserError(`Run ${id} is followed by its lode process ${run.pid} on ${run.host}; it records the run itself.`, `See it with: lode runs get ${id}, or stop it with: lode runs abort ${id}`)
  }
  const sweeps = await import('../hyper/detached.ts')
  // a sweep's job array: every task followed, then the sweep recorded
  if (sweeps.isJobSweep(store, run)) return sweeps.attachSweep(store, run, hooks, (child, signal) => followDetached(store, child, {signal}))
  if (!store.runs.claimJob(run.uid, run.pid, hostname())) return store.runs.get(run.uid)!
  const done = await followDetached(store, run, hooks)
  if (done.parent) await sweeps.concludeSweepIfOver(store, done.parent)
  return done
}

async function followDetached(store: Store, run: Run, hooks: AttachHooks): Promise<Run> {
  const {followJob} = await import('../runtimes/slurm/follow.ts')
  const {removeJobFiles} = await import('../runtimes/slurm/runtime.ts')
  const runDir = store.runDir(run.uid)
  const stagingDir = join(runDir, 'staging')
  keepLodeLines(join(runDir, 'events.jsonl'))
  // secret values are not stored anywhere: a run given secrets gets no output rather than unmasked output
  const withheld = Boolean(run.secrets?.length)
  writeFileSync(join(runDir, 'output.log'), withheld ? '[lode] output withheld: the run was given secrets, and lode attached without their values to mask them\n' : '')
  const stop = new AbortController()
  const journal = openJournal(runDir, hooks, () => stop.abort(), null)
  const onAbort = () => stop.abort(hooks.signal?.reason)
  hooks.signal?.addEventListener('abort', onAbort, {once: true})
  const marker = runAbortMarker(store, run.uid)
  const unwatch = watchAbortRequest(marker, () => stop.abort('lode runs abort'))
  try {
    const received = receiveEvents(run.uid, run.labels, eventDirOf(runDir), journal, createMask([]))
    received.warn('lode attached to this job after the lode that submitted it was gone; inputs were not re-checked for changes while it ran')
    let exit: ExitInfo = await followJob({
      job: run.job!, runDir, signal: stop.signal, onEventLine: received.onEventLine, onOversizeLine: received.onOversizeLine,
      onOutput: (stream, chunk) => {
        if (!withheld) journal.output(stream, chunk)
      },
      onJob: (job, state) => {
        store.runs.setJob(run.uid, job, state)
        journal.emit({t: 'state', ts: Date.now(), run: run.uid, state, job})
      },
    })
    if (!exit.aborted && abortRequested(marker)) exit = {...exit, aborted: true}
    received.drainEventDir()
    const abortedBy = abortRequested(marker) ? 'lode runs abort' : typeof stop.signal.reason === 'string' ? stop.signal.reason : undefined
    const stored = await concludeRun(store, store.runs.get(run.uid)!, exit.exitCode, exit.signal, outcomeOf(exit, received.failure, abortedBy), received, {stagingDir, declaredOutputs: run.declaredOutputs})
    for (const v of stored.versions) journal.emit({t: 'ingested', ts: Date.now(), run: run.uid, artifact: v})
    journal.emit({t: 'state', ts: Date.now(), run: run.uid, state: stored.state, ...(stored.error ? {error: stored.error} : {})})
  } catch (error) {
    store.runs.markFailed(run.uid, `lode failed while attaching to it: ${(error as Error).message}`)
    throw error
  } finally {
    unwatch()
    hooks.signal?.removeEventListener('abort', onAbort)
    journal.close()
    await rm(stagingDir, {recursive: true, force: true})
    await rm(eventDirOf(runDir), {recursive: true, force: true})
    await rm(join(runDir, 'inputs'), {recursive: true, force: true})
    await removeJobFiles(runDir)
  }
  return store.runs.get(run.uid)!
}

/** events.jsonl keeps lode's own lines; the handler's are journaled again, in order, as the job's file is replayed. */
function keepLodeLines(path: string): void {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return
  }
  const kept = text.split('\n').filter((line) => line.startsWith('{"t":"state"'))
  writeFileSync(path, kept.length ? `${kept.join('\n')}\n` : '')
}

/**
 * Record the detached job runs that have ended (their lode is gone, their job is over), as any command opens the
 * project. A job still running stays detached: `lode runs attach` follows it.
 */
export async function reconcileJobs(store: Store, detached: Run[]): Promise<void> {
  const {jobEnded} = await import('../runtimes/slurm/follow.ts')
  const sweeps = await import('../hyper/detached.ts')
  const parents = new Set<string>()
  for (const run of detached) {
    if (run.parent) parents.add(run.parent)
    if (sweeps.isJobSweep(store, run)) {
      parents.add(run.uid)
      continue
    }
    if (!(await jobEnded(store.runDir(run.uid), run.job!.id))) continue
    if (!store.runs.claimJob(run.uid, run.pid, hostname())) continue
    await followDetached(store, run, {}).catch(() => {})
  }
  // a sweep whose every task is now recorded
  for (const uid of parents) await sweeps.concludeSweepIfOver(store, uid).catch(() => {})
}
