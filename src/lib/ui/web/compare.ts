// Runs side by side: params and results with differences marked, a parallel-coordinates chart over the numeric ones,
// and a scatter of any param against any result.
import {parallelCoordinates, scatter, type Series} from './charts.ts'
import {get} from './data.ts'
import {fmtValue, h, section} from './dom.ts'
import type {Page} from './page.ts'
import type {RunRow} from './runs.ts'

interface Comparison {
  runs: {uid: string; name: string; state: string}[]
  rows: {section: string; key: string; values: unknown[]; same: boolean}[]
  outputs?: {key: string; same: boolean; a: string; b: string; command?: string}[]
}

/** Hashes are long: their first 12 digits tell versions apart on screen (the cell's title has them all). */
function short(text: string): string {
  return /^sha256:[0-9a-f]{64}$/.test(text) ? text.slice(0, 19) : text
}

export function comparePage(root: HTMLElement, arg: string): Page {
  void (async () => {
    const {comparison: c, runs} = await get<{comparison: Comparison; runs: RunRow[]}>('/api/compare', {uids: arg})
    const label = (r: {uid: string; name: string}) => `${r.name} ${r.uid.slice(0, 8)}`
    const table = h('table', {class: 'grid compare', id: 'compare-table'},
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'field'), c.runs.map((r) => h('th', {}, h('a', {href: `#/run/${r.uid}`}, label(r)))))),
      h('tbody', {}, c.rows.map((r) => h('tr', {class: r.same ? 'same' : 'diff', 'data-row': `${r.section}.${r.key}`},
        h('td', {class: 'mark'}, r.same ? '' : '≠'), h('td', {}, `${r.section}.${r.key}`), r.values.map((v) => h('td', {title: fmtValue(v)}, short(fmtValue(v))))))))
    const numeric = (map: 'params' | 'results') => [...new Set(runs.flatMap((r) => Object.keys(r[map]).filter((k) => typeof r[map][k] === 'number')))].map((k) => `${map}.${k}`)
    const dims = [...numeric('params'), ...numeric('results')]
    const series: Series[] = runs.map((r) => ({id: r.uid, label: label(r), values: Object.fromEntries(dims.map((d) => {
      const [map, key] = [d.slice(0, d.indexOf('.')), d.slice(d.indexOf('.') + 1)] as ['params' | 'results', string]
      const v = r[map][key]
      return [d, typeof v === 'number' ? v : null]
    }))}))
    const params = dims.filter((d) => d.startsWith('params.'))
    const results = dims.filter((d) => d.startsWith('results.'))
    const xSel = h('select', {id: 'scatter-x'}, (params.length ? params : dims).map((d) => h('option', {value: d}, d)))
    const ySel = h('select', {id: 'scatter-y'}, (results.length ? results : dims).map((d) => h('option', {value: d}, d)))
    const scatterBox = h('div', {})
    const drawScatter = () => scatterBox.replaceChildren(xSel.value && ySel.value ? scatter(series, xSel.value, ySel.value) : h('p', {class: 'muted'}, '(no numeric fields)'))
    xSel.addEventListener('change', drawScatter)
    ySel.addEventListener('change', drawScatter)
    drawScatter()
    root.replaceChildren(h('h1', {}, `Compare ${c.runs.length} runs`),
      section('Side by side', table),
      section('Parallel coordinates', dims.length ? parallelCoordinates(series, dims) : h('p', {class: 'muted'}, '(no numeric params or results)')),
      section('Scatter', h('div', {class: 'toolbar'}, 'x ', xSel, ' y ', ySel), scatterBox),
      c.outputs?.length ? section('Outputs', h('ul', {}, c.outputs.map((o) => h('li', {}, `${o.key}: ${o.same ? 'same bytes' : `differ (${o.command})`}`)))) : '')
  })().catch((e: Error) => root.replaceChildren(h('div', {class: 'error'}, e.message)))
  return {}
}
