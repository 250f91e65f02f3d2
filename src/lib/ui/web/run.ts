// One run: params, inputs (linked to their artifacts), results, labels, timings, its log following live, and its
// artifacts with previews.
import type {ArtifactVersion, Run} from '../../types.ts'
import {artifactPreview, downloadLink} from './artifact-view.ts'
import {get, isReport} from './data.ts'
import {fmtDuration, fmtTime, h, kvTable, section, stateBadge} from './dom.ts'
import type {Page} from './page.ts'

interface LogChunk {
  from: number
  next: number
  size: number
  text: string
  cut: boolean
}

export function runPage(root: HTMLElement, uid: string): Page {
  const log = h('pre', {class: 'log', id: 'run-log'})
  let next = -1
  let fetching = false
  let again = false
  let current: Run | null = null

  async function follow(): Promise<void> {
    if (fetching) {
      again = true
      return
    }
    fetching = true
    try {
      do {
        again = false
        const c = await get<LogChunk>(`/api/runs/${uid}/log`, {from: next < 0 || isReport ? undefined : next})
        if (next < 0 && c.cut) log.append(h('span', {class: 'muted'}, `(the last ${c.text.length} characters of the log)\n`))
        if (c.from !== next && next >= 0) log.textContent = ''
        log.append(c.text)
        const more = c.next < c.size
        next = c.next
        if (more) again = true
        log.scrollTop = log.scrollHeight
      } while (again && !isReport)
    } finally {
      fetching = false
    }
  }

  async function draw(): Promise<void> {
    const {run, artifacts} = await get<{run: Run; artifacts: ArtifactVersion[]}>(`/api/runs/${uid}`)
    const wasRunning = current && (current.state === 'running' || current.state === 'created')
    current = run
    const head = h('div', {class: 'run-head'},
      h('h1', {}, run.name, ' ', stateBadge(run.state)),
      h('p', {class: 'muted'}, `${run.uid} · ${run.kind} · ${run.function}${run.handler ? `#${run.handler}` : ''}`),
      run.error ? h('pre', {class: 'error'}, run.error.message) : null)
    const inputs = Object.values(run.inputs).map((i) => [i.key, i.artifact ? h('a', {href: `#/artifact/${i.artifact.id}`}, `${i.artifact.key} (${i.sha256.slice(0, 12)})`) : `${i.url} (${i.sha256.slice(0, 12)})`] as [string, unknown])
    const timings: [string, unknown][] = [['created', fmtTime(run.created)], ['started', fmtTime(run.started)], ['ended', fmtTime(run.ended)],
      ['duration', fmtDuration(run.started && run.ended ? run.ended - run.started : null)], ['host', run.host], ['exit code', run.exitCode]]
    const arts = artifacts.map((v) => h('div', {class: 'artifact', 'data-artifact': v.key},
      h('h3', {}, h('a', {href: `#/artifact/${v.id}`}, `${v.key} v${v.version}`), ` ${v.kind} · ${v.format}`, ' ', downloadLink(v)),
      artifactPreview(v)))
    const top = h('div', {class: 'columns'},
      section('Params', kvTable(Object.entries(run.params))),
      section('Results', kvTable(Object.entries(run.results))),
      section('Inputs', kvTable(inputs)),
      section('Labels', kvTable(Object.entries(run.labels))),
      section('Timings', kvTable(timings)))
    // a hyperparameter parent (or a pipeline): its children compared in one click
    const children = isReport ? null : await get<{total: number; runs: {uid: string}[]}>('/api/runs', {where: `parent == "${run.uid}"`, sort: 'iter', limit: 100}).catch(() => null)
    if (children && children.total >= 2) head.append(h('p', {}, h('a', {href: `#/compare/${children.runs.map((c) => c.uid).join(',')}`, id: 'compare-children'}, `Compare its ${children.runs.length} child runs`)))
    root.replaceChildren(head, top, section('Log', log), section(`Artifacts (${artifacts.length})`, arts.length ? arts : h('p', {class: 'muted'}, '(none)')),
      run.warnings.length ? section('Warnings', h('ul', {}, run.warnings.map((w) => h('li', {}, w)))) : '')
    if (wasRunning) void follow()
  }

  void draw().then(() => follow())
  return {
    onStore: () => void draw(),
    onLog: (u) => {
      if (u === uid) void follow()
    },
  }
}
