import {hostname} from 'node:os'
import {UserError} from '../errors.ts'
import type {Store} from '../store/store.ts'
import {LIVE_STATES, type RunState} from '../types.ts'
import {requestAbort, runAbortMarker} from './abort-request.ts'
import {endRunProcesses, isGroupAlive, isProcessAlive, isRunProcessAlive, processStartMs} from './liveness.ts'

/** How long to wait for a live run's lode to record the abort before answering. */
const WAIT_MS = 15_000

export async function abortRun(store: Store, ref: string): Promise<{uid: string; action: 'signalled' | 'marked' | 'none'; state: string}> {
  const run = store.runs.resolve(ref)
  if (!LIVE_STATES.includes(run.state)) return {uid: run.uid, action: 'none', state: run.state}
  if (run.host !== hostname()) throw new UserError(`Run ${run.uid.slice(0, 8)} runs on host ${run.host}; abort it there.`)
  if (run.pid !== null && isRunProcessAlive(run)) {
    // Only this run stops: its lode (maybe running a workflow's other steps, or a user's script) sees the request,
    // ends the handler's processes and records the run aborted.
    requestAbort(runAbortMarker(store, run.uid), 'lode runs abort')
    const pgid = store.runs.handlerPid(run.uid)
    if (pgid !== null && isGroupAlive(pgid)) process.kill(-pgid, 'SIGTERM')
    const until = Date.now() + WAIT_MS
    let state: string = run.state
    while (LIVE_STATES.includes(state as RunState) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100))
      state = store.runs.get(run.uid)?.state ?? state
    }
    return {uid: run.uid, action: 'signalled', state}
  }
  // a cluster job whose lode is gone: cancel it, and record it with what it logged until then
  if (run.job) {
    const {attachRun} = await import('./attach.ts')
    const r = await attachRun(store, run.uid, {signal: AbortSignal.abort('lode runs abort')})
    return {uid: run.uid, action: 'marked', state: r.state}
  }
  // lode is gone (kill -9, a crash): end what is left of the handler's process group, then record it
  await killOrphanedHandler(store.runs.handlerPid(run.uid), run.uid, run.created)
  store.runs.markAborted(run.uid, 'aborted: its lode process was gone (marked by lode runs abort)')
  const {abortStaleIterations} = await import('../hyper/stale.ts')
  await abortStaleIterations(store, run.uid, (child) => killOrphanedHandler(store.runs.handlerPid(child.uid), child.uid, child.created))
  return {uid: run.uid, action: 'marked', state: 'aborted'}
}

async function killOrphanedHandler(pgid: number | null, uid: string, created: number): Promise<void> {
  // a live leader started long before the run is another process that was given the same pid
  if (pgid !== null && isProcessAlive(pgid)) {
    const started = processStartMs(pgid)
    if (started !== null && started < created - 2000) pgid = null
  }
  await endRunProcesses(pgid, uid)
}
