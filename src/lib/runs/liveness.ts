// A run recorded as running whose lode process is gone (machine crash, kill -9) is stale, not running forever.
import {closeSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, statSync} from '../util/fs.ts'
import {hostname} from 'node:os'
import {ENV, LIVE_STATES, type Run} from '../types.ts'

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** When a process started (ms since the epoch), from /proc on Linux; null where that cannot be told. */
export function processStartMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[19]) // field 22 of the file: starttime, in clock ticks since boot
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1])
    return Number.isFinite(ticks) && Number.isFinite(btime) ? btime * 1000 + ticks * 10 : null // USER_HZ is 100 on Linux
  } catch {
    return null
  }
}

/**
 * The run's lode process is still the one that started it: alive, and not a later process that was given the
 * same pid after it died.
 */
export function isRunProcessAlive(run: Run): boolean {
  if (run.pid === null || !isProcessAlive(run.pid)) return false
  const started = processStartMs(run.pid)
  return started === null || started <= run.created + 2000
}

/** True when the run says running but its lode process on this host no longer exists. */
export function isStale(run: Run): boolean {
  if (!LIVE_STATES.includes(run.state)) return false
  if (run.host !== hostname() || run.pid === null) return false
  return !isRunProcessAlive(run)
}

/**
 * The state to show: `running` runs whose process is gone show as `stale`; a cluster job whose lode is gone keeps
 * going on the cluster and shows as `detached` (lode runs attach follows it again).
 */
export function displayState(run: Run): string {
  if (!isStale(run)) return run.state
  return run.job ? 'detached' : 'stale'
}

/** The group exists (some process still has it as its process group). */
export function isGroupAlive(pgid: number): boolean {
  return isProcessAlive(-pgid)
}

const ENVIRON_BUF = Buffer.allocUnsafe(64 * 1024)
/** /proc/<pid>/stat is one short line (~300 bytes; the name in it is at most 64) */
const STAT_BUF = Buffer.allocUnsafe(4096)

