// Heat map of the Pearson correlations between numeric columns, with a colour scale as legend.

import {divergingColor, rect, svgDocument, text} from './svg.ts'

export function correlationSvg(names: string[], matrix: number[][]): string {
  const k = names.length
  const cell = Math.max(14, Math.min(48, Math.floor(600 / Math.max(1, k))))
  const labelSpace = Math.min(200, 16 + Math.max(...names.map((n) => n.length)) * 6.5)
  const left = labelSpace
  const top = 40 + labelSpace
  const size = cell * k
  const body: string[] = []
  matrix.forEach((row, i) => row.forEach((v, j) => {
    body.push(rect(left + j * cell, top + i * cell, cell, cell, Number.isNaN(v) ? '#dddddd' : divergingColor(v), 'stroke="#ffffff" stroke-width="0.5"'))
    if (cell >= 30 && !Number.isNaN(v)) body.push(text(left + j * cell + cell / 2, top + i * cell + cell / 2 + 4, v.toFixed(2), {anchor: 'middle', size: 10, fill: Math.abs(v) > 0.6 ? '#ffffff' : '#222'}))
  }))
  names.forEach((name, i) => {
    body.push(
      text(left - 6, top + i * cell + cell / 2 + 4, name, {anchor: 'end', size: 11}),
      text(left + i * cell + cell / 2 + 4, top - 6, name, {size: 11, rotate: -90}),
    )
  })
  const scaleX = left + size + 30
  const steps = 20
  for (let s = 0; s < steps; s++) {
    const v = 1 - (2 * s) / (steps - 1)
    body.push(rect(scaleX, top + s * 12, 18, 12, divergingColor(v)))
  }
  body.push(
    text(scaleX + 24, top + 10, '+1'), text(scaleX + 24, top + steps * 6 + 4, '0'), text(scaleX + 24, top + steps * 12, '-1'),
    text(scaleX, top - 10, 'Pearson r', {size: 11}),
    rect(scaleX, top + steps * 12 + 16, 18, 12, '#dddddd'), text(scaleX + 24, top + steps * 12 + 26, 'undefined', {size: 11}),
  )
  return svgDocument(scaleX + 100, Math.max(top + size, top + steps * 12 + 40) + 20, 'Correlation of the numeric columns', body)
}
