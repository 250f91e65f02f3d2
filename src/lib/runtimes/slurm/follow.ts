// Following a job from the run's folder: its event file, stdout and stderr read as they grow (polled: inotify does not
// see writes from other nodes of a network filesystem), its state from Slurm, its end from the exit file the script
// writes last or, when Slurm ended it first, from Slurm's word for why.
import {closeSync, existsSync, openSync, readFileSync, readSync, watch, writeFileSync, type FSWatcher} from '../../util/fs.ts'
import {constants} from 'node:os'
import {PassThrough} from 'node:stream'
import {readLines, type ExitInfo, type SpawnHooks} from '../../executor/spawn.ts'
import type {RunJob} from '../../types.ts'
import {scancel, scontrolJob, squeue, watchJob} from './commands.ts'
import {MAX_EVENT_BYTES} from '../../sdk/protocol.ts'
import {causeOf, exitOfJob, memoryKillOf, outOfMemoryCause, phaseOf, type JobStatus} from './job-state.ts'
import {jobFiles} from './script.ts'

const READ_MS = 50
const MIN_WAKE_MS = 5
/** After a cancel, how long to wait for the job's end before recording it aborted anyway (Ctrl-C ends lode in 2 s). */
const CANCEL_WAIT_MS = 1200
/** How long a job may be unknown to Slurm, its exit not written, before the run fails (a forgotten job). */
const UNKNOWN_MS = 10_000
/** The end of the job's stderr kept to read why slurmd killed it. */
const STDERR_TAIL = 8192

/** A file read from where the last read stopped. */
class Tail {
  #fd: number | null = null
  readonly #buf = Buffer.allocUnsafe(256 * 1024)
  readonly path: string
  readonly onData: (chunk: Buffer) => void
  constructor(path: string, onData: (chunk: Buffer) => void) {
    this.path = path
    this.onData = onData
  }

