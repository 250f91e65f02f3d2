// Files lode must not read as data: reading a FIFO waits for a writer, a device such as /dev/zero never ends.
import type {Stats} from 'node:fs'

// node:fs as a builtin, not an ES import: the import's namespace loads fs/promises and streams too (~8 ms of a runner's start)
const {statSync} = process.getBuiltinModule('node:fs')

/** "a FIFO (named pipe)", "a character device", ... for what is neither a regular file nor a folder; else null. */
export function specialKind(st: Stats): string | null {
  if (st.isFile() || st.isDirectory()) return null
  if (st.isFIFO()) return 'a FIFO (named pipe)'
  if (st.isCharacterDevice()) return 'a character device'
  if (st.isBlockDevice()) return 'a block device'
  if (st.isSocket()) return 'a socket'
  return 'not a regular file'
}

/** specialKind of the file `path` names (links followed); null when it does not exist. */
export function specialKindOf(path: string): string | null {
  const st = statSync(path, {throwIfNoEntry: false})
  return st ? specialKind(st) : null
}
