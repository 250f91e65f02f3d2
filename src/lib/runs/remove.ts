// `lode runs rm`: delete finished runs, and the artifact versions they produced that nothing else needs. A dry run
// (the default) reports the same plan without changing anything. Objects stay until `lode artifacts gc`.
import {rmSync} from '../util/fs.ts'
import {UserError} from '../errors.ts'
import type {Store} from '../store/store.ts'
import {LIVE_STATES, type ArtifactVersion, type Run, type RunState} from '../types.ts'
import {parseDuration} from '../util/format.ts'
import {isStale} from './liveness.ts'
import {pickRuns} from './select.ts'

export interface RunsRmFlags {
  uids: string[]
  where?: string
  state?: string
  olderThan?: string
  yes: boolean
  keepArtifacts: boolean
}

export interface RunBrief {
  uid: string
  name: string
  state: RunState
  created: number
}

export interface RunsRmResult {
  dryRun: boolean
  /** deleted, or (dry run) to be deleted */
  runs: RunBrief[]
  /** created or running: never deleted */
  running: (RunBrief & {sweep?: string})[]
  versionsRemoved: {key: string; version: number; uri: string}[]
  versionsKept: {key: string; version: number; uri: string; why: string}[]
}

const brief = (r: Run): RunBrief => ({uid: r.uid, name: r.name, state: r.state, created: r.created})

export function removeRuns(store: Store, f: RunsRmFlags): RunsRmResult {
  let olderThanMs: number | undefined
  if (f.olderThan !== undefined) {
    const ms = parseDuration(f.olderThan)
    if (ms === null) throw new UserError(`--older-than "${f.olderThan}" is not a duration.`, 'Give a number and a unit: 90s, 15m, 2h, 7d, 1w')
    olderThanMs = ms
  }
  const plan = () => {
    const picked = pickRuns(store, {uids: f.uids, where: f.where, state: f.state as RunState | undefined, olderThanMs, limit: 10_000_000}, 'runs rm')
    const sweeps = sweepIterations(store)
    const all = withIterations(store, picked, sweeps)
    const running = all.filter((r) => LIVE_STATES.includes(r.state) || liveSweepOf(store, r))
    const doomed = all.filter((r) => !running.includes(r))
    return {running, doomed, ...sortVersions(store, doomed, f.keepArtifacts, sweeps)}
  }
  // the plan is made again inside the deleting transaction, so a run that started reading a version meanwhile keeps it
  const p = f.yes ? store.db.tx(() => {
    const p = plan()
    store.artifacts.deleteVersions(p.gone.map((v) => v.id))
    store.runs.delete(p.doomed.map((r) => r.uid))
    return p
  }) : plan()
  if (f.yes) for (const r of p.doomed) rmSync(store.runDir(r.uid), {recursive: true, force: true})
  return {
    dryRun: !f.yes,
    runs: p.doomed.map(brief),
    running: p.running.map((r) => ({...brief(r), ...(LIVE_STATES.includes(r.state) ? {} : {sweep: r.parent!})})),
    versionsRemoved: p.gone.map((v) => ({key: v.key, version: v.version, uri: v.uri})),
    versionsKept: p.kept.map(({v, why}) => ({key: v.key, version: v.version, uri: v.uri, why})),
  }
}

/** An iteration whose sweep is still running: the sweep may yet pick it as its best. */
function liveSweepOf(store: Store, run: Run): boolean {
  if (run.parent === null || run.iter === null) return false
  const parent = store.runs.get(run.parent)
  return parent !== undefined && LIVE_STATES.includes(parent.state) && !isStale(parent)
}

type SweepEntry = ReturnType<Store['hyper']['iterationRuns']>[number]
/** Every sweep's iteration runs, by parent and by run. */
interface SweepIterations {
  byParent: Map<string, SweepEntry[]>
  byRun: Map<string, SweepEntry[]>
}

function sweepIterations(store: Store): SweepIterations {
  const byParent = new Map<string, SweepEntry[]>()
  const byRun = new Map<string, SweepEntry[]>()
  const add = (m: Map<string, SweepEntry[]>, k: string, e: SweepEntry) => (m.get(k) ?? m.set(k, []).get(k)!).push(e)
  for (const e of store.hyper.iterationRuns()) {
    add(byParent, e.parent, e)
    add(byRun, e.run, e)
  }
  return {byParent, byRun}
}

/**
 * A sweep parent goes with its iterations (MLRun deletes a run with its iterations), except those another sweep that
 * stays lists too: a workflow rerun reuses an earlier sweep's iterations as its own.
 */
function withIterations(store: Store, picked: Run[], sweeps: SweepIterations): Run[] {
  const going = new Set(picked.filter((r) => !LIVE_STATES.includes(r.state)).map((r) => r.uid))
  const out = [...picked]
  const seen = new Set(picked.map((r) => r.uid))
  for (const parent of picked) {
    if (!going.has(parent.uid) || !store.hyper.get(parent.uid)) continue
    const listed = (sweeps.byParent.get(parent.uid) ?? []).map((e) => e.run)
    const own = store.runs.list({parent: parent.uid, limit: 10_000_000}).map((r) => r.uid)
    for (const uid of new Set([...listed, ...own])) {
      if (seen.has(uid) || sweeps.byRun.get(uid)?.some((e) => !going.has(e.parent))) continue
      const run = store.runs.get(uid)
      if (!run) continue
      seen.add(uid)
      out.push(run)
    }
  }
  return out
}

/** The versions the doomed runs produced: kept while tagged, read by a run that stays, a staying sweep's best, or held by a workflow. */
function sortVersions(store: Store, doomed: Run[], keepAll: boolean, sweeps: SweepIterations): {gone: ArtifactVersion[]; kept: {v: ArtifactVersion; why: string}[]} {
  const going = new Set(doomed.map((r) => r.uid))
  const held = new Map<number, string>()
  for (const h of store.artifacts.holders()) if (h.workflow) held.set(h.id, `a resumable workflow (${h.workflow.name}) reuses it`)
  const gone: ArtifactVersion[] = []
  const kept: {v: ArtifactVersion; why: string}[] = []
  for (const run of doomed) {
    // a sweep's outputs (and `KEY`) point at its best iteration's versions
    const bestOf = sweeps.byRun.get(run.uid)?.find((e) => e.best && !going.has(e.parent))
    for (const v of store.artifacts.list({producer: run.uid, allVersions: true, limit: 1_000_000})) {
      if (v.producer !== run.uid) continue
      const tags = v.tags.filter((t) => t !== 'latest')
      const readers = store.runs.consumersOf(v.id, v.sha256).filter((c) => !going.has(c.uid))
      const why = keepAll ? '--keep-artifacts'
        : tags.length ? `tagged ${tags.join(', ')}`
        : readers.length ? `read by run ${readers[0]!.uid.slice(0, 8)} (${readers[0]!.name})${readers.length > 1 ? ` and ${readers.length - 1} more` : ''}`
        : bestOf ? `the best iteration of sweep ${bestOf.parent.slice(0, 8)}, whose outputs point at it`
        : held.get(v.id)
      if (why) kept.push({v, why})
      else gone.push(v)
    }
  }
  return {gone, kept}
}
