// `lode runs compare`: params, results, inputs (by hash) and outputs of several runs side by side.
import type {Store} from '../store/store.ts'
import type {JsonValue, Run} from '../types.ts'

export type CompareSection = 'params' | 'results' | 'inputs' | 'outputs'

export interface CompareRow {
  section: CompareSection
  key: string
  /** one per run, in the runs' order; null where a run has no such key */
  values: (JsonValue | null)[]
  same: boolean
}

export interface OutputDiff {
  key: string
  same: boolean
  a: string
  b: string
  /** the command that shows how the two versions differ (absent when they are the same bytes) */
  command?: string
}

export interface RunComparison {
  runs: {uid: string; name: string; state: Run['state']}[]
  rows: CompareRow[]
  /** for exactly two runs: each output key both produced */
  outputs?: OutputDiff[]
}

interface OutputVersion {
  ref: string
  version: number
  sha256: string
}

export function compareRuns(store: Store, runs: Run[]): RunComparison {
  const outputs = runs.map((r) => producedBy(store, r.uid))
  const sections: [CompareSection, (i: number) => Record<string, JsonValue>][] = [
    ['params', (i) => runs[i]!.params],
    ['results', (i) => runs[i]!.results],
    ['inputs', (i) => Object.fromEntries(Object.values(runs[i]!.inputs).map((inp) => [inp.key, `sha256:${inp.sha256}`]))],
    ['outputs', (i) => Object.fromEntries([...outputs[i]!].map(([k, v]) => [k, `sha256:${v.sha256}`]))],
  ]
  const rows: CompareRow[] = []
  for (const [section, of] of sections) {
    const maps = runs.map((_, i) => of(i))
    const keys = [...new Set(maps.flatMap((m) => Object.keys(m)))].sort()
    for (const key of keys) {
      // own keys only: `key in m` holds for "constructor" or "toString" in a run that has no such param
      const values = maps.map((m) => (Object.hasOwn(m, key) ? m[key]! : null))
      const first = JSON.stringify(values[0])
      rows.push({section, key, values, same: maps.every((m) => Object.hasOwn(m, key)) && values.every((v) => JSON.stringify(v) === first)})
    }
  }
  const result: RunComparison = {runs: runs.map((r) => ({uid: r.uid, name: r.name, state: r.state})), rows}
  if (runs.length === 2) {
    const [a, b] = outputs as [Map<string, OutputVersion>, Map<string, OutputVersion>]
    result.outputs = [...a.keys()].filter((k) => b.has(k)).sort().map((key) => {
      const [va, vb] = [a.get(key)!, b.get(key)!]
      const same = va.sha256 === vb.sha256
      return {key, same, a: va.ref, b: vb.ref, ...(same ? {} : {command: `lode artifacts diff ${va.ref} ${vb.ref}`})}
    })
  }
  return result
}

/** The newest version of each key a run logged. */
function producedBy(store: Store, uid: string): Map<string, OutputVersion> {
  const out = new Map<string, OutputVersion>()
  for (const v of store.artifacts.list({producer: uid, allVersions: true, limit: 10_000})) {
    if (v.producer !== uid || out.has(v.key)) continue
    out.set(v.key, {ref: `${v.key}@${uid.slice(0, 12)}`, version: v.version, sha256: v.sha256})
  }
  return out
}

/** At least two runs, picked by uid or --where. */
export async function compareCommand(store: Store, pick: {uids: string[]; where?: string; parent?: string; limit: number}): Promise<RunComparison> {
  const [{pickRuns}, {UserError}] = await Promise.all([import('./select.ts'), import('../errors.ts')])
  const runs = pickRuns(store, pick, 'runs compare')
  if (runs.length < 2) {
    throw new UserError(`runs compare needs at least two runs; ${pick.parent !== undefined ? `run ${pick.parent} has ${runs.length} iteration${runs.length === 1 ? '' : 's'}${pick.where === undefined ? '' : ' that match --where'}` : pick.where === undefined ? 'one was named' : `--where matched ${runs.length}`}.`, 'List runs with: lode runs ls --where EXPR')
  }
  return compareRuns(store, runs)
}
