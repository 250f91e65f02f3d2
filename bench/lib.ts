// Small timing helpers for the bench scripts: medians of repeated runs, ratios in the same invocation.
import {spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const BIN = join(ROOT, 'bin', 'run.js')

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Median wall time (ms) of a command, after `warmup` unmeasured runs. Fails loudly when the command fails. */
export function timeCommand(cmd: string, args: string[], opts: {cwd?: string; runs?: number; warmup?: number; env?: Record<string, string>} = {}): number {
  const times: number[] = []
  const total = (opts.warmup ?? 2) + (opts.runs ?? 15)
  for (let i = 0; i < total; i++) {
    const t0 = performance.now()
    const r = spawnSync(cmd, args, {cwd: opts.cwd, env: {...process.env, CI: '1', ...opts.env}, stdio: ['ignore', 'ignore', 'pipe']})
    const dt = performance.now() - t0
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
    if (i >= (opts.warmup ?? 2)) times.push(dt)
  }
  return median(times)
}

export interface CommandSpec {
  cmd: string
  args: string[]
  cwd?: string
  /** run before each (timed) invocation, outside the timing: e.g. edit the file the command reads */
  before?: () => void
  /** send its stderr to /dev/null instead of keeping it for the error message (a command that prints megabytes there) */
  discardStderr?: boolean
}

/**
 * Median wall times (ms) of several commands, run interleaved (a, b, c, a, b, c, ...) so that a noisy machine
 * slows them alike and their ratios stay meaningful.
 */
export function timeInterleaved(specs: CommandSpec[], opts: {runs?: number; warmup?: number} = {}): number[] {
  const times: number[][] = specs.map(() => [])
  const warmup = opts.warmup ?? 2
  for (let i = 0; i < warmup + (opts.runs ?? 15); i++) {
    specs.forEach((s, j) => {
      s.before?.()
      const t0 = performance.now()
      const r = spawnSync(s.cmd, s.args, {cwd: s.cwd, env: {...process.env, CI: '1'}, stdio: ['ignore', 'ignore', s.discardStderr ? 'ignore' : 'pipe']})
      const dt = performance.now() - t0
      if (r.status !== 0) throw new Error(`${s.cmd} ${s.args.join(' ')} failed (${r.status}): ${r.stderr ?? ''}`)
      if (i >= warmup) times[j]!.push(dt)
    })
  }
  return times.map(median)
}

export async function timeAsync(fn: () => Promise<unknown> | unknown, runs = 5): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await fn()
    times.push(performance.now() - t0)
  }
  return median(times)
}

export function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/**
 * One figure against its baseline from the same invocation, its target and the verdict. `target` reads `<= 1.5x`
 * (a ratio) or `<= +150 ms` (time added to the baseline); anything else (e.g. `informative`) is shown with no
 * verdict. A missed target sets the exit code, so `npm run bench` fails.
 */
export function report(label: string, value: number, baseline: number, target: string): boolean {
  const pass = meets(value, baseline, target)
  const verdict = pass === null ? '' : pass ? '  PASS' : '  MISS'
  const line = `${label.padEnd(44)} ${value.toFixed(1).padStart(8)} ms  vs ${baseline.toFixed(1).padStart(8)} ms  = ${(value / baseline).toFixed(2)}x  (target ${target})${verdict}`
  console.log(line)
  if (pass === false) process.exitCode = 1
  return pass !== false
}

function meets(value: number, baseline: number, target: string): boolean | null {
  const ratio = /^<=\s*([\d.]+)x$/.exec(target.trim())
  if (ratio) return value / baseline <= Number(ratio[1])
  const added = /^<=\s*\+([\d.]+)\s*ms$/.exec(target.trim())
  if (added) return value - baseline <= Number(added[1])
  return null
}
