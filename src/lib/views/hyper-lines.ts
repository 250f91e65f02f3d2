// A sweep's iterations as text: one plain line per iteration as it ends, and the table the live view and the summary show.
import type {HyperSummary, IterationSummary, JsonValue, Run} from '../types.ts'
import type {Palette} from './color.ts'
import {escapeControls as esc, formatClock, formatDuration, formatValue, shortUid} from './format.ts'

export interface SweepViewModel {
  uid: string | null
  name: string | null
  total: number
  /** iteration number -> its latest summary */
  iterations: Map<number, IterationSummary>
  best: HyperSummary['best']
  aborting: string | null
}

export function initialSweepModel(): SweepViewModel {
  return {uid: null, name: null, total: 0, iterations: new Map(), best: null, aborting: null}
}

const pairs = (m: Record<string, JsonValue>) => Object.entries(m).map(([k, v]) => esc(`${k}=${formatValue(v, 24)}`)).join(' ')

function stateText(state: IterationSummary['state'], p: Palette): string {
  const paint = state === 'completed' ? p.green : state === 'error' ? p.red : state === 'aborted' ? p.yellow : state === 'running' ? p.cyan : p.gray
  return paint(state)
}

export function formatSweepStart(parent: Run, total: number, parallel: number, p: Palette, now = Date.now()): string {
  return `${p.dim(formatClock(now))} sweep ${shortUid(parent.uid)} ${esc(parent.name)}: ${total} iteration${total > 1 ? 's' : ''}, ${parallel} at once`
}

/** One line for an iteration that ended; null while it runs (the plain lines say only what is settled). */
export function formatIterationLine(it: IterationSummary, m: SweepViewModel, p: Palette, now = Date.now()): string | null {
  if (it.state === 'running' || it.state === 'created') return null
  const best = m.best?.iter === it.iter ? p.bold(' <- best so far') : ''
  const results = Object.keys(it.results).length ? `  ${pairs(it.results)}` : ''
  const took = it.durationMs === null ? '' : `  ${formatDuration(it.durationMs)}`
  return `${p.dim(formatClock(now))} #${it.iter}/${m.total} ${stateText(it.state, p)}${it.cached ? ' (cached)' : ''}${it.uid ? ` ${shortUid(it.uid)}` : ''}  ${pairs(it.params)}${results}${took}${best}`
}

/** The table of iterations: iter, state, params, results, duration; the best marked with `*`. */
export function sweepTable(m: SweepViewModel, p: Palette, opts: {maxRows?: number} = {}): string[] {
  const rows = [...m.iterations.values()].sort((a, b) => a.iter - b.iter)
  let shown = opts.maxRows !== undefined && rows.length > opts.maxRows ? rows.slice(rows.length - opts.maxRows) : rows
  // the best so far stays in sight, however many rows are cut
  const best = rows.find((it) => it.iter === m.best?.iter)
  if (best && !shown.includes(best)) shown = [best, ...shown.slice(1)]
  const cells = shown.map((it) => [`${m.best?.iter === it.iter ? '*' : ' '}#${it.iter}`, it.cached ? `${it.state} (cached)` : it.state, pairs(it.params), pairs(it.results), it.durationMs === null ? '' : formatDuration(it.durationMs)])
  const head = [' ITER', 'STATE', 'PARAMS', 'RESULTS', 'TOOK']
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[], paint?: (i: number, t: string) => string) => c.map((t, i) => (paint ? paint(i, t.padEnd(widths[i]!)) : t.padEnd(widths[i]!))).join('  ').trimEnd()
  const out = [p.dim(line(head))]
  for (const [i, c] of cells.entries()) {
    const it = shown[i]!
    out.push(line(c, (col, t) => (col === 1 ? stateText(it.state, p).replace(it.state, t) : m.best?.iter === it.iter ? p.bold(t) : t)))
  }
  if (shown.length < rows.length) out.unshift(p.dim(`(${rows.length - shown.length} other iterations not shown)`))
  return out
}

export function sweepCounts(m: SweepViewModel): string {
  const n = (s: string) => [...m.iterations.values()].filter((it) => it.state === s).length
  return `${n('completed')} completed, ${n('error')} failed, ${n('running')} running, ${m.total - m.iterations.size} waiting of ${m.total}`
}

/** The last lines: the parent's state, the best iteration and why, how the sweep ended, and where to look next. */
export function formatSweepSummary(run: Run, s: HyperSummary, p: Palette): string[] {
  const state = run.state === 'completed' ? p.green(run.state) : run.state === 'aborted' ? p.yellow(run.state) : p.red(run.state)
  const lines = [`sweep ${shortUid(run.uid)} ${state}: ${s.iterations.filter((it) => it.state === 'completed').length} of ${s.iterations.length} iterations completed`]
  if (s.best) lines.push(`best: #${s.best.iter} (${esc(s.best.why)})  ${pairs(s.iterations[s.best.iter - 1]?.params ?? {})}`)
  if (s.stopped) lines.push(esc(s.stopped))
  if (run.error && run.state !== 'completed') lines.push(`error: ${esc(run.error.message)}`)
  for (const w of run.warnings ?? []) lines.push(p.yellow(`warning: ${esc(w)}`))
  lines.push(p.dim(`iterations: lode runs ls --parent ${shortUid(run.uid)}   compare: lode runs compare --parent ${shortUid(run.uid)}`))
  return lines
}
