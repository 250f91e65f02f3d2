// Ctrl-C and SIGTERM abort the work in progress (the handler's whole process tree), once; a second Ctrl-C exits.
// Whatever lode is doing then (hashing a large input, storing a large artifact), it ends within FORCE_MS: what
// registered with onForcedExit (the run in progress) is recorded aborted first, and the watchdog of a run still
// going ends its processes once lode is gone.
import {abortCause} from '../util/words.ts'

/** How long lode may take to stop cleanly after the first signal. */
const FORCE_MS = 1800

const lastWords = new Set<(signal: string) => void>()

/** `fn` runs if lode has to exit before the work in progress stopped by itself; returns a function that unregisters it. */
export function onForcedExit(fn: (signal: string) => void): () => void {
  lastWords.add(fn)
  return () => lastWords.delete(fn)
}

function forcedExit(signal: string, said = 'lode stopped without waiting for the work in progress'): never {
  for (const fn of lastWords) {
    try {
      fn(signal)
    } catch {
      /* exiting anyway */
    }
  }
  process.stderr.write(`aborted (${abortCause(signal)}): ${said}\n`)
  process.exit(130)
}

export function abortOnSignals(onAbort?: (signal: string) => void): {signal: AbortSignal; dispose: () => void} {
  const controller = new AbortController()
  let count = 0
  let deadline: NodeJS.Timeout | undefined
  const handler = (sig: NodeJS.Signals) => {
    count++
    if (count === 1) {
      deadline = setTimeout(() => forcedExit(sig), FORCE_MS)
      deadline.unref()
      onAbort?.(sig)
      controller.abort(sig)
    } else {
      forcedExit(sig)
    }
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  process.on('SIGHUP', handler)
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(deadline)
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
      process.off('SIGHUP', handler)
    },
  }
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * For every command: a signal that no command took for its own (abortOnSignals, a server's once) ends lode at once,
 * after what registered with onForcedExit (a half-copied file at an -o destination) is cleaned up, saying so and
 * exiting 130 as the README says, not dying of the signal silently (143 for SIGTERM).
 */
export function exitOnUnhandledSignals(): void {
  for (const sig of EXIT_SIGNALS) {
    const handler = () => {
      if (process.listenerCount(sig) > 1) return
      forcedExit(sig, 'lode stopped')
    }
    process.on(sig, handler)
  }
}
