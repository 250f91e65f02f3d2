// The lines of output.log: a stream's bytes as the handler wrote them (UTF-8 or not, secrets already masked), except
// that a `\r` redraw keeps only its last state and a line is cut at LOG_LINE_BYTES, marked. A progress bar redrawn
// 40,000 times is one line in the log, and a handler that prints gigabytes without a newline cannot fill the disk.
// Most chunks (no `\r`, no line that long) are written as they came with the partial line before them, in one write:
// a few native scans per chunk, never a loop over bytes.

import {newlinesWithin} from '../util/line-gaps.ts'

export const LOG_LINE_BYTES = 64 * 1024

const NL = 10
const CR = 13
const LF = Buffer.from('\n')
const CRLF = Buffer.from('\r\n')
const CUT = Buffer.from(`... [line cut at ${LOG_LINE_BYTES} bytes]`)

export class LogLines {
  readonly #write: (parts: Buffer[]) => void
  /** the current line so far (only its last redraw) */
  readonly #line = Buffer.allocUnsafe(LOG_LINE_BYTES)
  #length = 0
  /** bytes of the current line were dropped beyond LOG_LINE_BYTES */
  #cut = false
  /** the line's last bytes were `\r`: a redraw if more of the line follows, the end of a `\r\n` if a newline does */
  #cr = false

  constructor(write: (parts: Buffer[]) => void) {
    this.#write = write
  }

  push(chunk: Buffer): void {
    if (!this.#cut && !this.#cr && chunk.indexOf(CR) < 0) {
      // every line ending in this chunk fits when the chunk does: only the first, joined to the partial line, may be too long
      const last = chunk.lastIndexOf(NL)
      const first = chunk.indexOf(NL)
      if (last < 0 ? this.#length + chunk.length <= LOG_LINE_BYTES : this.#length + first <= LOG_LINE_BYTES && (chunk.length <= LOG_LINE_BYTES || linesFit(chunk, first, last))) {
        if (last >= 0) {
          this.#write(this.#length ? [this.#line.subarray(0, this.#length), chunk.subarray(0, last + 1)] : [chunk.subarray(0, last + 1)])
          this.#length = 0
        }
        chunk.copy(this.#line, this.#length, last + 1)
        this.#length += chunk.length - last - 1
        return
      }
    }
    for (let at = 0; ;) {
      const nl = chunk.indexOf(NL, at)
      this.#segment(chunk, at, nl < 0 ? chunk.length : nl)
      if (nl < 0) return
      this.#endLine()
      at = nl + 1
    }
  }

  /** The stream ended: what is left of its last line, as it is (no newline added). */
  flush(): void {
    if (this.#length || this.#cut) this.#write(this.#cut ? [this.#line.subarray(0, this.#length), CUT] : [this.#line.subarray(0, this.#length)])
    this.#length = 0
    this.#cut = false
    this.#cr = false
  }

  /** Bytes [from, to) of the current line, no newline among them. */
  #segment(chunk: Buffer, from: number, to: number): void {
    let end = to
    while (end > from && chunk[end - 1] === CR) end--
    if (end === from) {
      // only `\r`s: nothing of the line yet
      if (to > from) this.#cr = true
      return
    }
    if (this.#cr) this.#restart()
    this.#cr = end < to
    const cr = chunk.lastIndexOf(CR, end - 1)
    let start = from
    if (cr >= from) {
      this.#restart()
      start = cr + 1
    }
    if (this.#cut) return
    const room = LOG_LINE_BYTES - this.#length
    let stop = end
    if (end - start > room) {
      // cut between characters, not inside one (a UTF-8 continuation byte is 10xxxxxx)
      stop = start + room
      while (stop > start && (chunk[stop]! & 0xc0) === 0x80) stop--
      this.#cut = true
    }
    chunk.copy(this.#line, this.#length, start, stop)
    this.#length += stop - start
  }

  #endLine(): void {
    const parts = [this.#line.subarray(0, this.#length)]
    if (this.#cut) parts.push(CUT)
    parts.push(this.#cr ? CRLF : LF)
    this.#write(parts)
    this.#restart()
    this.#cr = false
  }

  /** a redraw: the line starts again */
  #restart(): void {
    this.#length = 0
    this.#cut = false
  }
}

/** A chunk longer than a line may be: whether every line after its first newline, and what follows its last, fits. */
function linesFit(chunk: Buffer, first: number, last: number): boolean {
  return chunk.length - last - 1 <= LOG_LINE_BYTES && newlinesWithin(chunk, first, last, LOG_LINE_BYTES)
}
