// A sweep whose lode died (kill -9, a crash) mid-sweep: marking its parent aborted marks the iterations it had started
// too, and its recorded iterations then say what became of each (the summary was last written when the sweep began).
import {isStale} from '../runs/liveness.ts'
import type {Store} from '../store/store.ts'
import type {Run} from '../types.ts'

export async function abortStaleIterations(store: Store, parentUid: string, endProcesses: (child: Run) => Promise<void>): Promise<void> {
  const summary = store.hyper.get(parentUid)
  if (!summary) return
  const children = () => store.runs.list({parent: parentUid, limit: Number.MAX_SAFE_INTEGER})
  for (const child of children()) {
    if (!isStale(child)) continue
    await endProcesses(child)
    store.runs.markAborted(child.uid, 'aborted: its lode process was gone (marked by lode runs abort of its sweep)')
  }
  const byIter = new Map(children().map((c) => [c.iter, c]))
  for (const it of summary.iterations) {
    const run = byIter.get(it.iter) ?? (it.uid === null ? undefined : store.runs.get(it.uid))
    if (run) {
      it.uid = run.uid
      it.state = run.state
      it.results = run.results
      it.durationMs = run.started !== null && run.ended !== null ? run.ended - run.started : null
    } else if (it.state === 'skipped' || it.state === 'running') it.state = 'aborted'
  }
  store.db.tx(() => store.hyper.save(parentUid, summary))
}
