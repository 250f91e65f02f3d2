// Turns the handler's stdout/stderr chunks into whole display lines, in time linear in the output's size and with
// work per chunk, not per line: a chunk's complete lines are handed on as one string (a native scan for newlines,
// carriage returns and escapes), so 64 MB of short lines costs about what copying them does.

import {Buffer, isAscii} from 'node:buffer'
import {newlinesWithin} from '../util/line-gaps.ts'
import {hasControlBytes} from './output-bytes.ts'

/** Escape sequences (colours, cursor movement) and other control characters a handler may print. */
// eslint-disable-next-line no-control-regex
const CONTROL = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B\n]*(?:\u0007|\u001B\\)|[@-Z\\-_])|[\u0000-\u0008\u000B-\u001F\u007F]/g

// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/

// eslint-disable-next-line no-control-regex
const SINGLE_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g

/** What escapeControls (format.ts) would change in lines joined by newlines: controls, C1, bidi, line separators. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u2028\u2029]/

const NL = 10
const CR = 13
const ESC = 27

/** The longest line shown or sent as an event; the rest of it is dropped, and the line says so. */
export const MAX_LINE = 64 * 1024

/** Bytes of a partial line kept: enough for MAX_LINE characters of any UTF-8 text. */
const MAX_LINE_BYTES = 4 * MAX_LINE

/**
 * What a terminal would leave of a line: the text after the last carriage return (progress bars redraw
 * with `\r`), without escape sequences.
 */
export function displayLine(raw: string): string {
  const parts = raw.split('\r').filter((part) => part.length > 0)
  return (parts.at(-1) ?? '').replace(CONTROL, '')
}

/**
 * One stream's partial line, as bytes: only what can still be shown is kept (the last redraw, up to MAX_LINE). Kept by
 * copy: a chunk's bytes may be overwritten by the next read once push returns.
 */
class PendingLine {
  private line = Buffer.alloc(0)
  private bytes = 0
  /** bytes of the current line were dropped beyond MAX_LINE_BYTES */
  private cut = false
  /** a carriage return came last: the next text redraws the line */
  private redraw = false

  /** Add bytes that hold no newline. Only the last non-empty redraw in them matters: one backward scan finds it. */
  add(bytes: Buffer): void {
    let end = bytes.length
    while (end > 0 && bytes[end - 1] === CR) end--
    const trailing = end < bytes.length
    const cr = end > 0 ? bytes.lastIndexOf(CR, end - 1) : -1
    if (cr >= 0 || (this.redraw && end > 0)) this.reset()
    if (end > cr + 1) this.append(bytes.subarray(cr + 1, end))
    if (trailing) this.redraw = true
  }

  private append(piece: Buffer): void {
    const room = MAX_LINE_BYTES - this.bytes
    if (piece.length > room) {
      this.cut = true
      piece = piece.subarray(0, room)
    }
    if (!piece.length) return
    if (this.line.length < this.bytes + piece.length) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_LINE_BYTES, Math.max(256, 2 * (this.bytes + piece.length))))
      this.line.copy(grown, 0, 0, this.bytes)
      this.line = grown
    }
    piece.copy(this.line, this.bytes)
    this.bytes += piece.length
  }

  private reset(): void {
    this.bytes = 0
    this.cut = false
    this.redraw = false
  }

  /** The line so far, and start a new one. */
  take(): string | null {
    if (!this.bytes && !this.cut) {
      this.reset()
      return null
    }
    let line = this.line.toString('utf8', 0, this.bytes)
    const cut = this.cut || line.length > MAX_LINE
    if (cut) line = line.slice(0, MAX_LINE)
    if (ANY_CONTROL.test(line)) line = line.replace(CONTROL, '')
    this.reset()
    return cut ? `${line}... [line cut at ${MAX_LINE} characters]` : line
  }
}

/**
 * Receives display lines a chunk at a time: `text` is one or more whole lines joined by `\n` (no newline at its
 * end); `safe` says it holds nothing escapeControls would change, so a printer can show it as it is.
 */
export type OnLines = (stream: 'stdout' | 'stderr', text: string, safe: boolean) => void

export interface OutputLines {
  push(stream: 'stdout' | 'stderr', chunk: string | Uint8Array): void
  /** the last line of each stream, when it had no newline */
  flush(): void
}

/**
 * Lines as their UTF-8 bytes joined by `\n` (no newline at the end), cut in parts, undecoded: the callee shows them
 * and answers true when they are plain text (isPlainText), or answers false and shows nothing. Valid only during the
 * call: they may be the chunk's own bytes.
 */
