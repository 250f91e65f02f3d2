// Feature importance as horizontal bars, largest first (the top 25).

import {legend, line, PALETTE, rect, shortNumber, svgDocument, text} from './svg.ts'

export function featureImportanceSvg(names: string[], importances: number[], measure: string): string {
  const ranked = names.map((name, i) => ({name, value: importances[i] as number})).sort((a, b) => b.value - a.value).slice(0, 25)
  const longest = Math.max(...ranked.map((r) => r.name.length))
  const left = Math.min(260, 20 + longest * 7)
  const top = 50
  const bar = 18
  const width = 380
  const max = Math.max(...ranked.map((r) => r.value), 1e-12)
  const body: string[] = []
  ranked.forEach((r, i) => {
    const y = top + i * (bar + 6)
    body.push(
      rect(left, y, (r.value / max) * width, bar, PALETTE[0] as string),
      text(left - 8, y + bar / 2 + 4, r.name, {anchor: 'end'}),
      text(left + (r.value / max) * width + 6, y + bar / 2 + 4, shortNumber(r.value), {size: 11, fill: '#555'}),
    )
  })
  const bottom = top + ranked.length * (bar + 6)
  body.push(line(left, top - 4, left, bottom), ...legend(left + width - 150, bottom + 10, [{label: measure, color: PALETTE[0] as string}]))
  return svgDocument(left + width + 70, bottom + 50, `Feature importance`, body)
}
