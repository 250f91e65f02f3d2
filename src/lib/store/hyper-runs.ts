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

  get(uid: string): HyperSummary | undefined {
    const r = this.db.get<{summary: string}>('SELECT summary FROM run_hyper WHERE uid = ?', uid)
    return r ? (JSON.parse(r.summary) as HyperSummary) : undefined
  }
}
