// The one module that starts processes. Cancellation through an AbortSignal ends the whole process tree.
import {type ChildProcess, execFile, spawn} from 'node:child_process'
import {readlinkSync} from '../util/fs.ts'
import type {Socket} from 'node:net'
import {endRunProcesses, forkCount, handlerOrigin, type HandlerOrigin, runProcesses} from '../runs/liveness.ts'
import {planNode} from '../runtimes/node.ts'
import {planPythonRunner} from '../runtimes/python.ts'
import type {LaunchPlan} from '../runtimes/plan.ts'
import {MAX_EVENT_BYTES} from '../sdk/protocol.ts'
import {ENV, type RunnerStart} from '../types.ts'
import {readIntoBuffer} from './output-readers.ts'

export interface SpawnHooks {
  /** a line the handler wrote on the event pipe (fd 3) */
  onEventLine(line: string): void
  /** a line over MAX_EVENT_BYTES, dropped unread */
  onOversizeLine?(chars: number): void
  /** the handler's stdout/stderr as read: bytes, decoded only by whoever shows them */
  onOutput(stream: 'stdout' | 'stderr', chunk: Buffer): void
}

export interface ExitInfo {
  exitCode: number | null
  signal: string | null
  aborted: boolean
  /** the process could not be started (no such command) */
  startError: string | null
  /** processes the handler left running when it exited, which lode ended */
  leftBehind: number
  /** why the run failed though the handler did not say (a cluster scheduler ended its job: TIMEOUT...) */
  failure?: string
}

/** How long background processes may outlive the handler (finishing their output) before lode ends them. */
const GRACE_MS = 1500

interface Ended {
  exitCode: number | null
  signal: string | null
  /** ended because the run's AbortSignal fired while it ran */
  aborted: boolean
  startError: string | null
}

interface Subprocess {
  child: ChildProcess
  /** settles once the process exited and its pipes closed, or it could not be started */
  done: Promise<Ended>
  /** forkCount() just before it was started */
  forksBefore: number | null
  /** lode's ends of the handler's stdout and stderr when they are sockets read into reused buffers (else child.stdout/stderr) */
  output: Socket[]
}

/** A signal to the process's whole group (it leads its own), or to the process alone when the group is gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    child.kill(signal)
  }
}

/**
 * Start a handler in its own process group. On abort: SIGTERM to the group, SIGKILL a second later if it is still
 * running; also SIGTERM when lode exits first. node:child_process directly: execa's load and first call cost
 * ~80 ms per run here, against ~10 ms for the spawn itself.
 */
function start(plan: LaunchPlan, cwd: string, signal: AbortSignal, onOutput?: SpawnHooks['onOutput']): Subprocess {
  const forksBefore = forkCount()
  const child = spawn(plan.command, plan.args, {cwd, env: {...process.env, ...plan.env}, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached: true})
  const output: Socket[] = []
  if (onOutput) {
    const stdout = readIntoBuffer(child.stdout, (chunk) => onOutput('stdout', chunk))
    const stderr = stdout && readIntoBuffer(child.stderr, (chunk) => onOutput('stderr', chunk))
    if (stdout) output.push(stdout)
    if (stderr) output.push(stderr)
  }
  const running = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null
  let aborted = false
  let forceKill: NodeJS.Timeout | undefined
  const cancel = () => {
    if (!running()) return
    aborted = true
    signalGroup(child, 'SIGTERM')
    forceKill = setTimeout(() => signalGroup(child, 'SIGKILL'), 1000)
  }
  const onLodeExit = () => {
    if (running()) signalGroup(child, 'SIGTERM')
  }
  signal.addEventListener('abort', cancel, {once: true})
  process.once('exit', onLodeExit)
  const done = new Promise<Ended>((resolve) => {
    const settle = (ended: Ended) => {
      clearTimeout(forceKill)
      signal.removeEventListener('abort', cancel)
      process.removeListener('exit', onLodeExit)
      resolve(ended)
    }
    child.once('error', (error) => {
      // only a process that never started ends here; a failed kill of a running one is not its end
      if (child.pid === undefined) {
        for (const s of output) s.destroy()
        settle({exitCode: null, signal: null, aborted: false, startError: error.message})
      }
    })
    // 'close' waits for the pipes Node made; the sockets that took over its output pipes are waited for here
    const outputClosed = Promise.all(output.map((s) => new Promise((resolve) => (s.destroyed ? resolve(null) : s.once('close', resolve)))))
    child.once('close', (code, sig) => void outputClosed.then(() => settle({exitCode: code, signal: sig, aborted, startError: null})))
  })
  if (signal.aborted) cancel()
  return {child, done, forksBefore, output}
}

