// Small multiples: one histogram per numeric column, in a grid.

import {line, PALETTE, rect, shortNumber, svgDocument, text} from './svg.ts'

export function histogramsSvg(panels: {name: string; min: number; max: number; counts: number[]}[]): string {
  const perRow = Math.min(6, Math.max(1, Math.ceil(Math.sqrt(panels.length))))
  const panelWidth = 180
  const panelHeight = 130
  const top = 46
  const body: string[] = []
  panels.forEach((panel, index) => {
    const x0 = 20 + (index % perRow) * (panelWidth + 20)
    const y0 = top + Math.floor(index / perRow) * (panelHeight + 24)
    const plotTop = y0 + 18
    const plotHeight = panelHeight - 40
    const bottom = plotTop + plotHeight
    const max = Math.max(1, ...panel.counts)
    const bar = panelWidth / panel.counts.length
    body.push(text(x0 + panelWidth / 2, y0 + 10, panel.name.length > 28 ? `${panel.name.slice(0, 27)}…` : panel.name, {anchor: 'middle', weight: 'bold', size: 11}))
    panel.counts.forEach((count, b) => body.push(rect(x0 + b * bar, bottom - (count / max) * plotHeight, bar - 1, (count / max) * plotHeight, PALETTE[0] as string)))
    body.push(
      line(x0, bottom, x0 + panelWidth, bottom),
      text(x0, bottom + 13, shortNumber(panel.min), {size: 10}),
      text(x0 + panelWidth, bottom + 13, shortNumber(panel.max), {size: 10, anchor: 'end'}),
      text(x0 + panelWidth, plotTop + 8, `max ${max} rows/bin`, {size: 9, anchor: 'end', fill: '#666'}),
    )
  })
  const rows = Math.ceil(panels.length / perRow)
  return svgDocument(20 + perRow * (panelWidth + 20), top + rows * (panelHeight + 24) + 10, 'Histograms of the numeric columns (20 bins, min to max)', body)
}