export type OnPlainBytes = (stream: 'stdout' | 'stderr', parts: readonly Uint8Array[]) => boolean

const NEWLINE = Buffer.from('\n')

/**
 * Splits chunks into lines, keeping a partial last line per stream until its newline (or `flush`). With
 * `onPlainBytes`, lines that need no escaping go there undecoded (all the caller does is write them).
 */
export function createOutputLines(onLines: OnLines, opts: {onPlainBytes?: OnPlainBytes} = {}): OutputLines {
  const pending = {stdout: new PendingLine(), stderr: new PendingLine()}
  const splitter: OutputLines = {
    push(stream, chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      const line = pending[stream]
      const first = bytes.indexOf(NL)
      if (first < 0) return line.add(bytes)
      const last = bytes.lastIndexOf(NL)
      line.add(bytes.subarray(0, first))
      const head = line.take() ?? ''
      const middle = first < last ? bytes.subarray(first + 1, last) : null
      // a chunk larger than a line may be can hold one too long to show: then each line is looked at
      const long = middle !== null && middle.length >= MAX_LINE && !newlinesWithin(bytes, first, last, MAX_LINE)
      // the usual case: the lines are checked and shown in one pass over their bytes, not decoded
      if (middle !== null && !long && opts.onPlainBytes && !UNSAFE.test(head) && opts.onPlainBytes(stream, [Buffer.from(head), NEWLINE, middle])) {
        if (last + 1 < bytes.length) line.add(bytes.subarray(last + 1))
        return
      }
      const plain = middle !== null && !long && isPlainText(middle)
      // (middleLines uses the pending line too: the chunk's tail goes there after it)
      const rest = middle === null || plain ? null : middleLines(middle, line, long)
      if (last + 1 < bytes.length) line.add(bytes.subarray(last + 1))
      if (middle === null) return emit(stream, head)
      if (rest !== null || UNSAFE.test(head)) return emit(stream, `${head}\n${rest ?? decode(middle)}`)
      // the middle lines are shown as they came, and only the (short) first line was looked at
      onLines(stream, `${head}\n${decode(middle)}`, true)
    },
    flush() {
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = pending[stream].take()
        if (rest) emit(stream, rest)
      }
    },
  }
  return splitter

  // One scan of the whole text; lone control characters (the middle lines keep them) are dropped only when found.
  function emit(stream: 'stdout' | 'stderr', text: string) {
    if (!UNSAFE.test(text)) return onLines(stream, text, true)
    onLines(stream, text.replace(SINGLE_CONTROL, ''), false)
  }
}

/**
 * Bytes a terminal shows as they are, checked without decoding them: no control byte, and no C1 control
 * (U+0080-U+009F, UTF-8 0xC2 0x80-0x9F), bidi control or line separator (U+2028-U+2069, UTF-8 0xE2 0x80-0x81 ..).
 * Text holding 0xC2 or 0xE2 at all (a `©`, a `…`) is answered no: the caller then looks at the decoded text.
 */
export function isPlainText(bytes: Uint8Array): boolean {
  if (hasControlBytes(bytes)) return false
  return isAscii(bytes) || (bytes.indexOf(0xc2) < 0 && bytes.indexOf(0xe2) < 0)
}

/** ASCII decodes the same as latin1, which is a copy; anything else as UTF-8. */
function decode(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')
}

/** Whole lines between a chunk's first and last newline, as display lines joined by `\n`. */
function middleLines(bytes: Buffer, line: PendingLine, long: boolean): string {
  if (!long && bytes.indexOf(CR) < 0 && bytes.indexOf(ESC) < 0) {
    // no redraws, no escape sequences: the bytes are the lines (emit drops lone control characters)
    return bytes.toString('utf8')
  }
  // a line at a time, through the same rules (and the same cut) as a line split over chunks
  const lines: string[] = []
  let start = 0
  for (let nl = bytes.indexOf(NL); ; nl = bytes.indexOf(NL, start)) {
    line.add(bytes.subarray(start, nl < 0 ? bytes.length : nl))
    lines.push(line.take() ?? '')
    if (nl < 0) return lines.join('\n')
    start = nl + 1
  }
}

/** The same, one line at a time (a workflow step sends each line as its own event). */
export function createLineSplitter(onLine: (stream: 'stdout' | 'stderr', line: string) => void): OutputLines {
  return createOutputLines((stream, text) => {
    for (const line of text.split('\n')) onLine(stream, line)
  })
}
