// Charts drawn with Observable Plot (bundled at build time). Each chart is an SVG tagged with data-chart=NAME.
import * as Plot from '@observablehq/plot'
import type {ColumnStats} from '../../types.ts'
import {h} from './dom.ts'

function tag(el: Element, name: string): HTMLElement {
  // a plot with a legend is a <figure>: the chart is its own <svg> child (the legend's swatches are svgs too)
  const svg = el.tagName.toLowerCase() === 'svg' ? el : el.querySelector(':scope > svg')
  svg?.setAttribute('data-chart', name)
  return h('div', {class: 'chart', 'data-chart-box': name}, el as HTMLElement)
}

/** A numeric column's 20-bin histogram from its stored statistics. */
export function histogram(col: ColumnStats): HTMLElement | null {
  const hist = col.histogram
  if (!hist || hist.counts.length === 0) return null
  const bins = hist.counts.map((count, i) => ({x1: hist.edges[i]!, x2: hist.edges[i + 1] ?? hist.edges[i]!, count}))
  return tag(Plot.plot({
    width: 260, height: 120, marginLeft: 40, style: {background: 'transparent'},
    x: {label: col.name}, y: {label: null, grid: true},
    marks: [Plot.rectY(bins, {x1: 'x1', x2: 'x2', y: 'count', fill: 'steelblue', inset: 0.5, title: (d: {x1: number; x2: number; count: number}) => `${d.x1.toPrecision(4)} to ${d.x2.toPrecision(4)}: ${d.count}`}), Plot.ruleY([0])],
  }), 'histogram')
}

export interface Series {
  id: string
  label: string
  values: Record<string, number | null>
}

/** One line per run across every dimension, each dimension scaled to its own min..max. */
export function parallelCoordinates(series: Series[], dims: string[]): HTMLElement {
  const ranges = new Map(dims.map((d) => {
    const vs = series.map((s) => s.values[d]).filter((v): v is number => typeof v === 'number')
    return [d, {min: Math.min(...vs), max: Math.max(...vs)}]
  }))
  const points = series.flatMap((s) => dims.flatMap((d) => {
    const v = s.values[d]
    const r = ranges.get(d)!
    if (typeof v !== 'number') return []
    return [{run: s.label, dim: d, value: v, y: r.max === r.min ? 0.5 : (v - r.min) / (r.max - r.min)}]
  }))
  const ends = dims.flatMap((d) => {
    const r = ranges.get(d)!
    return [{dim: d, y: 0, text: fmt(r.min)}, {dim: d, y: 1, text: fmt(r.max)}]
  })
  return tag(Plot.plot({
    width: Math.max(360, dims.length * 140), height: 280, marginLeft: 30, marginRight: 30, marginBottom: 40,
    x: {type: 'point', domain: dims, label: null, padding: 0.3}, y: {axis: null, domain: [-0.05, 1.05]},
    color: {legend: true, type: 'categorical'},
    marks: [
      Plot.ruleX(dims, {stroke: '#bbb'}),
      Plot.lineY(points, {x: 'dim', y: 'y', z: 'run', stroke: 'run', strokeWidth: 2, title: 'run'}),
      Plot.dot(points, {x: 'dim', y: 'y', fill: 'run', r: 3, title: (d: {run: string; dim: string; value: number}) => `${d.run} ${d.dim}=${fmt(d.value)}`}),
      Plot.text(ends, {x: 'dim', y: 'y', text: 'text', dx: 14, fontSize: 10, fill: '#555'}),
    ],
  }), 'parallel')
}

export function scatter(series: Series[], x: string, y: string): HTMLElement {
  const points = series.filter((s) => typeof s.values[x] === 'number' && typeof s.values[y] === 'number').map((s) => ({run: s.label, x: s.values[x]!, y: s.values[y]!}))
  return tag(Plot.plot({
    width: 420, height: 280, grid: true, marginLeft: 50,
    x: {label: x}, y: {label: y}, color: {type: 'categorical'},
    marks: [Plot.dot(points, {x: 'x', y: 'y', fill: 'run', r: 5, title: (d: {run: string; x: number; y: number}) => `${d.run}: ${x}=${fmt(d.x)}, ${y}=${fmt(d.y)}`})],
  }), 'scatter')
}

/** A bar per statistic that changed between two dataset versions (b - a). */
export function deltaBars(rows: {label: string; delta: number}[]): HTMLElement {
  return tag(Plot.plot({
    width: 460, height: Math.max(80, rows.length * 22 + 40), marginLeft: 160, x: {label: 'change (b - a)', grid: true}, y: {label: null},
    marks: [Plot.barX(rows, {y: 'label', x: 'delta', fill: (d: {delta: number}) => (d.delta < 0 ? '#c0392b' : '#27ae60')}), Plot.ruleX([0])],
  }), 'delta')
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)))
}
