// A run recorded as running whose lode process is gone (machine crash, kill -9) is stale, not running forever.
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

/** True when the run says running but its lode process on this host no longer exists. */
export function isStale(run: Run): boolean {
  if (run.state !== 'running' && run.state !== 'created') return false
  if (run.host !== hostname() || run.pid === null) return false
  return !isProcessAlive(run.pid)
}

/** The state to show: `running` runs whose process is gone show as `stale`. */
export function displayState(run: Run): string {
  return isStale(run) ? 'stale' : run.state
}
