// A sweep's own artifacts: iteration_results (one row per iteration) and a plot of the selector against each param.
import type {HyperSummary, JsonValue} from '../types.ts'
import {csvCell} from '../runs/export.ts'
import {selectorValue} from './select.ts'

/** CSV: iter, state, param.K..., result.K..., duration_ms (lists and maps as JSON text). */
export function iterationResultsCsv(s: HyperSummary): string {
  const params = [...new Set(s.iterations.flatMap((it) => Object.keys(it.params)))]
  const results = [...new Set(s.iterations.flatMap((it) => Object.keys(it.results)))]
  const cell = (v: JsonValue | undefined) => (v === undefined || v === null ? '' : csvCell(typeof v === 'object' ? JSON.stringify(v) : String(v)))
  const head = ['iter', 'state', ...params.map((k) => `param.${k}`), ...results.map((k) => `result.${k}`), 'duration_ms']
  const rows = s.iterations.map((it) => [String(it.iter), it.state, ...params.map((k) => cell(it.params[k])), ...results.map((k) => cell(it.results[k])), it.durationMs === null ? '' : String(it.durationMs)])
  return [head.map(csvCell), ...rows].map((r) => r.join(',')).join('\n') + '\n'
}

/** Lowest and highest, by a loop: Math.min(...xs) overflows the stack past ~100k values. */
const range = (xs: number[]): [number, number] => xs.reduce<[number, number]>(([lo, hi], x) => [x < lo ? x : lo, x > hi ? x : hi], [Infinity, -Infinity])
const esc = (t: string) => t.replace(/[<>&"']/g, (c) => ({'<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;'})[c]!)
const f2 = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2))
const short = (v: JsonValue) => {
  const t = typeof v === 'number' ? String(Number(v.toPrecision(4))) : typeof v === 'string' ? v : JSON.stringify(v)
  return t.length > 12 ? `${t.slice(0, 11)}…` : t
}

/**
 * One panel per hyperparam: the selector's value (y) of each completed iteration against the param's value (x). Numeric
 * params are placed on a linear scale, others as evenly spaced categories; the best iteration is drawn in red.
 */
export function selectorPlotSvg(s: HyperSummary): string | null {
  const sel = s.options.selector
  if (!sel) return null
  const y = (it: HyperSummary['iterations'][number]) => selectorValue(it.results, sel.key)
  const points = s.iterations.filter((it) => {
    const v = y(it)
    return it.state === 'completed' && typeof v === 'number' && Number.isFinite(v)
  })
  if (!points.length) return null
  const keys = Object.keys(s.options.params)
  const W = 320, H = 240, L = 60, T = 50, PW = 240, PH = 140
  const ys = points.map((p) => y(p) as number)
  const [ymin, ymax] = range(ys)
  const py = (v: number) => T + PH - ((v - ymin) / (ymax - ymin || 1)) * PH
  const body: string[] = []
  keys.forEach((k, i) => {
    const ox = i * W
    const values = s.options.params[k]!
    const numeric = values.every((v) => typeof v === 'number')
    const nums = numeric ? (values as number[]) : []
    const [xmin, xmax] = numeric ? range(nums) : [0, values.length - 1]
    const xOf = (v: JsonValue) => (numeric ? (v as number) : values.findIndex((x) => JSON.stringify(x) === JSON.stringify(v)))
    const px = (v: number) => ox + L + (xmax === xmin ? PW / 2 : ((v - xmin) / (xmax - xmin)) * PW)
    body.push(`<line x1="${ox + L}" y1="${T + PH}" x2="${ox + L + PW}" y2="${T + PH}" stroke="#444"/>`, `<line x1="${ox + L}" y1="${T}" x2="${ox + L}" y2="${T + PH}" stroke="#444"/>`)
    body.push(`<text x="${ox + L + PW / 2}" y="${T + PH + 36}" text-anchor="middle" font-size="13">${esc(k)}</text>`)
    body.push(`<text x="${ox + L - 6}" y="${f2(py(ymax) + 4)}" text-anchor="end">${esc(short(ymax))}</text>`, `<text x="${ox + L - 6}" y="${f2(py(ymin) + 4)}" text-anchor="end">${esc(short(ymin))}</text>`)
    const ticks = numeric ? [...new Set([xmin, xmax])] : values.map((_, j) => j)
    for (const t of ticks) body.push(`<text x="${f2(px(t))}" y="${T + PH + 16}" text-anchor="middle">${esc(short(numeric ? t : values[t]!))}</text>`)
    for (const p of points) {
      const best = s.best?.iter === p.iter
      body.push(`<circle cx="${f2(px(xOf(p.params[k] ?? null)))}" cy="${f2(py(y(p) as number))}" r="${best ? 6 : 4}" fill="${best ? '#d62728' : '#1f77b4'}" fill-opacity="0.8"><title>#${p.iter}: ${esc(`${k}=${short(p.params[k] ?? null)} ${sel.key}=${y(p)}`)}</title></circle>`)
    }
  })
  const width = Math.max(1, keys.length) * W
  const title = `${sel.op}.${sel.key} against each hyperparam${s.best ? ` (best: #${s.best.iter})` : ''}`
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H}" viewBox="0 0 ${width} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<title>${esc(title)}</title>`, `<rect width="${width}" height="${H}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
    `<text x="14" y="${T + PH / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${T + PH / 2})">${esc(sel.key)}</text>`,
    ...body, '</svg>', '',
  ].join('\n')
}
