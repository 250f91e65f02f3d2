// Bar chart of the rows per label value.

import {axes, legend, PALETTE, rect, svgDocument, text} from './svg.ts'

export function classBalanceSvg(label: string, counts: {value: string; count: number}[]): string {
  const shown = counts.slice(0, 50)
  const frame = {left: 80, top: 50, width: Math.max(240, shown.length * 50), height: 300}
  const max = Math.max(1, ...shown.map((c) => c.count))
  const {body, py} = axes(frame, {min: 0, max: 1, label: `${label}${counts.length > shown.length ? ` (first ${shown.length} of ${counts.length} values)` : ''}`, ticks: false}, {min: 0, max: max * 1.1, label: 'rows'})
  const bars = body
  const slot = frame.width / shown.length
  shown.forEach((c, i) => {
    const x = frame.left + i * slot + slot * 0.15
    bars.push(
      rect(x, py(c.count), slot * 0.7, frame.top + frame.height - py(c.count), PALETTE[i % PALETTE.length] as string),
      text(x + slot * 0.35, py(c.count) - 5, String(c.count), {anchor: 'middle', size: 11}),
      text(x + slot * 0.35, frame.top + frame.height + 18, c.value, {anchor: 'middle'}),
    )
  })
  bars.push(...legend(frame.left + frame.width + 10, frame.top, shown.slice(0, 10).map((c, i) => ({label: `${c.value}: ${c.count}`, color: PALETTE[i % PALETTE.length] as string}))))
  return svgDocument(frame.left + frame.width + 150, frame.top + frame.height + 70, `Class balance of ${label}`, bars)
}