  /** Whether there was anything new. */
  read(): boolean {
    if (this.#fd === null) {
      try {
        this.#fd = openSync(this.path, 'r')
      } catch {
        return false // not written yet
      }
    }
    let got = false
    for (;;) {
      const n = readSync(this.#fd, this.#buf, 0, this.#buf.length, null)
      if (n <= 0) return got
      got = true
      this.onData(Buffer.from(this.#buf.subarray(0, n)))
    }
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd)
    this.#fd = null
  }
}

/**
 * The job's event file passed on whole lines at a time: the bytes after its last newline are held back, a line still
 * being written. A job Slurm ended mid-write (its node failed) leaves them cut short for good: said as that, not
 * read as a line that is not JSON.
 */
class HeldLine {
  #held = Buffer.alloc(0)
  /** a line past the size of any event passes straight on (the reader refuses it as oversize) until its newline */
  #straight = false
  readonly #to: PassThrough
  constructor(to: PassThrough) {
    this.#to = to
  }

  write(chunk: Buffer): void {
    const nl = chunk.lastIndexOf(0x0a)
    if (nl < 0) {
      if (this.#straight) return void this.#to.write(chunk)
      this.#held = Buffer.concat([this.#held, chunk])
      if (this.#held.length > MAX_EVENT_BYTES) this.#pass(true)
      return
    }
    this.#to.write(this.#straight ? chunk.subarray(0, nl + 1) : Buffer.concat([this.#held, chunk.subarray(0, nl + 1)]))
    this.#straight = false
    this.#held = Buffer.from(chunk.subarray(nl + 1))
  }

  /** The job ended before the line was finished: drop it, and say so (appended to the run's error). */
  cut(): string {
    if (!this.#held.length) return ''
    const bytes = this.#held.length
    this.#held = Buffer.alloc(0)
    return `; the job's last event line was cut short (${bytes} bytes): what it carried is lost`
  }

  /** The job's own end: whatever is held is its last line, read as it is. */
  end(): void {
    this.#pass(false)
  }

  #pass(straight: boolean): void {
    if (this.#held.length) this.#to.write(this.#held)
    this.#held = Buffer.alloc(0)
    this.#straight = straight
  }
}

function signalName(n: number): string | null {
  return Object.entries(constants.signals).find(([, v]) => v === n)?.[0] ?? null
}

/** The handler's exit as the script recorded it: 128+N is signal N, as bash reports a killed child. */
function exitOf(status: number): {exitCode: number | null; signal: string | null} {
  const signal = status > 128 ? signalName(status - 128) : null
  return signal ? {exitCode: null, signal} : {exitCode: status, signal: null}
}

/** Whether a job is over: its exit written, or Slurm saying it ended (or no longer knowing it). */
export async function jobEnded(runDir: string, id: string): Promise<boolean> {
  if (existsSync(jobFiles(runDir).exit)) return true
  const states = await squeue([id])
  if (!states) return false
  const s = states.get(id)
  return !s || phaseOf(s.state) === 'ended'
}

export interface FollowOptions extends SpawnHooks {
  job: RunJob
  runDir: string
  signal: AbortSignal
  /** the --time asked for, to say it in a TIMEOUT's error */
  timeLimit?: string
  onJob?(job: RunJob, state: 'queued' | 'running'): void
  /** how the job is cancelled (a job array's tasks: many at once); scancel of the job by default */
  cancel?(id: string): Promise<void>
}

export async function followJob(o: FollowOptions): Promise<ExitInfo> {
  const files = jobFiles(o.runDir)
  // one run of a pack (also when attached later): the job running is not this run running (its own files say when it
  // starts), and its abort is a cancel file the pack's script acts on, not a scancel of the others' job
  const packed = existsSync(files.packed)
  const cancel = o.cancel ?? (packed ? async () => writeFileSync(files.cancel, '') : scancel)
  const events = new PassThrough()
  const lines = readLines(events, o.onEventLine, o.onOversizeLine)
  const held = new HeldLine(events)
  let stderrTail = ''
  // anything written means the job runs, though Slurm may not have said so yet: said before what was written
  const tails = [
    new Tail(files.events, (c) => {
      started()
      held.write(c)
    }),
    new Tail(files.stdout, (c) => {
      started()
      o.onOutput('stdout', c)
    }),
    new Tail(files.stderr, (c) => {
      started()
      stderrTail = (stderrTail + c.toString('latin1')).slice(-STDERR_TAIL)
      o.onOutput('stderr', c)
    }),
  ]
  // slurmd's own word on a job it killed past its --mem
  const memoryKill = () => {
    const kill = memoryKillOf(stderrTail)
    return kill ? outOfMemoryCause(kill) : null
  }
  const drain = () => {
    for (const t of tails) t.read()
  }
  let status: JobStatus | null | undefined
  let unknownSince: number | null = null
  let phase: 'queued' | 'running' = 'queued'
  const started = () => {
    if (phase === 'running') return
    phase = 'running'
    o.job = {runtime: o.job.runtime, id: o.job.id}
    o.onJob?.(o.job, 'running')
  }
  const unwatch = watchJob(o.job.id, (s) => {
    status = s
    if (s === null) unknownSince ??= Date.now()
    else unknownSince = null
  })
  // where the folder is local (or the filesystem tells), a change wakes the loop at once: the job's end is seen when
  // its exit file appears, not up to READ_MS later; the polling stays for the writes of other nodes
  let wake: (() => void) | null = null
  let watcher: FSWatcher | null = null
  try {
    // a handler writing thousands of lines a second wakes it at most every MIN_WAKE_MS
    watcher = watch(files.dir, () => {
      if (Date.now() - lastPass >= MIN_WAKE_MS) wake?.()
    })
    watcher.on('error', () => {})
  } catch {
    /* polling only */
  }
  let lastPass = 0
  let cancelAt: number | null = null
  const done = (exit: Omit<ExitInfo, 'leftBehind'>): ExitInfo => ({...exit, leftBehind: 0})
  try {
    for (;;) {
      lastPass = Date.now()
      drain()
      if (existsSync(files.exit)) {
        drain()
        started()
        const code = Number(readFileSync(files.exit, 'utf8').trim())
        const exit = exitOf(Number.isInteger(code) ? code : 1)
        const oom = exit.signal === 'SIGKILL' && cancelAt === null ? memoryKill() : null
        return done({...exit, aborted: cancelAt !== null, startError: null, ...(oom ? {failure: oom} : {})})
      }
      if (o.signal.aborted && cancelAt === null) {
        cancelAt = Date.now()
        await cancel(o.job.id)
      }
      if (cancelAt !== null && Date.now() - cancelAt > CANCEL_WAIT_MS) return done({exitCode: null, signal: null, aborted: true, startError: null})
      if (status) {
        const now = phaseOf(status.state)
        const reason = status.reason !== 'None' ? status.reason : undefined
        // a poll answered before the job's files showed it running is stale: a running job never goes back to queued
        if (now === 'queued' && phase === 'queued' && reason !== o.job.reason) o.onJob?.((o.job = {...o.job, reason}), 'queued')
        if (now === 'running' && !packed) started()
        if (now === 'ended' && !existsSync(files.exit)) {
          drain()
          if (cancelAt !== null) return done({exitCode: null, signal: null, aborted: true, startError: null})
          const detail = (await scontrolJob(o.job.id)) ?? status
          if (existsSync(files.exit)) continue // the script finished just as Slurm was asked
          const exit = exitOfJob(detail)
          return done({exitCode: exit.exitCode, signal: exit.signal ? signalName(exit.signal) : null, aborted: false, startError: null, failure: (memoryKill() ?? causeOf(detail, {timeLimit: o.timeLimit})) + held.cut()})
        }
      }
      if (unknownSince !== null && Date.now() - unknownSince > UNKNOWN_MS && !existsSync(files.exit)) {
        drain()
        if (cancelAt !== null) return done({exitCode: null, signal: null, aborted: true, startError: null})
        return done({exitCode: null, signal: null, aborted: false, startError: null, failure: `Slurm no longer knows job ${o.job.id} and it left no exit status (purged after MinJobAge, or the controller lost its state)${held.cut()}`})
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wake = null
          resolve()
        }, READ_MS)
        wake = () => {
          clearTimeout(timer)
          wake = null
          resolve()
        }
      })
    }
  } finally {
    watcher?.close()
    unwatch()
    drain()
    for (const t of tails) t.close()
    held.end()
    events.end()
    await lines
  }
}
