// Hand-written SVG: a document, text, axes with round ticks, a legend and colour scales. No dependencies.

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({'<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;'})[c] as string)
}

export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(width / 2, 24, title, {size: 16, anchor: 'middle', weight: 'bold'}),
    ...body,
    '</svg>',
    '',
  ].join('\n')
}

export function text(x: number, y: number, content: string, opts: {size?: number; anchor?: 'start' | 'middle' | 'end'; weight?: string; rotate?: number; fill?: string} = {}): string {
  const rotate = opts.rotate ? ` transform="rotate(${opts.rotate} ${fmt(x)} ${fmt(y)})"` : ''
  return `<text x="${fmt(x)}" y="${fmt(y)}" font-size="${opts.size ?? 12}" text-anchor="${opts.anchor ?? 'start'}"${opts.weight ? ` font-weight="${opts.weight}"` : ''} fill="${opts.fill ?? '#222'}"${rotate}>${escapeXml(content)}</text>`
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke = '#444', extra = ''): string {
  return `<line x1="${fmt(x1)}" y1="${fmt(y1)}" x2="${fmt(x2)}" y2="${fmt(y2)}" stroke="${stroke}"${extra ? ` ${extra}` : ''}/>`
}

export function rect(x: number, y: number, width: number, height: number, fill: string, extra = ''): string {
  return `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(Math.max(0, width))}" height="${fmt(Math.max(0, height))}" fill="${fill}"${extra ? ` ${extra}` : ''}/>`
}

export function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2)
}

/** A short label for a tick or a cell: 3 significant digits, no trailing zeros. */
export function shortNumber(value: number): string {
  if (value === 0) return '0'
  const abs = Math.abs(value)
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(1)
  return String(Number(value.toPrecision(3)))
}

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min]
  const raw = (max - min) / count
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude
  const ticks: number[] = []
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)))
  return ticks
}

export interface Frame {
  left: number
  top: number
  width: number
  height: number
}

/** Axes with ticks, grid lines and titles; x and y map data values to pixels. */
export function axes(frame: Frame, x: {min: number; max: number; label: string; ticks?: boolean}, y: {min: number; max: number; label: string}): {body: string[]; px: (v: number) => number; py: (v: number) => number} {
  const px = (v: number) => frame.left + ((v - x.min) / (x.max - x.min || 1)) * frame.width
  const py = (v: number) => frame.top + frame.height - ((v - y.min) / (y.max - y.min || 1)) * frame.height
  const bottom = frame.top + frame.height
  const body: string[] = []
  for (const t of x.ticks === false ? [] : niceTicks(x.min, x.max)) {
    body.push(line(px(t), frame.top, px(t), bottom, '#e5e5e5'), line(px(t), bottom, px(t), bottom + 5), text(px(t), bottom + 18, shortNumber(t), {anchor: 'middle'}))
  }
  for (const t of niceTicks(y.min, y.max)) {
    body.push(line(frame.left, py(t), frame.left + frame.width, py(t), '#e5e5e5'), line(frame.left - 5, py(t), frame.left, py(t)), text(frame.left - 8, py(t) + 4, shortNumber(t), {anchor: 'end'}))
  }
  body.push(
    line(frame.left, bottom, frame.left + frame.width, bottom),
    line(frame.left, frame.top, frame.left, bottom),
    text(frame.left + frame.width / 2, bottom + 40, x.label, {anchor: 'middle', size: 13}),
    text(frame.left - 48, frame.top + frame.height / 2, y.label, {anchor: 'middle', size: 13, rotate: -90}),
  )
  return {body, px, py}
}

/** A boxed legend: a colour swatch (or a dashed line) and a label per entry. */
export function legend(x: number, y: number, entries: {label: string; color: string; dashed?: boolean}[]): string[] {
  const width = 16 + Math.max(...entries.map((e) => e.label.length)) * 7 + 24
  const body = [rect(x, y, width, entries.length * 20 + 10, '#ffffff', 'stroke="#999" fill-opacity="0.9"')]
  entries.forEach((e, i) => {
    const cy = y + 15 + i * 20
    body.push(
      e.dashed ? line(x + 8, cy, x + 26, cy, e.color, 'stroke-width="2" stroke-dasharray="4 3"') : rect(x + 8, cy - 6, 18, 12, e.color),
      text(x + 32, cy + 4, e.label),
    )
  })
  return body
}

/** White to dark blue for t in [0, 1]. */
export function sequentialColor(t: number): string {
  const clamp = Math.min(1, Math.max(0, t))
  const mix = (from: number, to: number) => Math.round(from + (to - from) * clamp)
  return `rgb(${mix(247, 8)},${mix(251, 48)},${mix(255, 107)})`
}
