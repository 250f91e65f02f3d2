// A run's output.log read from a byte offset (a live page asks for what is new), or its tail on first load.
import {closeSync, fstatSync, openSync, readSync} from '../util/fs.ts'

/** What one request returns at most: a page follows a long log in steps rather than holding it whole. */
export const LOG_CHUNK = 256 * 1024

export function readLogFrom(path: string, from: number | null): {from: number; next: number; size: number; text: string; cut: boolean} {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return {from: 0, next: 0, size: 0, text: '', cut: false}
  }
  try {
    const size = fstatSync(fd).size
    // no offset: the last chunk; an offset past the end (a log replaced) starts again from the tail
    const start = from === null || from > size ? Math.max(0, size - LOG_CHUNK) : from
    const end = Math.min(size, start + LOG_CHUNK)
    const buf = Buffer.alloc(end - start)
    const n = buf.length ? readSync(fd, buf, 0, buf.length, start) : 0
    let skip = 0
    // a UTF-8 character cut at the start is dropped, one cut at the end is left for the next read
    if (from === null && start > 0) while (skip < n && (buf[skip]! & 0xc0) === 0x80) skip++
    let stop = n
    let back = 0
    while (back < 3 && stop - back - 1 >= skip && (buf[stop - back - 1]! & 0xc0) === 0x80) back++
    const lead = stop - back - 1 >= skip ? buf[stop - back - 1]! : 0
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
    if (need > back + 1) stop -= back + 1
    return {from: start + skip, next: start + stop, size, text: buf.subarray(skip, stop).toString('utf8'), cut: from === null && start > 0}
  } finally {
    closeSync(fd)
  }
}