/** The process's handle and its pipes: unref'd, they do not keep lode alive; ref'd, they do. */
function handles(sub: Subprocess): {ref(): void; unref(): void}[] {
  const {child} = sub
  const pipes = [child.stdout, child.stderr, child.stdio[3]] as (Socket | null)[]
  return [child, ...sub.output, ...pipes.filter((p): p is Socket => p !== null && !p.destroyed)]
}

interface Prestarted {
  sub: Subprocess
  plan: LaunchPlan
  cancel: AbortController
  exited: boolean
  /** where its output goes once a run takes it; what it wrote before that, copied (`bytes` of it) */
  output: {to: SpawnHooks['onOutput'] | null; early: Array<['stdout' | 'stderr', Buffer]>; bytes: number}
}

/** What a runner may write before a run takes it, kept in memory; beyond that its writes wait, as on a pipe nobody reads. */
const EARLY_BYTES = 1024 * 1024

/** Runners started ahead, oldest first: one for `lode run`, a few for a sweep's next iterations. */
const prestarted: Prestarted[] = []

/**
 * Start the runner for `file` now, before the run it will serve is known. Starting the interpreter and loading the
 * runner (Node's TypeScript type stripper, the Python runner's modules) take most of a small run's time; this way
 * they happen while lode opens its project and records the run, on the machine's other core. The runner waits on its
 * event pipe for a RunnerStart line (the run's environment and folder); spawnHandler sends it when its plan is the
 * same. A runner no run takes (bad input, another kind of function) ends with lode: start() ends it when lode exits,
 * and if lode is killed, its pipe closes. Nothing is started while `ahead` runners already wait.
 */
export function prestartRunner(file: string, kind: 'node' | 'python', opts: {python?: string; ahead?: number} = {}): void {
  if (prestarted.length >= (opts.ahead ?? 1)) return
  const base = kind === 'node' ? planNode() : planPythonRunner(file, opts)
  const plan: LaunchPlan = {...base, env: {...base.env, [ENV.eventFd]: '3', [ENV.prestart]: file}}
  const cancel = new AbortController()
  const output: Prestarted['output'] = {to: null, early: [], bytes: 0}
  const sub: Subprocess = start(plan, process.cwd(), cancel.signal, (stream, chunk) => {
    if (output.to) return output.to(stream, chunk)
    output.early.push([stream, Buffer.from(chunk)])
    output.bytes += chunk.length
    if (output.bytes > EARLY_BYTES) for (const s of sub.output) s.pause()
  })
  for (const h of handles(sub)) h.unref()
  const p: Prestarted = {sub, plan: base, cancel, exited: false, output}
  void sub.done.then(() => (p.exited = true))
  prestarted.push(p)
}

/** End the pre-started runners no run took (a sweep that started them for iterations that never came). */
export function dropPrestarted(): void {
  for (const p of prestarted.splice(0)) if (!p.exited) signalGroup(p.sub.child, 'SIGKILL')
}

/** The oldest pre-started runner, when it can serve this plan and is still alive. */
function adopt(plan: LaunchPlan): Prestarted | null {
  const p = prestarted.shift()
  if (!p) return null
  const same = p.plan.command === plan.command && p.plan.args.join('\0') === plan.args.join('\0')
  if (!same || p.exited || p.sub.child.pid === undefined) {
    signalGroup(p.sub.child, 'SIGKILL')
    return null
  }
  return p
}

