import type {HyperSummary, Run} from '../types.ts'
import {humanDuration} from '../util/format.ts'
import {escapeControls as esc} from '../views/format.ts'

export function formatRun(run: Run, stale: boolean, hyper?: HyperSummary): string {
  const lines: string[] = []
  const state = stale && run.job ? `${run.state} (detached: its lode process ${run.pid} is gone, ${run.job.runtime} job ${run.job.id} goes on; follow it with: lode runs attach ${run.uid.slice(0, 8)})`
    : stale ? `${run.state} (stale: its lode process ${run.pid} is gone; mark it with: lode runs abort ${run.uid.slice(0, 8)})` : run.state
  lines.push(`run       ${run.uid}`)
  lines.push(`name      ${esc(run.name)}`)
  lines.push(`function  ${esc(`${run.function}${run.handler ? `#${run.handler}` : ''}`)} (${run.kind})`)
  lines.push(`state     ${state}`)
  if (run.parent) lines.push(`parent    ${run.parent}${run.iter !== null ? `  (iteration #${run.iter})` : ''}`)
  if (hyper) {
    const done = hyper.iterations.filter((it) => it.state === 'completed').length
    const o = hyper.options
    lines.push(`sweep     ${o.strategy}${o.seed !== null ? ` (seed ${o.seed})` : ''}, ${hyper.iterations.length} iterations, ${done} completed${o.selector ? `, selector ${o.selector.op}.${o.selector.key}` : ''}`)
    if (hyper.best) lines.push(`best      #${hyper.best.iter} ${hyper.best.uid}  (${esc(hyper.best.why)})`)
    if (hyper.stopped) lines.push(`stopped   ${esc(hyper.stopped)}`)
  }
  if (run.job) lines.push(`job       ${run.job.runtime} ${esc(run.job.id)}${run.job.reason ? ` (waiting: ${esc(run.job.reason)})` : ''}`)
  if (run.started) lines.push(`started   ${new Date(run.started).toISOString()}${run.ended ? `  (took ${humanDuration(run.ended - run.started)})` : ''}`)
  if (Object.keys(run.labels).length) lines.push(`labels    ${Object.entries(run.labels).map(([k, v]) => esc(`${k}=${v}`)).join(' ')}`)
  if (run.error) {
    lines.push(`error     ${esc(run.error.message, {multiline: true})}`)
    if (run.exitCode !== null || run.signal) lines.push(`exit      ${run.signal ? `signal ${run.signal}` : `code ${run.exitCode}`}`)
  }
  const section = (title: string, entries: [string, string][]) => {
    if (!entries.length) return
    lines.push('', title)
    const w = Math.max(...entries.map(([k]) => esc(k).length))
    for (const [k, v] of entries) lines.push(`  ${esc(k).padEnd(w)}  ${esc(v)}`)
  }
  section('params', Object.entries(run.params).map(([k, v]) => [k, JSON.stringify(v)]))
  if (run.secrets?.length) lines.push('', `secrets   ${esc(run.secrets.join(', '))}  (names only; values are never stored)`)
  section('inputs', Object.values(run.inputs).map((i) => [i.key, `${i.artifact ? i.artifact.uri : i.path}  sha256:${i.sha256.slice(0, 12)}`]))
  section('results', Object.entries(run.results).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
  section('outputs', Object.entries(run.outputs).filter(([k]) => !(k in run.results)).map(([k, v]) => [k, String(v)]))
  if (run.warnings?.length) lines.push('', 'warnings', ...run.warnings.map((w) => `  ${esc(w)}`))
  if (run.error?.stack) lines.push('', 'stack', ...run.error.stack.split('\n').map((l) => `  ${esc(l)}`))
  if (hyper) lines.push('', `iterations: lode runs ls --parent ${run.uid.slice(0, 8)}   compare: lode runs compare --parent ${run.uid.slice(0, 8)}`)
  lines.push('', `logs: lode runs logs ${run.uid.slice(0, 8)}`)
  return lines.join('\n')
}
