import {hostname} from 'node:os'
import {UserError} from '../errors.ts'
import type {Store} from '../store/store.ts'
import {isRunProcessAlive} from './liveness.ts'

export async function abortRun(store: Store, ref: string): Promise<{uid: string; action: 'signalled' | 'marked' | 'none'; state: string}> {
  const run = store.runs.resolve(ref)
  if (run.state !== 'running' && run.state !== 'created') return {uid: run.uid, action: 'none', state: run.state}
  if (run.host !== hostname()) throw new UserError(`Run ${run.uid.slice(0, 8)} runs on host ${run.host}; abort it there.`)
  if (run.pid !== null && run.pid !== process.pid && isRunProcessAlive(run)) {
    process.kill(run.pid, 'SIGTERM')
    return {uid: run.uid, action: 'signalled', state: 'running'}
  }
  store.runs.markAborted(run.uid, 'aborted: its lode process was gone (marked by lode runs abort)')
  return {uid: run.uid, action: 'marked', state: 'aborted'}
}
