// The one module that starts processes. Cancellation through an AbortSignal ends the whole process tree.
import {execa} from '#execa'
import type {LaunchPlan} from '../runtimes/plan.ts'

export interface SpawnHooks {
  /** a line the handler wrote on the event pipe (fd 3) */
  onEventLine(line: string): void
  onOutput(stream: 'stdout' | 'stderr', chunk: string): void
}

export interface ExitInfo {
  exitCode: number | null
  signal: string | null
  aborted: boolean
  /** the process could not be started (no such command) */
  startError: string | null
}

export async function spawnHandler(plan: LaunchPlan, opts: {cwd: string; signal: AbortSignal; onStart?: (pid: number) => void} & SpawnHooks): Promise<ExitInfo> {
  const sub = execa(plan.command, plan.args, {
    cwd: opts.cwd,
    env: plan.env,
    extendEnv: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    cancelSignal: opts.signal,
    killDescendants: true,
    forceKillAfterDelay: 3000,
    reject: false,
    buffer: false,
    encoding: 'utf8',
  })
  if (sub.pid) opts.onStart?.(sub.pid)
  sub.stdout?.setEncoding('utf8')
  sub.stderr?.setEncoding('utf8')
  sub.stdout?.on('data', (chunk: string) => opts.onOutput('stdout', chunk))
  sub.stderr?.on('data', (chunk: string) => opts.onOutput('stderr', chunk))
  const events = readLines(sub.stdio[3] as NodeJS.ReadableStream, opts.onEventLine)
  const result = await sub
  await events
  const startError = result.exitCode === undefined && !result.signal && !result.isCanceled ? (result.originalMessage || result.shortMessage) : null
  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    aborted: Boolean(result.isCanceled),
    startError: startError ?? null,
  }
}

function readLines(stream: NodeJS.ReadableStream | null | undefined, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    if (!stream) return resolve()
    let rest = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      rest += chunk
      let nl: number
      while ((nl = rest.indexOf('\n')) >= 0) {
        const line = rest.slice(0, nl)
        rest = rest.slice(nl + 1)
        if (line.trim()) onLine(line)
      }
    })
    const done = () => {
      if (rest.trim()) onLine(rest)
      rest = ''
      resolve()
    }
    stream.on('end', done)
    stream.on('close', done)
    stream.on('error', done)
  })
}
