// Confusion matrix: true classes down, predicted classes across, counts in the cells.

import {legend, line, rect, sequentialColor, svgDocument, text} from './svg.ts'

export function confusionMatrixSvg(matrix: number[][], classNames: string[]): string {
  const k = classNames.length
  const cell = Math.max(36, Math.min(90, Math.floor(480 / k)))
  const left = 130
  const top = 70
  const size = cell * k
  const max = Math.max(1, ...matrix.flat())
  const body: string[] = []
  matrix.forEach((row, r) => row.forEach((count, c) => {
    const shade = count / max
    body.push(
      rect(left + c * cell, top + r * cell, cell, cell, sequentialColor(shade), 'stroke="#ffffff"'),
      text(left + c * cell + cell / 2, top + r * cell + cell / 2 + 5, String(count), {anchor: 'middle', size: 14, fill: shade > 0.55 ? '#ffffff' : '#222'}),
    )
  }))
  classNames.forEach((name, i) => {
    body.push(
      text(left + i * cell + cell / 2, top + size + 18, name, {anchor: 'middle'}),
      text(left - 8, top + i * cell + cell / 2 + 4, name, {anchor: 'end'}),
    )
  })
  body.push(
    line(left, top + size, left + size, top + size, '#999'),
    text(left + size / 2, top + size + 42, 'Predicted label', {anchor: 'middle', size: 13}),
    text(left - 90, top + size / 2, 'True label', {anchor: 'middle', size: 13, rotate: -90}),
    ...legend(left + size + 20, top, [
      {label: `0`, color: sequentialColor(0)},
      {label: `${Math.round(max / 2)}`, color: sequentialColor(0.5)},
      {label: `${max} rows`, color: sequentialColor(1)},
    ]),
  )
  return svgDocument(left + size + 140, top + size + 70, 'Confusion matrix', body)
}
