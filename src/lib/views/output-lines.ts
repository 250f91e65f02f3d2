// Turns the handler's stdout/stderr chunks into whole display lines.

/** Escape sequences (colours, cursor movement) and other control characters a handler may print. */
// eslint-disable-next-line no-control-regex
const CONTROL = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])|[\u0000-\u0008\u000B-\u001F\u007F]/g

/**
 * What a terminal would leave of a line: the text after the last carriage return (progress bars redraw
 * with `\r`), without escape sequences.
 */
export function displayLine(raw: string): string {
  const parts = raw.split('\r').filter((part) => part.length > 0)
  return (parts.at(-1) ?? '').replace(CONTROL, '')
}

/** Splits chunks into lines, keeping a partial last line per stream until its newline (or `flush`). */
export function createLineSplitter(onLine: (stream: 'stdout' | 'stderr', line: string) => void) {
  const pending = {stdout: '', stderr: ''}
  return {
    push(stream: 'stdout' | 'stderr', chunk: string) {
      const lines = (pending[stream] + chunk).split('\n')
      pending[stream] = lines.pop() ?? ''
      for (const line of lines) onLine(stream, displayLine(line))
    },
    flush() {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (pending[stream]) onLine(stream, displayLine(pending[stream]))
        pending[stream] = ''
      }
    },
  }
}