export async function spawnHandler(plan: LaunchPlan, opts: {cwd: string; signal: AbortSignal; onStart?: (pid: number) => void} & SpawnHooks): Promise<ExitInfo> {
  const uid = plan.env[ENV.runUid]
  // told before the handler exists: lode killed -9 the moment after it started still has its processes ended
  const watched = uid ? watchRun(uid) : null
  const ready = adopt(plan)
  let sub: Subprocess
  if (ready) {
    sub = ready.sub
    for (const [stream, chunk] of ready.output.early.splice(0)) opts.onOutput(stream, chunk)
    ready.output.to = opts.onOutput
    for (const s of sub.output) s.resume()
    for (const h of handles(sub)) h.ref()
    const cancel = () => ready.cancel.abort(opts.signal.reason)
    if (opts.signal.aborted) cancel()
    else opts.signal.addEventListener('abort', cancel, {once: true})
    const run: RunnerStart = {env: {...(process.env as Record<string, string>), ...plan.env}, cwd: opts.cwd}
    ;(sub.child.stdio[3] as Socket).write(`${JSON.stringify(run)}\n`)
  } else {
    sub = start(plan, opts.cwd, opts.signal, opts.onOutput)
  }
  const {child} = sub
  const pid = child.pid ?? null
  if (pid !== null) watched?.started(pid)
  // the handler's channels, by identity: a child that cleared its environment and left the group still holds them
  // (read first thing, while the handler surely still has them)
  const pipes = channelIds(pid)
  const origin = pid === null ? null : handlerOrigin(pid, sub.forksBefore)
  if (pid !== null) opts.onStart?.(pid)
  // pipes not taken over (their handles were not there): a new buffer per read
  child.stdout?.on('data', (chunk: Buffer) => opts.onOutput('stdout', chunk))
  child.stderr?.on('data', (chunk: Buffer) => opts.onOutput('stderr', chunk))
  const events = readLines(child.stdio[3] as NodeJS.ReadableStream, opts.onEventLine, opts.onOversizeLine)
  const closed = Promise.all([sub.done, events])
  let leftBehind = 0
  if (pid !== null && uid) {
    // The handler's exit ends the run, not its pipes closing: a background child may hold them for ever.
    await Promise.race([closed, new Promise((resolve) => child.once('exit', resolve))])
    // aborted: no grace, and little time for SIGTERM (lode has to be gone within 2 s of a Ctrl-C)
    leftBehind = await endLeftovers(closed, {pgid: pid, uid, pipes, origin}, opts.signal.aborted ? {grace: 0, term: 300} : {grace: GRACE_MS, term: 1000})
    if (!(await within(closed, 2000))) {
      // still held open by a process lode could not find (one that left the group, cleared its environment, and passed the pipes on through a process that has since exited)
      for (const stream of [child.stdout, child.stderr, ...sub.output, child.stdio[3]]) stream?.destroy()
    }
  }
  const result = await sub.done
  await events
  watched?.done()
  return {...result, leftBehind}
}

/** Whether `p` settles within `ms`. */
function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p.then(() => true, () => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]).finally(() => clearTimeout(timer))
}

/**
 * After the handler exited: give what it left running `graceMs` to finish (and close the pipes), then end it.
 * Returns how many processes were ended.
 */
async function endLeftovers(closed: Promise<unknown>, run: {pgid: number; uid: string; pipes: Set<string>; origin: HandlerOrigin | null}, ms: {grace: number; term: number}): Promise<number> {
  const {pgid, uid, pipes, origin} = run
  const until = Date.now() + ms.grace
  if (await within(closed, ms.grace)) {
    // the pipes closed: anything still running let go of them (a daemon); it gets what is left of the grace.
    // Most handlers leave nothing: one look at /proc then.
    let left = runProcesses(uid, pgid, undefined, origin)
    while (left.length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50))
      left = runProcesses(uid, pgid, undefined, origin)
    }
    return left.length ? endRunProcesses(pgid, uid, ms.term, undefined, origin) : 0
  }
  // something still holds the pipes: also look for it by the pipes it holds
  return endRunProcesses(pgid, uid, ms.term, pipes, origin)
}

