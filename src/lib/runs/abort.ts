import {hostname} from 'node:os'
import {UserError} from '../errors.ts'
import type {Store} from '../store/store.ts'
import {isProcessAlive, isRunProcessAlive, processStartMs} from './liveness.ts'

export async function abortRun(store: Store, ref: string): Promise<{uid: string; action: 'signalled' | 'marked' | 'none'; state: string}> {
  const run = store.runs.resolve(ref)
  if (run.state !== 'running' && run.state !== 'created') return {uid: run.uid, action: 'none', state: run.state}
  if (run.host !== hostname()) throw new UserError(`Run ${run.uid.slice(0, 8)} runs on host ${run.host}; abort it there.`)
  if (run.pid !== null && run.pid !== process.pid && isRunProcessAlive(run)) {
    // its lode ends the handler's process tree and records the run as aborted
    process.kill(run.pid, 'SIGTERM')
    return {uid: run.uid, action: 'signalled', state: 'running'}
  }
  // lode is gone (kill -9, a crash): end what is left of the handler's process group, then record it
  killOrphanedHandler(store.runs.handlerPid(run.uid), run.created)
  store.runs.markAborted(run.uid, 'aborted: its lode process was gone (marked by lode runs abort)')
  return {uid: run.uid, action: 'marked', state: 'aborted'}
}

function killOrphanedHandler(pgid: number | null, created: number): void {
  if (pgid === null) return
  // a live leader started long before the run is another process that was given the same pid
  if (isProcessAlive(pgid)) {
    const started = processStartMs(pgid)
    if (started !== null && started < created - 2000) return
  }
  try {
    process.kill(-pgid, 'SIGTERM')
  } catch {
    /* the group is gone already */
  }
}
