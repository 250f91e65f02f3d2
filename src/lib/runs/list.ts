import type {RunQuery} from '../store/runs.ts'
import type {Store} from '../store/store.ts'
import type {Run} from '../types.ts'
import {displayState} from './liveness.ts'

export function listRuns(store: Store, q: RunQuery): Run[] {
  return store.runs.list(q).map((r) => ({...r, state: displayState(r) as Run['state']}))
}
