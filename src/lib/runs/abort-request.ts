// A request to abort a run or a workflow owned by another lode process: a marker file that process watches for.
// The owner then stops only that run (or workflow) and records it aborted; nothing else in it is touched.
import {existsSync, mkdirSync, writeFileSync} from '../util/fs.ts'
import {dirname, join} from 'node:path'
import type {Store} from '../store/store.ts'

const MARKER = 'abort-requested'
/** How often an owner looks for the marker: a handler that ignores SIGTERM is stopped within about this long. */
const POLL_MS = 250

export function runAbortMarker(store: Store, uid: string): string {
  return join(store.runDir(uid), MARKER)
}

export function workflowAbortMarker(store: Store, id: string): string {
  return join(store.dir, 'workflows', id, MARKER)
}

/** Ask the owner to abort; `by` says who asked (it ends up in the record: "aborted (interrupted by ...)"). */
export function requestAbort(marker: string, by: string): void {
  mkdirSync(dirname(marker), {recursive: true})
  writeFileSync(marker, `${by}\n`)
}

export function abortRequested(marker: string): boolean {
  return existsSync(marker)
}

/** Call `onRequest` once when the marker appears. Returns a function that stops watching. */
export function watchAbortRequest(marker: string, onRequest: () => void): () => void {
  const timer = setInterval(() => {
    if (!existsSync(marker)) return
    clearInterval(timer)
    onRequest()
  }, POLL_MS)
  timer.unref()
  return () => clearInterval(timer)
}
