// The runs a command acts on: named by uid (or unique prefix), or found by --where (and for `runs rm`, --state and
// --older-than). Everything is parsed and resolved before the caller changes anything.
import {UserError} from '../errors.ts'
import {parseExpression} from '../query/parse.ts'
import type {Store} from '../store/store.ts'
import type {Run, RunState} from '../types.ts'

export interface RunPick {
  uids: string[]
  where?: string
  state?: RunState
  /** created before this many ms ago */
  olderThanMs?: number
  /** the iterations (or steps) of this run: a uid or unique prefix */
  parent?: string
  limit: number
}

export function pickRuns(store: Store, p: RunPick, command: string): Run[] {
  const filtered = p.where !== undefined || p.state !== undefined || p.olderThanMs !== undefined || p.parent !== undefined
  if (p.uids.length > 0 && filtered) throw new UserError(`Name runs by uid or select them with flags, not both.`, `Try: lode ${command} 1a2b3c 4d5e6f, or lode ${command} --where '...'`)
  if (p.uids.length === 0 && !filtered) throw new UserError('Which runs? Give uids, or --where EXPR.', `Try: lode ${command} 1a2b3c 4d5e6f, or lode ${command} --where 'results.accuracy > 0.9'`)
  if (p.uids.length > 0) {
    const runs = p.uids.map((u) => store.runs.resolve(u))
    const seen = new Set<string>()
    return runs.filter((r) => !seen.has(r.uid) && seen.add(r.uid))
  }
  const where = p.where === undefined ? undefined : parseExpression(p.where, {source: '--where'})
  const parent = p.parent === undefined ? undefined : store.runs.resolve(p.parent).uid
  return store.runs.list({where, parent, state: p.state, createdBefore: p.olderThanMs === undefined ? undefined : Date.now() - p.olderThanMs, limit: p.limit})
}
