// What the UI's JSON API answers, as plain functions over the store: the server calls them per request, and
// `lode report` calls the same ones to embed their answers in one file. Nothing here writes to the store.
import {existsSync} from '../util/fs.ts'
import {join} from 'node:path'
import {NotFoundError, UserError} from '../errors.ts'
import {lineageOf, type LineageNode} from '../artifacts/lineage.ts'
import {diffArtifacts} from '../artifacts/diff-command.ts'
import {parseRunSelection} from '../runs/selection.ts'
import {compareRuns} from '../runs/compare.ts'
import {displayState, workflowDisplayState} from '../runs/liveness.ts'
import {dataVersion, orderedUids, runsByUids, runsPage} from '../store/ui-runs.ts'
import type {Store} from '../store/store.ts'
import type {ArtifactVersion, Run} from '../types.ts'
import {summarize} from '../workflow/summary.ts'
import {readLogFrom} from './log-tail.ts'

export const MAX_PAGE = 1000

function shown(run: Run): Run {
  return {...run, state: displayState(run) as Run['state']}
}

/** The fields a table row needs: no inputs, outputs or warnings (the run page has them). */
export function runRow(run: Run) {
  const {uid, name, state, kind, function: fn, created, started, ended, labels, params, results, parent, iter, workflowId, step} = shown(run)
  return {uid, name, state, kind, function: fn, created, started, ended, labels, params, results, parent, iter, workflowId, step}
}

