// Turns the handler's stdout/stderr chunks into whole display lines, in time linear in the output's size.

/** Escape sequences (colours, cursor movement) and other control characters a handler may print. */
// eslint-disable-next-line no-control-regex
const CONTROL = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])|[\u0000-\u0008\u000B-\u001F\u007F]/g

// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/

/** The longest line shown or sent as an event; the rest of it is dropped, and the line says so. */
export const MAX_LINE = 64 * 1024

/**
 * What a terminal would leave of a line: the text after the last carriage return (progress bars redraw
 * with `\r`), without escape sequences.
 */
export function displayLine(raw: string): string {
  const parts = raw.split('\r').filter((part) => part.length > 0)
  return (parts.at(-1) ?? '').replace(CONTROL, '')
}

/** One stream's partial line: only what can still be shown is kept (the last redraw, up to MAX_LINE). */
class PendingLine {
  private parts: string[] = []
  private length = 0
  /** characters of the current line dropped beyond MAX_LINE */
  cut = 0

  /** a carriage return came last: the next text redraws the line */
  private redraw = false

  /** Add text that holds no newline. */
  add(text: string): void {
    if (!text.includes('\r')) return this.append(text)
    const pieces = text.split('\r')
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) this.redraw = true
      const piece = pieces[i]!
      if (!piece) continue // an empty redraw leaves what was drawn
      if (this.redraw) this.reset()
      this.append(piece)
    }
  }

  private append(piece: string): void {
    const room = MAX_LINE - this.length
    if (piece.length > room) {
      this.cut += piece.length - room
      piece = piece.slice(0, room)
    }
    if (piece) {
      this.parts.push(piece)
      this.length += piece.length
    }
  }

  private reset(): void {
    this.parts = []
    this.length = 0
    this.cut = 0
    this.redraw = false
  }

  /** The line so far, and start a new one. */
  take(): string | null {
    if (!this.parts.length && !this.cut) {
      this.reset()
      return null
    }
    const joined = this.parts.length === 1 ? this.parts[0]! : this.parts.join('')
    const line = ANY_CONTROL.test(joined) ? joined.replace(CONTROL, '') : joined
    const shown = this.cut ? `${line}... [line cut at ${MAX_LINE} characters]` : line
    this.reset()
    return shown
  }
}

/** Splits chunks into lines, keeping a partial last line per stream until its newline (or `flush`). */
export function createLineSplitter(onLine: (stream: 'stdout' | 'stderr', line: string) => void) {
  const pending = {stdout: new PendingLine(), stderr: new PendingLine()}
  return {
    push(stream: 'stdout' | 'stderr', chunk: string) {
      const line = pending[stream]
      let start = 0
      for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
        line.add(chunk.slice(start, nl))
        onLine(stream, line.take() ?? '')
        start = nl + 1
      }
      if (start < chunk.length) line.add(chunk.slice(start))
    },
    flush() {
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = pending[stream].take()
        if (rest) onLine(stream, rest)
      }
    },
  }
}