/**
 * The handler's ends of its output and event channels (`socket:[inode]` or `pipe:[inode]`, as /proc shows them),
 * read from the handler's fds 1-3 as it starts: every process that inherited them shows the same.
 */
function channelIds(pid: number | null): Set<string> {
  const ids = new Set<string>()
  if (pid === null) return ids
  for (const fd of [1, 2, 3]) {
    try {
      const id = readlinkSync(`/proc/${pid}/fd/${fd}`)
      if (id.startsWith('pipe:') || id.startsWith('socket:')) ids.add(id)
    } catch {
      /* gone already, or not Linux: processes are found by group and environment only */
    }
  }
  return ids
}

/**
 * The watchdog: one small shell per lode process, reading a pipe from lode. Lode writes `+ 0 <uid>` before a
 * handler is started, `+ <pgid> <uid>` once it has its process group, and `- 0 <uid>` once its run is over. End of
 * file means lode is gone: for the runs still listed (none after a normal end; all of them after kill -9 or a crash)
 * it ends the handler's process group and every process marked with the run's uid. It runs in its own session, so a
 * Ctrl-C at the terminal does not reach it, and it does not keep lode alive. One per process rather than one per
 * run: a workflow's steps share it.
 */
const WATCHDOG = `runs=
while read -r op pgid uid; do
  case $op in
    +) runs="$runs $pgid:$uid" ;;
    -) left=; for r in $runs; do [ "\${r#*:}" = "$uid" ] || left="$left $r"; done; runs=$left ;;
  esac
done
[ -n "$runs" ] || exit 0
end() {
  for r in $runs; do
    [ "\${r%%:*}" = 0 ] || kill -"$1" -"\${r%%:*}" 2>/dev/null
    for f in $(grep -lzx "${ENV.runUid}=\${r#*:}" /proc/[0-9]*/environ 2>/dev/null); do f=\${f#/proc/}; kill -"$1" "\${f%/environ}" 2>/dev/null; done
  done
}
end TERM; sleep 1; end KILL`

let watchdog: ChildProcess | null = null

function startWatchdog(): ChildProcess | null {
  try {
    const child = spawn('/bin/sh', ['-c', WATCHDOG, 'lode-watchdog'], {detached: true, stdio: ['pipe', 'ignore', 'ignore']})
    child.on('error', () => {})
    child.stdin?.on('error', () => {})
    child.unref()
    ;(child.stdin as unknown as Socket).unref()
    return child
  } catch {
    return null // no /bin/sh: lode still ends the run's processes itself, just not after its own death
  }
}

/**
 * Tell the watchdog (started with the first run) about a run before its handler starts (its processes are found by
 * the uid in their environment), started() with the handler's process group, done() once the run is over. The
 * lines reach the pipe as they are written (libuv writes at once to an idle pipe), so they are there before the
 * handler can do anything.
 */
function watchRun(uid: string): {started(pgid: number): void; done(): void} {
  const none = {started() {}, done() {}}
  if (!/^[\w-]+$/.test(uid)) return none
  if (!watchdog || watchdog.exitCode !== null || watchdog.signalCode !== null) watchdog = startWatchdog()
  const w = watchdog
  if (!w?.stdin) return none
  w.stdin.write(`+ 0 ${uid}\n`)
  return {started: (pgid) => w.stdin?.write(`+ ${pgid} ${uid}\n`), done: () => w.stdin?.write(`- 0 ${uid}\n`)}
}

