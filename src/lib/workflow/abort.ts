// `lode workflow abort`: stop a live workflow through its own lode (which records it), or mark a stale one aborted.
import {hostname} from 'node:os'
import {UserError} from '../errors.ts'
import {requestAbort, workflowAbortMarker} from '../runs/abort-request.ts'
import {abortRun} from '../runs/abort.ts'
import {isWorkflowStale} from '../runs/liveness.ts'
import type {Store} from '../store/store.ts'

export interface WorkflowAbortResult {
  id: string
  /** requested: its lode stops the steps and records it; marked: its lode was gone; none: it had ended */
  action: 'requested' | 'marked' | 'none'
  state: string
}

/** How long to wait for a live workflow's lode to record the abort before answering. */
const WAIT_MS = 15_000

export async function abortWorkflow(store: Store, ref: string): Promise<WorkflowAbortResult> {
  const records = store.workflows
  const w = records.resolve(ref)
  if (w.state !== 'running' && w.state !== 'created') return {id: w.id, action: 'none', state: w.state}
  if (w.host !== hostname()) throw new UserError(`Workflow ${w.id.slice(0, 8)} runs on host ${w.host}; abort it there.`)
  if (!isWorkflowStale(w)) {
    requestAbort(workflowAbortMarker(store, w.id), 'lode workflow abort')
    const until = Date.now() + WAIT_MS
    let state = w.state as string
    while (state === 'running' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100))
      state = records.get(w.id)?.state ?? state
    }
    return {id: w.id, action: 'requested', state}
  }
  // its lode is gone: its running steps' runs are stale too; end what is left of them and record it all aborted
  const ended = Date.now()
  for (const [name, step] of Object.entries(w.steps)) {
    if (step.state !== 'running' && step.state !== 'waiting') continue
    if (step.run) await abortRun(store, step.run)
    const error = step.state === 'running' ? 'aborted: its lode process was gone' : 'aborted before it started'
    records.setStep(w.id, name, {...step, state: 'aborted', error, ended: step.state === 'running' ? ended : null})
  }
  records.setState(w.id, 'aborted', {error: 'aborted: its lode process was gone (marked by lode workflow abort)', ended})
  return {id: w.id, action: 'marked', state: 'aborted'}
}