function int(text: string | null, fallback: number, name: string, max: number): number {
  if (text === null || text === '') return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${name} must be a whole number >= 0, not "${text}".`)
  return Math.min(n, max)
}

/**
 * The ordered list of uids, kept by the server while the store is unchanged: scrolling pages through it then costs a
 * slice, not a scan of every run per page (a far offset of a sort on a JSON field would sort nearly all of them).
 */
export class OrderCache {
  private readonly entries = new Map<string, string[]>()
  get(key: string, make: () => string[]): string[] {
    let hit = this.entries.get(key)
    if (hit) this.entries.delete(key)
    else hit = make()
    this.entries.set(key, hit)
    while (this.entries.size > 4) this.entries.delete(this.entries.keys().next().value!)
    return hit
  }
}

export function apiRuns(store: Store, q: URLSearchParams, cache?: OrderCache) {
  const [whereText, sortText] = [q.get('where') || undefined, q.get('sort') || undefined]
  const sel = parseRunSelection({where: whereText, sort: sortText})
  const limit = int(q.get('limit'), 100, 'limit', MAX_PAGE)
  const offset = int(q.get('offset'), 0, 'offset', Number.MAX_SAFE_INTEGER)
  if (cache) {
    const uids = cache.get(`${dataVersion(store)}\n${whereText ?? ''}\n${sortText ?? ''}`, () => orderedUids(store, {where: sel.where, sort: sel.sort}))
    return {total: uids.length, offset, runs: runsByUids(store, uids.slice(offset, offset + limit)).map((r) => runRow(r))}
  }
  const page = runsPage(store, {where: sel.where, sort: sel.sort, limit, offset})
  return {total: page.total, offset, runs: page.runs.map((r) => runRow(r))}
}

export function apiRun(store: Store, uid: string) {
  const run = shown(store.runs.resolve(uid))
  const artifacts = store.artifacts.list({producer: run.uid, allVersions: true, limit: 1000}).filter((v) => v.producer === run.uid)
  const withMeta = artifacts.map((v) => store.artifacts.get(v.id, {meta: true}) ?? v)
  return {run, artifacts: withMeta}
}

export function apiRunLog(store: Store, uid: string, q: URLSearchParams) {
  const run = store.runs.resolve(uid)
  const from = q.get('from')
  return {uid: run.uid, ...readLogFrom(join(store.runDir(run.uid), 'output.log'), from === null ? null : int(from, 0, 'from', Number.MAX_SAFE_INTEGER))}
}

export function apiArtifacts(store: Store, q: URLSearchParams) {
  const key = q.get('key') || undefined
  const versions = key ? store.artifacts.versionsOf(key) : store.artifacts.list({allVersions: q.get('all') === '1', limit: int(q.get('limit'), 500, 'limit', 5000)})
  return {artifacts: versions}
}

export function artifactById(store: Store, idText: string): ArtifactVersion {
  const id = Number(idText)
  const v = Number.isSafeInteger(id) ? store.artifacts.get(id, {meta: true}) : undefined
  if (!v) throw new NotFoundError(`No artifact version with id ${idText}.`, 'List artifacts with: lode artifacts ls')
  return v
}

export function apiArtifact(store: Store, idText: string) {
  const v = artifactById(store, idText)
  return {artifact: v, versions: store.artifacts.versionsOf(v.key), consumers: store.runs.consumersOf(v.id, v.sha256)}
}

type Node = LineageNode & {artifact: LineageNode['artifact'] & {id?: number}}

/** Each node gets its version's id, so the page can link to it. */
function withIds(store: Store, nodes: Node[]): Node[] {
  for (const n of nodes) {
    if (n.artifact.version > 0) {
      try {
        n.artifact.id = store.artifacts.resolve({key: n.artifact.key, tag: `v${n.artifact.version}`}).id
      } catch { /* removed since */ }
    }
    withIds(store, n.children)
  }
  return nodes
}

export function apiLineage(store: Store, idText: string) {
  const l = lineageOf(store, artifactById(store, idText))
  withIds(store, [...l.upstream, ...l.downstream])
  return {artifact: l.artifact, upstream: l.upstream, downstream: l.downstream, producerDeleted: l.producerDeleted ?? false}
}

export async function apiDiff(store: Store, q: URLSearchParams) {
  const [a, b] = [artifactById(store, q.get('a') ?? ''), artifactById(store, q.get('b') ?? '')]
  const d = await diffArtifacts(store, `${a.key}:v${a.version}`, `${b.key}:v${b.version}`)
  return {a: {id: a.id, key: a.key, version: a.version}, b: {id: b.id, key: b.key, version: b.version}, text: d.text, ...d.data}
}

export function apiCompare(store: Store, q: URLSearchParams) {
  const uids = (q.get('uids') ?? '').split(',').map((u) => u.trim()).filter(Boolean)
  const runs = [...new Map(uids.map((u) => store.runs.resolve(u)).map((r) => [r.uid, r])).values()]
  if (runs.length < 2) throw new UserError('Compare needs at least two runs.', 'Tick two or more runs in the runs table.')
  return {comparison: compareRuns(store, runs), runs: runs.map(runRow)}
}

export function apiWorkflows(store: Store) {
  return {workflows: store.workflows.list({limit: 200}).map((w) => summarize(workflowDisplayState(w), store))}
}

export async function apiWorkflow(store: Store, id: string) {
  const w = workflowDisplayState(store.workflows.resolve(id))
  const edges = await workflowEdges(w.file, Object.keys(w.steps))
  return {workflow: summarize(w, store), edges: edges.length ? edges : edgesFromRuns(store, w.steps)}
}

/** Without the file: a step waits for the step whose run made an artifact its run read (steps that ran only). */
function edgesFromRuns(store: Store, steps: Record<string, {run: string | null}>): [string, string][] {
  const stepOfRun = new Map(Object.entries(steps).filter(([, s]) => s.run).map(([name, s]) => [s.run!, name]))
  const edges = new Set<string>()
  for (const [name, s] of Object.entries(steps)) {
    const run = s.run ? store.runs.get(s.run) : undefined
    for (const input of Object.values(run?.inputs ?? {})) {
      const producer = input.artifact ? store.artifacts.get(input.artifact.id)?.producer : undefined
      const from = producer ? stepOfRun.get(producer) : undefined
      if (from && from !== name) edges.add(JSON.stringify([from, name]))
    }
  }
  return [...edges].map((e) => JSON.parse(e) as [string, string])
}

/** step -> the steps it waits for, from the workflow file when it is still there (and parses); none otherwise. */
async function workflowEdges(file: string | null, steps: string[]): Promise<[string, string][]> {
  if (!file || !existsSync(file) || !/\.ya?ml$/i.test(file)) return []
  // YAML and the workflow parser load only for this page
  const [{buildDag}, {parseYamlFile}] = await Promise.all([import('../workflow/dag.ts'), import('../workflow/load.ts')])
  try {
    const dag = buildDag(parseYamlFile(file))
    return [...dag.deps].flatMap(([step, deps]) => deps.filter((d) => steps.includes(d) && steps.includes(step)).map((d) => [d, step] as [string, string]))
  } catch {
    return [] // the file changed since and no longer parses: the steps are drawn without edges
  }
}
