// Ctrl-C and SIGTERM abort the work in progress (the handler's whole process tree), once; a second Ctrl-C exits.
/** What stopped a run, as people say it: Ctrl-C for SIGINT, the signal's name otherwise. */
export function abortCause(signal: string): string {
  return signal === 'SIGINT' ? 'Ctrl-C' : signal
}

export function abortOnSignals(onAbort?: (signal: string) => void): {signal: AbortSignal; dispose: () => void} {
  const controller = new AbortController()
  let count = 0
  const handler = (sig: NodeJS.Signals) => {
    count++
    if (count === 1) {
      onAbort?.(sig)
      controller.abort(sig)
    } else {
      process.exit(130)
    }
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  process.on('SIGHUP', handler)
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
      process.off('SIGHUP', handler)
    },
  }
}