/** Whether a process's environment (a NUL-separated /proc file) holds `entry`, read in pieces. */
function environHas(pid: string, entry: Buffer): boolean {
  let fd: number | undefined
  try {
    fd = openSync(`/proc/${pid}/environ`, 'r')
    let kept = Buffer.from([0]) // so the first entry is preceded by a NUL like the others
    for (;;) {
      const n = readSync(fd, ENVIRON_BUF, 0, ENVIRON_BUF.length, null)
      if (n === 0) return false
      // the previous piece's tail, so an entry cut between two reads is still found
      const text = Buffer.concat([kept, ENVIRON_BUF.subarray(0, n)])
      if (text.includes(entry)) return true
      kept = text.subarray(Math.max(0, text.length - entry.length))
    }
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** State, process group and start (clock ticks since boot) of a process, from /proc/<pid>/stat; null when it is gone. */
function statOf(pid: string | number): {state: string; pgrp: number; start: number} | null {
  let fd: number | undefined
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r')
    const stat = STAT_BUF.toString('latin1', 0, readSync(fd, STAT_BUF, 0, STAT_BUF.length, 0))
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 20)
    return {state: fields[0] ?? '', pgrp: Number(fields[2]), start: Number(fields[19])}
  } catch {
    return null
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** When a process started, in clock ticks since boot; null where unknown. */
export function processStartTicks(pid: number): number | null {
  const start = statOf(pid)?.start
  return start !== undefined && Number.isFinite(start) ? start : null
}

/** How many processes (and threads) the machine has started since boot, from /proc/stat; null where unknown. */
export function forkCount(): number | null {
  try {
    const forks = Number(/^processes (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))?.[1])
    return Number.isFinite(forks) ? forks : null
  } catch {
    return null
  }
}

/**
 * Where a run's processes begin: its handler's pid and start (clock ticks since boot), and forkCount() read before
 * the handler was started. Every process of the run was started after it, so has a newer pid, pids wrapping allowed.
 */
export interface HandlerOrigin {
  pid: number
  ticks: number
  forks: number | null
}

export function handlerOrigin(pid: number, forksBefore: number | null): HandlerOrigin | null {
  const ticks = processStartTicks(pid)
  return ticks === null ? null : {pid, ticks, forks: forksBefore}
}

let pidMaxRead: number | null | undefined
function pidMax(): number | null {
  if (pidMaxRead === undefined) {
    try {
      pidMaxRead = Number(readFileSync('/proc/sys/kernel/pid_max', 'latin1')) || null
    } catch {
      pidMaxRead = null
    }
  }
  return pidMaxRead
}

/**
 * The pids given out since the handler's: (origin, last], wrapping past pid_max to the low pids. null when that
 * cannot be told (not Linux), or when so many processes were started since that the counter may have gone all the
 * way round past the handler's pid: then any pid can be the run's.
 */
function pidsSince(origin: HandlerOrigin): {first: number; last: number} | null {
  if (origin.forks === null) return null
  let last: number, threads: number, forks: number | null
  try {
    // "0.52 0.58 0.59 2/345 23627": threads alive (each holds a pid), then the last pid given out
    const fields = readFileSync('/proc/loadavg', 'latin1').trim().split(/[ /]/)
    threads = Number(fields[4])
    last = Number(fields[5])
    forks = forkCount()
  } catch {
    return null
  }
  const max = pidMax()
  if (forks === null || max === null || !Number.isFinite(last) || !Number.isFinite(threads)) return null
  // to come back round to the handler's pid the counter hands out every free pid (all but ~300 reserved and those in use) once
  return forks - origin.forks + threads < max - 300 ? {first: origin.pid, last} : null
}

/** Whether `pid` was given out no earlier than `first` and no later than `last`, pids wrapping. */
export function inPidRange(pid: number, first: number, last: number): boolean {
  return last >= first ? pid >= first && pid <= last : pid >= first || pid <= last
}

/** The user lode runs as, when that user can read only its own processes' /proc files (not root, Linux). */
const ownUid = process.getuid?.() || null

/** Whether a process can be one of the run's: started no earlier than the handler, and (unless lode is root) lode's user's. */
function canBeRuns(pid: string, start: number, since: number | null): boolean {
  if (since !== null && start < since) return false
  if (ownUid === null) return true
  try {
    return statSync(`/proc/${pid}`).uid === ownUid
  } catch {
    return false
  }
}

/** Whether a process holds any of these pipes or sockets (`pipe:[inode]`, `socket:[inode]`) open. */
function holdsPipe(pid: string, pipes: ReadonlySet<string>): boolean {
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return false
  }
  for (const fd of fds) {
    try {
      if (pipes.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return true
    } catch {
      /* closed meanwhile */
    }
  }
  return false
}

/**
 * The live processes of a run: those in its process group, those marked with the LODE_RUN_UID=<uid> every
 * process of a run inherits, so also those that left the group (setsid), and, given the handler's pipes, those
 * holding one (a child that also cleared its environment). Zombies (ended, not reaped) do not count.
 * `origin`, the handler's (handlerOrigin): only processes given a pid since the handler's are read at all, and only
 * those started no earlier than it are looked into (a process started before the handler cannot be in its group,
 * nor have inherited its mark or pipes; reading every process's files is most of a scan's cost).
 * Linux only (/proc); elsewhere none are found and only the group can be ended.
 */
export function runProcesses(uid: string, pgid: number | null, pipes?: ReadonlySet<string>, origin: HandlerOrigin | null = null): number[] {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return pgid !== null && isGroupAlive(pgid) ? [-pgid] : [] // the whole group, as one
  }
  // read after the listing, so every pid listed was given out by then
  const range = origin && pidsSince(origin)
  const since = origin?.ticks ?? null
  const entry = Buffer.from(`\0${ENV.runUid}=${uid}\0`)
  const found: number[] = []
  for (const name of entries) {
    const c = name.charCodeAt(0)
    if (c < 48 || c > 57) continue
    const pid = Number(name)
    if (pid === process.pid || (range && !inPidRange(pid, range.first, range.last))) continue
    const stat = statOf(name)
    if (!stat || stat.state === 'Z' || stat.state === 'X') continue
    if (stat.pgrp === pgid) found.push(pid)
    else if (canBeRuns(name, stat.start, since) && (environHas(name, entry) || (pipes?.size && holdsPipe(name, pipes)))) found.push(pid)
  }
  return found
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig)
  } catch {
    /* gone already */
  }
}

/**
 * End what is left of a run: its process group (`pgid`, the handler's pid) and every process marked with its uid.
 * SIGTERM first, SIGKILL for what is still there after `graceMs`. Returns how many processes there were.
 * `pipes` and `origin` as for runProcesses.
 */
export async function endRunProcesses(pgid: number | null, uid: string, graceMs = 1000, pipes?: ReadonlySet<string>, origin: HandlerOrigin | null = null): Promise<number> {
  const found = runProcesses(uid, pgid, pipes, origin)
  if (!found.length) return 0
  if (pgid !== null) signal(-pgid, 'SIGTERM')
  for (const pid of found) signal(pid, 'SIGTERM')
  const until = Date.now() + graceMs
  let left = found
  while (left.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 25))
    left = runProcesses(uid, pgid, pipes, origin)
  }
  for (const pid of left) signal(pid, 'SIGKILL')
  return found.length
}

/** A workflow recorded as running whose lode process on this host is gone. */
export function isWorkflowStale(w: {state: string; host: string; pid: number | null}): boolean {
  if (w.state !== 'running' && w.state !== 'created') return false
  if (w.host !== hostname() || w.pid === null) return false
  return !isProcessAlive(w.pid)
}

/** The state to show for a workflow: `running` ones whose lode process is gone show as `stale`. */
export function workflowDisplayState<W extends {state: string; host: string; pid: number | null}>(w: W): W {
  return isWorkflowStale(w) ? {...w, state: 'stale'} : w
}
