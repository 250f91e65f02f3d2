// Whether every line in a run of bytes is short, at the cost of a few native scans rather than one per line: a chunk
// read 256 KiB at a time can hold a line longer than the limits of the log and of the display.

const NL = 10

/**
 * True when no two consecutive newlines between `first` and `last` (both newlines) are more than `limit` bytes apart,
 * i.e. no line between them is `limit` bytes or longer: there is a newline in every window of `limit / 2` bytes.
 * May answer false for lines just under the limit; the caller then looks at each line.
 */
export function newlinesWithin(bytes: Uint8Array, first: number, last: number, limit: number): boolean {
  const half = Math.floor(limit / 2)
  for (let at = first + 1; at < last; at += half) {
    if (bytes.indexOf(NL, at) - at >= half) return false
  }
  return true
}
