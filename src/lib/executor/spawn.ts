// The one module that starts processes. Cancellation through an AbortSignal ends the whole process tree.
import {execa} from '#execa'
import type {Socket} from 'node:net'
import {planNode} from '../runtimes/node.ts'
import type {LaunchPlan} from '../runtimes/plan.ts'
import {MAX_EVENT_BYTES} from '../sdk/protocol.ts'
import {ENV, type RunnerStart} from '../types.ts'

export interface SpawnHooks {
  /** a line the handler wrote on the event pipe (fd 3) */
  onEventLine(line: string): void
  /** a line over MAX_EVENT_BYTES, dropped unread */
  onOversizeLine?(chars: number): void
  onOutput(stream: 'stdout' | 'stderr', chunk: string): void
}

export interface ExitInfo {
  exitCode: number | null
  signal: string | null
  aborted: boolean
  /** the process could not be started (no such command) */
  startError: string | null
}

function start(plan: LaunchPlan, cwd: string, signal: AbortSignal) {
  return execa(plan.command, plan.args, {
    cwd,
    env: plan.env,
    extendEnv: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    cancelSignal: signal,
    killDescendants: true,
    forceKillAfterDelay: 3000,
    reject: false,
    buffer: false,
    encoding: 'utf8',
  })
}

type Subprocess = ReturnType<typeof start>

/** The process's handle and its pipes: unref'd, they do not keep lode alive; ref'd, they do. */
function handles(sub: Subprocess): {ref(): void; unref(): void}[] {
  return [sub.nodeChildProcess, sub.stdout as Socket, sub.stderr as Socket, sub.stdio[3] as Socket]
}

interface Prestarted {
  sub: Subprocess
  plan: LaunchPlan
  cancel: AbortController
  exited: boolean
}

let prestarted: Prestarted | null = null

/**
 * Start the Node runner for `file` now, before the run it will serve is known. Starting Node and loading TypeScript's
 * type stripper take most of a small run's time; this way they happen while lode opens its project and records the
 * run, on the machine's other core. The runner waits on its event pipe for a RunnerStart line (the run's
 * environment and folder); spawnHandler sends it when its plan is the same. A runner no run takes (bad input,
 * another kind of function) ends with lode: execa kills it when lode exits, and if lode is killed, its pipe closes.
 */
export function prestartNodeRunner(file: string): void {
  if (prestarted) return
  const base = planNode()
  const plan: LaunchPlan = {...base, env: {...base.env, [ENV.eventFd]: '3', [ENV.prestart]: file}}
  const cancel = new AbortController()
  const sub = start(plan, process.cwd(), cancel.signal)
  for (const h of handles(sub)) h.unref()
  const p: Prestarted = {sub, plan: base, cancel, exited: false}
  void sub.then(() => (p.exited = true))
  prestarted = p
}

/** The pre-started runner, when it can serve this plan and is still alive. */
function adopt(plan: LaunchPlan): Prestarted | null {
  const p = prestarted
  if (!p) return null
  prestarted = null
  const same = p.plan.command === plan.command && p.plan.args.join('\0') === plan.args.join('\0')
  if (!same || p.exited || !p.sub.pid) {
    p.sub.kill('SIGKILL')
    return null
  }
  return p
}

export async function spawnHandler(plan: LaunchPlan, opts: {cwd: string; signal: AbortSignal; onStart?: (pid: number) => void} & SpawnHooks): Promise<ExitInfo> {
  const ready = adopt(plan)
  let sub: Subprocess
  if (ready) {
    sub = ready.sub
    for (const h of handles(sub)) h.ref()
    const cancel = () => ready.cancel.abort(opts.signal.reason)
    if (opts.signal.aborted) cancel()
    else opts.signal.addEventListener('abort', cancel, {once: true})
    const run: RunnerStart = {env: {...(process.env as Record<string, string>), ...plan.env}, cwd: opts.cwd}
    ;(sub.stdio[3] as Socket).write(`${JSON.stringify(run)}\n`)
  } else {
    sub = start(plan, opts.cwd, opts.signal)
  }
  if (sub.pid) opts.onStart?.(sub.pid)
  sub.stdout?.setEncoding('utf8')
  sub.stderr?.setEncoding('utf8')
  sub.stdout?.on('data', (chunk: string) => opts.onOutput('stdout', chunk))
  sub.stderr?.on('data', (chunk: string) => opts.onOutput('stderr', chunk))
  const events = readLines(sub.stdio[3] as NodeJS.ReadableStream, opts.onEventLine, opts.onOversizeLine)
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

/** Lines of an event pipe in linear time; a line over MAX_EVENT_BYTES is dropped as it streams in, and counted. */
function readLines(stream: NodeJS.ReadableStream | null | undefined, onLine: (line: string) => void, onOversize?: (bytes: number) => void): Promise<void> {
  return new Promise((resolve) => {
    if (!stream) return resolve()
    let parts: string[] = []
    let size = 0
    let dropped = false
    const end = (tail: string) => {
      if (dropped) onOversize?.(size + tail.length)
      else {
        const line = parts.length ? parts.join('') + tail : tail
        if (line.trim()) onLine(line)
      }
      parts = []
      size = 0
      dropped = false
    }
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      let from = 0
      let nl: number
      while ((nl = chunk.indexOf('\n', from)) >= 0) {
        end(chunk.slice(from, nl))
        from = nl + 1
      }
      const rest = chunk.slice(from)
      if (!rest) return
      size += rest.length
      if (size > MAX_EVENT_BYTES) {
        dropped = true
        parts = []
      } else {
        parts.push(rest)
      }
    })
    const done = () => {
      if (size || dropped) end('')
      resolve()
    }
    stream.on('end', done)
    stream.on('close', done)
    stream.on('error', done)
  })
}

export interface ProbeResult {
  exitCode: number | null
  stdout: string
  stderr: string
  /** why it could not start or finish: ENOENT, EACCES, a timeout; null when it ran to its end */
  failure: {code: string | null; message: string} | null
}

/** Run a short command to its end and answer what it printed (e.g. `python3 -c ...`). Never throws for its failure. */
export async function runProbe(command: string, args: string[], opts: {timeoutMs?: number} = {}): Promise<ProbeResult> {
  const r = await execa(command, args, {reject: false, timeout: opts.timeoutMs ?? 30_000, stdin: 'ignore', encoding: 'utf8'})
  const started = !(r.failed && r.exitCode === undefined)
  return {
    exitCode: r.exitCode ?? null, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''),
    failure: started && !r.timedOut ? null : {code: (r as {code?: string}).code ?? null, message: r.timedOut ? `no answer within ${(opts.timeoutMs ?? 30_000) / 1000} s` : (r.shortMessage ?? 'it could not start')},
  }
}
