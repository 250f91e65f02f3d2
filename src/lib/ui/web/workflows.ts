// Workflows: the list, and one workflow's DAG with each step's state (cached steps marked), redrawn as it runs.
import {get} from './data.ts'
import {fmtDuration, fmtTime, h, stateBadge} from './dom.ts'
import {drawGraph, type GraphNode} from './graph.ts'
import type {Page} from './page.ts'

interface Step {
  name: string
  state: string
  run: string | null
  durationMs: number | null
}

interface Summary {
  id: string
  name: string
  state: string
  created: number
  durationMs: number | null
  error: string | null
  steps: Step[]
}

export function workflowsPage(root: HTMLElement): Page {
  const draw = async () => {
    const {workflows} = await get<{workflows: Summary[]}>('/api/workflows')
    root.replaceChildren(h('h1', {}, 'Workflows'), workflows.length === 0 ? h('p', {class: 'muted'}, 'No workflows yet (lode workflow run FILE).') : h('table', {class: 'grid', id: 'workflows-table'},
      h('thead', {}, h('tr', {}, ['id', 'name', 'state', 'steps', 'created', 'duration'].map((c) => h('th', {}, c)))),
      h('tbody', {}, workflows.map((w) => h('tr', {}, h('td', {}, h('a', {href: `#/workflow/${w.id}`}, w.id.slice(0, 8))), h('td', {}, w.name), h('td', {}, stateBadge(w.state)),
        h('td', {}, `${w.steps.filter((s) => s.state === 'done' || s.state === 'cached').length}/${w.steps.length}`), h('td', {}, fmtTime(w.created)), h('td', {}, fmtDuration(w.durationMs)))))))
  }
  void draw()
  return {onStore: () => void draw()}
}

/** Depth of each step: one more than the deepest step it waits for. */
function depths(steps: Step[], edges: [string, string][]): Map<string, number> {
  const d = new Map(steps.map((s) => [s.name, 0]))
  for (let pass = 0; pass < steps.length; pass++) {
    let changed = false
    for (const [from, to] of edges) {
      const want = (d.get(from) ?? 0) + 1
      if ((d.get(to) ?? 0) < want) {
        d.set(to, want)
        changed = true
      }
    }
    if (!changed) break
  }
  return d
}

export function workflowPage(root: HTMLElement, id: string): Page {
  const draw = async () => {
    const {workflow: w, edges} = await get<{workflow: Summary; edges: [string, string][]}>(`/api/workflows/${id}`)
    const depth = depths(w.steps, edges)
    const nodes: GraphNode[] = w.steps.map((s) => ({id: s.name, label: s.name, sub: `${s.state}${s.durationMs !== null ? ` · ${fmtDuration(s.durationMs)}` : ''}`, column: depth.get(s.name) ?? 0,
      href: s.run ? `#/run/${s.run}` : undefined, cls: `step step-${s.state}`}))
    root.replaceChildren(h('h1', {}, `${w.name} `, stateBadge(w.state)), h('p', {class: 'muted'}, `${w.id} · ${fmtTime(w.created)}`),
      w.error ? h('pre', {class: 'error'}, w.error) : '', h('div', {class: 'graph'}, drawGraph(nodes, edges, 'dag')),
      h('p', {class: 'legend'}, ['waiting', 'running', 'done', 'cached', 'failed', 'skipped'].map((s) => h('span', {class: `legend-item step-${s}`}, s))))
  }
  void draw()
  return {onStore: () => void draw()}
}
