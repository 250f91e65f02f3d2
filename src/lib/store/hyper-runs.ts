// A hyperparameter parent's summary (strategy, options, best iteration, each iteration), one JSON document per parent.
import type {HyperSummary} from '../types.ts'
import type {Db} from './db.ts'

export class HyperRecords {
  private readonly db: Db

  constructor(db: Db) {
    this.db = db
  }

  /** Write or replace a parent's summary (inside the caller's transaction, or on its own). */
  save(uid: string, summary: HyperSummary): void {
    this.db.run('INSERT OR REPLACE INTO run_hyper (uid, summary) VALUES (?, ?)', uid, JSON.stringify(summary))
  }

  /** Every sweep's iterations by run: which parents list each run, and whether as their best (a reused run is in more). */
  iterationRuns(): {parent: string; run: string; best: boolean}[] {
    return this.db.all<{parent: string; run: string; best: number}>(
      `SELECT h.uid AS parent, json_extract(it.value, '$.uid') AS run, json_extract(it.value, '$.uid') IS json_extract(h.summary, '$.best.uid') AS best
       FROM run_hyper h, json_each(h.summary, '$.iterations') it WHERE json_extract(it.value, '$.uid') IS NOT NULL`,
    ).map((r) => ({parent: r.parent, run: r.run, best: Number(r.best) === 1}))
  }

  get(uid: string): HyperSummary | undefined {
    const r = this.db.get<{summary: string}>('SELECT summary FROM run_hyper WHERE uid = ?', uid)
    return r ? (JSON.parse(r.summary) as HyperSummary) : undefined
  }
}
