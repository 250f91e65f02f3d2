// Artifacts: keys with their latest version; one version with its versions, tags, diff against another, and lineage
// drawn as a graph both ways, each node a link.
import type {ArtifactVersion} from '../../types.ts'
import {artifactPreview, downloadLink} from './artifact-view.ts'
import {deltaBars} from './charts.ts'
import {get, isReport} from './data.ts'
import {fmtSize, fmtTime, h, kvTable, section} from './dom.ts'
import {drawGraph, type GraphNode} from './graph.ts'
import type {Page} from './page.ts'

export function artifactsPage(root: HTMLElement): Page {
  const draw = async () => {
    const {artifacts} = await get<{artifacts: ArtifactVersion[]}>('/api/artifacts')
    root.replaceChildren(h('h1', {}, 'Artifacts'), h('table', {class: 'grid', id: 'artifacts-table'},
      h('thead', {}, h('tr', {}, ['key', 'kind', 'version', 'tags', 'size', 'producer', 'created'].map((c) => h('th', {}, c)))),
      h('tbody', {}, artifacts.map((v) => h('tr', {'data-key': v.key}, h('td', {}, h('a', {href: `#/artifact/${v.id}`}, v.key)), h('td', {}, v.kind), h('td', {}, `v${v.version}`),
        h('td', {}, v.tags.join(', ')), h('td', {}, fmtSize(v.size)), h('td', {}, v.producer ? h('a', {href: `#/run/${v.producer}`}, v.producer.slice(0, 8)) : '-'), h('td', {}, fmtTime(v.created)))))))
  }
  void draw()
  return {onStore: () => void draw()}
}

interface LineageNode {
  artifact: {key: string; uri: string; version: number; kind: string; id?: number}
  run?: {uid: string; name: string; state: string}
  children: LineageNode[]
}

function lineageGraph(v: ArtifactVersion, up: LineageNode[], down: LineageNode[]): SVGSVGElement {
  const nodes: GraphNode[] = [{id: `a${v.id}`, label: `${v.key} v${v.version}`, sub: v.kind, column: 0, cls: 'current'}]
  const edges: [string, string][] = []
  const seen = new Set([`a${v.id}`])
  const add = (n: LineageNode, column: number, from: string, dir: 1 | -1) => {
    const runId = `r${n.run?.uid ?? ''}:${column}`
    if (n.run && !seen.has(runId)) {
      seen.add(runId)
      nodes.push({id: runId, label: n.run.name, sub: `run ${n.run.uid.slice(0, 8)} · ${n.run.state}`, column: column - dir * 0.5, href: `#/run/${n.run.uid}`, cls: `run state-${n.run.state}`})
    }
    if (n.run) edges.push(dir === 1 ? [from, runId] : [runId, from])
    const id = n.artifact.id !== undefined ? `a${n.artifact.id}` : `f${n.artifact.key}:${column}`
    if (!seen.has(id)) {
      seen.add(id)
      nodes.push({id, label: n.artifact.version ? `${n.artifact.key} v${n.artifact.version}` : n.artifact.key, sub: n.artifact.kind, column, href: n.artifact.id !== undefined ? `#/artifact/${n.artifact.id}` : undefined})
    }
    edges.push(dir === 1 ? [n.run ? runId : from, id] : [id, n.run ? runId : from])
    for (const c of n.children) add(c, column + dir, id, dir)
  }
  for (const n of up) add(n, -1, `a${v.id}`, -1)
  for (const n of down) add(n, 1, `a${v.id}`, 1)
  return drawGraph(nodes, edges, 'lineage')
}

export function artifactPage(root: HTMLElement, id: string): Page {
  void (async () => {
    const [{artifact: v, versions, consumers}, lineage] = await Promise.all([
      get<{artifact: ArtifactVersion; versions: ArtifactVersion[]; consumers: {uid: string; name: string}[]}>(`/api/artifacts/${id}`),
      get<{upstream: LineageNode[]; downstream: LineageNode[]; producerDeleted: boolean}>(`/api/artifacts/${id}/lineage`),
    ])
    const diffBox = h('div', {id: 'diff'})
    const other = h('select', {id: 'diff-with'}, versions.filter((x) => x.id !== v.id).map((x) => h('option', {value: String(x.id)}, `v${x.version}${x.tags.length ? ` (${x.tags.join(', ')})` : ''}`)))
    const showDiff = async () => {
      const d = await get<{text: string; diff?: {kind?: string; columns?: {name: string; stats: Record<string, {delta: number | null}>; changed: boolean}[]}}>('/api/diff', {a: other.value, b: String(v.id)})
      const bars = (d.diff?.columns ?? []).flatMap((c) => Object.entries(c.stats).filter(([, s]) => typeof s.delta === 'number' && s.delta !== 0).map(([k, s]) => ({label: `${c.name} ${k}`, delta: s.delta!}))).slice(0, 30)
      diffBox.replaceChildren(h('pre', {class: 'diff-text'}, d.text), bars.length ? deltaBars(bars) : '')
    }
    root.replaceChildren(
      h('h1', {}, `${v.key} v${v.version}`, ' ', h('span', {class: 'muted'}, v.kind), ' ', downloadLink(v)),
      h('div', {class: 'columns'},
        section('Version', kvTable([['uri', v.uri], ['sha256', v.sha256], ['size', fmtSize(v.size)], ['format', v.format], ['tags', v.tags.join(', ')],
          ['producer', v.producer ? h('a', {href: `#/run/${v.producer}`}, v.producer.slice(0, 12)) : '-'], ['created', fmtTime(v.created)],
          ['labels', Object.entries(v.labels).map(([k, x]) => `${k}=${x}`).join(' ')], ['read by', h('span', {}, consumers.map((c) => h('a', {href: `#/run/${c.uid}`}, `${c.name} `)))]])),
        section('Versions', h('ul', {id: 'versions'}, versions.map((x) => h('li', {}, h('a', {href: `#/artifact/${x.id}`}, `v${x.version}`), ` ${x.tags.join(', ')} · ${fmtTime(x.created)}`))),
          versions.length > 1 && !isReport ? h('div', {class: 'toolbar'}, 'diff against ', other, h('button', {id: 'diff-go', onclick: () => void showDiff()}, 'Diff')) : '', diffBox)),
      section('Lineage', lineage.producerDeleted ? h('p', {class: 'muted'}, 'made by a deleted run') : '', h('div', {class: 'graph'}, lineageGraph(v, lineage.upstream, lineage.downstream))),
      section('Preview', artifactPreview(v)))
  })().catch((e: Error) => root.replaceChildren(h('div', {class: 'error'}, e.message)))
  return {}
}
