// Lineage both ways: what a version was made from (upstream) and what was made from it (downstream).
import type {Store} from '../store/store.ts'
import {escapeControls} from '../views/format.ts'
import type {ArtifactVersion} from '../types.ts'

export interface LineageNode {
  artifact: {key: string; uri: string; version: number; kind: string}
  run?: {uid: string; name: string; state: string}
  children: LineageNode[]
}

export interface Lineage {
  artifact: ArtifactVersion
  upstream: LineageNode[]
  downstream: LineageNode[]
  /** its producer run was deleted (lode runs rm) */
  producerDeleted?: boolean
}

export function lineageOf(store: Store, v: ArtifactVersion, depth = 10): Lineage {
  const producerDeleted = v.producer !== null && !store.runs.get(v.producer)
  return {artifact: v, upstream: upstream(store, v, depth, new Set()), downstream: downstream(store, v, depth, new Set()), ...(producerDeleted ? {producerDeleted} : {})}
}

/** The run that produced `v`, and for each artifact it read, the same again. */
function upstream(store: Store, v: ArtifactVersion, depth: number, seen: Set<number>): LineageNode[] {
  if (depth <= 0 || !v.producer || seen.has(v.id)) return []
  seen.add(v.id)
  const run = store.runs.get(v.producer)
  if (!run) return []
  const nodes: LineageNode[] = []
  for (const input of Object.values(run.inputs)) {
    const src = input.artifact ? store.artifacts.get(input.artifact.id) : undefined
    nodes.push({
      artifact: src ? {key: src.key, uri: src.uri, version: src.version, kind: src.kind} : {key: input.key, uri: input.path, version: 0, kind: 'file'},
      run: {uid: run.uid, name: run.name, state: run.state},
      children: src ? upstream(store, src, depth - 1, seen) : [],
    })
  }
  return nodes
}

/** The runs that read `v`, and what each of them logged, recursively. */
function downstream(store: Store, v: ArtifactVersion, depth: number, seen: Set<number>): LineageNode[] {
  if (depth <= 0 || seen.has(v.id)) return []
  seen.add(v.id)
  const nodes: LineageNode[] = []
  for (const c of store.runs.consumersOf(v.id, v.sha256)) {
    const produced = store.artifacts.list({producer: c.uid, allVersions: true, limit: 1000})
    if (produced.length === 0) nodes.push({artifact: {key: '(nothing logged)', uri: '', version: 0, kind: '-'}, run: {uid: c.uid, name: c.name, state: c.state}, children: []})
    for (const p of produced) {
      nodes.push({artifact: {key: p.key, uri: p.uri, version: p.version, kind: p.kind}, run: {uid: c.uid, name: c.name, state: c.state}, children: downstream(store, p, depth - 1, seen)})
    }
  }
  return nodes
}

export function formatLineage(l: Lineage): string {
  const lines: string[] = []
  const v = l.artifact
  lines.push(`${v.key} v${v.version} (${v.kind})  ${v.uri}`)
  lines.push('', 'upstream (made from):')
  if (l.upstream.length === 0) lines.push(l.producerDeleted ? '  made by a deleted run (lode runs rm)' : v.producer ? `  run ${v.producer.slice(0, 8)} read no inputs` : '  (no producer run)')
  const walk = (nodes: LineageNode[], indent: string, arrow: string) => {
    for (const n of nodes) {
      const via = n.run ? `run ${n.run.uid.slice(0, 8)} ${n.run.name} (${n.run.state})` : ''
      const what = n.artifact.version ? `${n.artifact.key} v${n.artifact.version} (${n.artifact.kind})` : `${n.artifact.key}${n.artifact.uri ? ` ${n.artifact.uri}` : ''}`
      lines.push(`${indent}${arrow} ${arrow === '<-' ? `${via} <- ${what}` : `${via} -> ${what}`}`)
      walk(n.children, indent + '    ', arrow)
    }
  }
  if (v.producer && l.upstream.length) walk(l.upstream, '  ', '<-')
  lines.push('', 'downstream (read by):')
  if (l.downstream.length === 0) lines.push('  (no run has read it yet)')
  walk(l.downstream, '  ', '->')
  return escapeControls(lines.join('\n'), {multiline: true})
}
