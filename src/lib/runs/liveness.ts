// A run recorded as running whose lode process is gone (machine crash, kill -9) is stale, not running forever.
import {readFileSync} from 'node:fs'
import {hostname} from 'node:os'
import type {Run} from '../types.ts'

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
  if (run.state !== 'running' && run.state !== 'created') return false
  if (run.host !== hostname() || run.pid === null) return false
  return !isRunProcessAlive(run)
}

/** The state to show: `running` runs whose process is gone show as `stale`. */
export function displayState(run: Run): string {
  return isStale(run) ? 'stale' : run.state
}
