// What `lode runs rm` did, or (dry run) would do.
import type {RunsRmResult} from '../runs/remove.ts'
import {escapeControls as esc, formatAge, shortUid} from './format.ts'
import {formatTable} from './table.ts'

export function formatRunsRm(r: RunsRmResult, now = Date.now()): string {
  const lines: string[] = []
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`
  if (r.runs.length === 0) lines.push('No finished run matches: nothing to delete.')
  else {
    lines.push(`${r.dryRun ? 'Would delete' : 'Deleted'} ${n(r.runs.length, 'run')}:`)
    lines.push(...formatTable(r.runs.map((x) => [shortUid(x.uid), esc(x.name), x.state, formatAge(x.created, now)])).map((l) => `  ${l}`))
  }
  if (r.versionsRemoved.length > 0) {
    lines.push(`${r.dryRun ? 'Would remove' : 'Removed'} ${n(r.versionsRemoved.length, 'artifact version')} they produced: ${r.versionsRemoved.map((v) => `${esc(v.key)} v${v.version}`).join(', ')}`)
    lines.push('  (their bytes stay until: lode artifacts gc)')
  }
  for (const v of r.versionsKept) lines.push(`Kept ${esc(v.key)} v${v.version}: ${esc(v.why)}; its lineage will name a deleted run`)
  for (const x of r.running) {
    if (x.sweep) lines.push(`Not deleted: run ${shortUid(x.uid)} (${esc(x.name)}) is an iteration of sweep ${shortUid(x.sweep)}, still running; stop it first (lode runs abort ${shortUid(x.sweep)})`)
    else lines.push(`Not deleted: run ${shortUid(x.uid)} (${esc(x.name)}) is ${x.state}; stop it first (lode runs abort ${shortUid(x.uid)})`)
  }
  if (r.dryRun && r.runs.length > 0) lines.push('', 'This was a dry run. To delete, run the same command with --yes.')
  return lines.join('\n')
}
