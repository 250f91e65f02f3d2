// `lode runs attach` as a service: the run's events and output shown as `lode run` shows them, then its outcome.
import type {LodeError} from '../errors.ts'
import {showRun} from '../executor/run-command.ts'
import type {Store} from '../store/store.ts'
import type {Run} from '../types.ts'
import {attachRun} from './attach.ts'

export async function attachWithUi(store: Store, ref: string, ui: {json: boolean}): Promise<{run: Run; failure: LodeError | null}> {
  const before = store.runs.resolve(ref)
  return showRun({function: before.function, handler: before.handler}, ui, (hooks) => attachRun(store, ref, hooks))
}