/** Lines of an event pipe in linear time; a line over MAX_EVENT_BYTES is dropped as it streams in, and counted. */
export function readLines(stream: NodeJS.ReadableStream | null | undefined, onLine: (line: string) => void, onOversize?: (bytes: number) => void): Promise<void> {
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

/**
 * A short command run to its end without execa (whose load costs ~80 ms a process): a cluster client (sbatch, squeue)
 * or a Python probe called on a run's critical path. The same answer as runProbe. With `group`, the command leads its
 * own process group, and a timeout ends the whole group as runProbe ends the tree: a child of the command (an
 * interpreter's wrapper script) left holding its output open would keep the answer waiting.
 */
export function runQuick(command: string, args: string[], opts: {timeoutMs?: number; env?: Record<string, string>; group?: boolean} = {}): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? probeTimeoutMs()
  if (opts.group) return runGroup(command, args, timeoutMs, opts.env)
  return new Promise((resolve) => {
    execFile(command, args, {timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, ...(opts.env ? {env: opts.env} : {})}, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & {killed?: boolean; code?: number | string}) | null
      const exitCode = e === null ? 0 : typeof e.code === 'number' ? e.code : null
      const failure = e === null || typeof e.code === 'number' ? null : e.killed ? {code: 'ETIMEDOUT', message: `did not answer within ${timeoutMs / 1000} s`} : {code: e.code ?? null, message: e.message}
      resolve({exitCode, stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), failure})
    })
  })
}

/** runQuick with the command in its own process group (execFile cannot detach it). */
function runGroup(command: string, args: string[], timeoutMs: number, env: Record<string, string> | undefined): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...(env ? {env} : {})})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout?.on('data', (b: Buffer) => out.push(b))
    child.stderr?.on('data', (b: Buffer) => err.push(b))
    let startError: NodeJS.ErrnoException | null = null
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      signalGroup(child, 'SIGKILL')
    }, timeoutMs)
    // out of lode's group, a Ctrl-C at the terminal does not reach it: it is ended when lode exits first
    const onLodeExit = () => signalGroup(child, 'SIGKILL')
    process.once('exit', onLodeExit)
    child.once('error', (e) => (startError = e))
    child.once('close', (code) => {
      clearTimeout(timer)
      process.removeListener('exit', onLodeExit)
      const failure = timedOut ? {code: 'ETIMEDOUT', message: `did not answer within ${timeoutMs / 1000} s`}
        : startError ? {code: startError.code ?? null, message: startError.message} : null
      resolve({exitCode: failure ? null : code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), failure})
    })
  })
}

export interface ProbeResult {
  exitCode: number | null
  stdout: string
  stderr: string
  /** why it could not start or finish: ENOENT, EACCES, a timeout; null when it ran to its end */
  failure: {code: string | null; message: string} | null
}

/** How long a probe (an interpreter's version, a file's signatures) may take before it is given up on. */
export const PROBE_TIMEOUT_MS = 10_000

function probeTimeoutMs(): number {
  const ms = Number(process.env.LODE_PROBE_TIMEOUT_MS)
  return Number.isFinite(ms) && ms > 0 ? ms : PROBE_TIMEOUT_MS
}

/** Run a short command to its end and answer what it printed (e.g. `python3 -c ...`). Never throws for its failure. */
export async function runProbe(command: string, args: string[], opts: {timeoutMs?: number; env?: Record<string, string>} = {}): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? probeTimeoutMs()
  // the whole tree on timeout: a child left holding the output pipes open would keep the await waiting
  const {execa} = await import('#execa')
  const r = await execa(command, args, {reject: false, timeout: timeoutMs, ...(opts.env ? {env: opts.env} : {}), killDescendants: true, forceKillAfterDelay: 1000, stdin: 'ignore', encoding: 'utf8'})
  const started = !(r.failed && r.exitCode === undefined)
  return {
    exitCode: r.exitCode ?? null, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''),
    failure: started && !r.timedOut ? null : {code: r.timedOut ? 'ETIMEDOUT' : ((r as {code?: string}).code ?? null), message: r.timedOut ? `did not answer within ${timeoutMs / 1000} s` : (r.shortMessage ?? 'it could not start')},
  }
}
