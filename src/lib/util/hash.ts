import type {Hash} from 'node:crypto'
import {closeSync, constants, fstatSync, open, openSync, readSync, statSync, type FileHandle} from './fs.ts'
import {sha256Small, SMALL_HASH_BYTES} from './sha256.ts'

/**
 * node:crypto is loaded on first use: compiling it costs ~7 ms of start-up, which listing commands
 * (`lode runs ls`, `lode artifacts ls`) never need, nor a run of a command whose code is a few bytes (sha256Small).
 */
let cryptoModule: typeof import('node:crypto') | undefined
const crypto = () => (cryptoModule ??= process.getBuiltinModule('node:crypto'))
/** A few bytes are hashed in JavaScript while node:crypto is not loaded, by node:crypto once it is. */
const small = (size: number) => cryptoModule === undefined && size <= SMALL_HASH_BYTES

export function sha256Hash(): Hash {
  return crypto().createHash('sha256')
}

/** How long each value of a uid's leading 3 digits lasts (ms): the 4096 values cycle every 68 minutes. */
const UID_TICK = 1000

/**
 * A new run, sweep or workflow id: 32 hex digits, the second of `now` (mod 4096) in the first 3, then 116 random
 * bits. Ids made about the same time sort together, so each index keyed by uid takes a new record on a page it just
 * wrote instead of on a random page of a large store (a page write per index per record). Not a full time prefix:
 * the 8 digits lode shows must still tell runs apart, and 5 of them are random.
 */
export function newUid(now: number = Date.now()): string {
  const tick = ((Math.floor(now / UID_TICK) % 4096) + 4096) % 4096
  return tick.toString(16).padStart(3, '0') + randomHex(15).slice(1)
}

/** `bytes` random bytes as hex, for ids and temp file names: from the kernel's source, or node:crypto's when it is loaded. */
export function randomHex(bytes: number): string {
  if (cryptoModule === undefined) {
    const out = Buffer.allocUnsafe(bytes)
    try {
      const fd = openSync('/dev/urandom', 'r')
      try {
        if (readSync(fd, out, 0, bytes, null) === bytes) return out.toString('hex')
      } finally {
        closeSync(fd)
      }
    } catch {
      // no /dev/urandom here: node:crypto's
    }
  }
  return crypto().randomBytes(bytes).toString('hex')
}

/**
 * A file changed less than this before it was looked at may change again with its times unchanged (a coarse file
 * system clock ticks once for both writes): a hash of it is not trusted on its size and times alone.
 */
export const RACY_NS = 1_000_000_000n

const CHUNK = 4 * 1024 * 1024

// Read buffers are reused, small ones for small files: a fresh 4 MB buffer per file made storing many small files
// spend most of its time in the garbage collector.
const SMALL = 64 * 1024
const spare: Record<number, Buffer[]> = {[SMALL]: [], [CHUNK]: []}
const takeBuffer = (size: number): Buffer => spare[size]!.pop() ?? Buffer.allocUnsafeSlow(size)
const giveBack = (b: Buffer): void => {
  const list = spare[b.length]!
  if (list.length < (b.length === SMALL ? 64 : 4)) list.push(b)
}

/** sha256 of a file. */
export async function hashFile(path: string): Promise<{sha256: string; size: number}> {
  const quick = hashSmallFile(path)
  if (quick) return quick
  const fh = await open(path, 'r')
  try {
    return await hashHandle(fh)
  } finally {
    await fh.close()
  }
}

const isSmallFile = (st: {isFile(): boolean; size: number}) => st.isFile() && st.size <= SMALL

/**
 * A regular file of at most 64 KiB (a handler's source) read and hashed at once, without node:fs/promises, whose
 * load costs a run ~2 ms. Null for anything else, and for any error: hashFile's own path then reads it, or reports the
 * error. Opened non-blocking, so a FIFO put in its place meanwhile is not waited on.
 */
function hashSmallFile(path: string): {sha256: string; size: number} | null {
  let fd: number
  try {
    // looked at before it is opened: opening a FIFO would let its writer go on, and closing it again would break its pipe
    if (!isSmallFile(statSync(path))) return null
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch {
    return null
  }
  try {
    const st = fstatSync(fd)
    if (!isSmallFile(st)) return null
    const head = Buffer.allocUnsafe(st.size + 1)
    const bytesRead = readSync(fd, head, 0, head.length, null)
    return bytesRead <= st.size ? {sha256: hashBytes(head.subarray(0, bytesRead)), size: bytesRead} : null
  } catch {
    return null
  } finally {
    closeSync(fd)
  }
}

/**
 * sha256 of an open file from its current position, read in large chunks (faster than a stream for big files), the
 * next chunk read while this one is hashed. `regularSize`: the size of what is known to be a regular file (saves a stat).
 */
export async function hashHandle(fh: FileHandle, regularSize?: number): Promise<{sha256: string; size: number}> {
  const st = regularSize === undefined ? await fh.stat() : {size: regularSize, isFile: () => true}
  let size = 0
  let head: Buffer | null = null
  if (st.isFile() && small(st.size)) {
    // a handler file: one read; if it grew meanwhile, what was read is hashed with the rest as any file's
    head = Buffer.allocUnsafe(st.size + 1)
    const {bytesRead} = await fh.read(head, 0, head.length, null)
    if (bytesRead <= st.size) return {sha256: sha256Small(head.subarray(0, bytesRead)), size: bytesRead}
    size = bytesRead
  }
  const hash = sha256Hash()
  if (head) hash.update(head)
  const chunk = st.size < SMALL ? SMALL : CHUNK
  // a short read of a regular file is its end, so no extra read is needed to learn that; a pipe may read short
  const regular = st.isFile()
  const bufs = [takeBuffer(chunk), takeBuffer(chunk)]
  let which = 0
  let pending: Promise<{bytesRead: number; buffer: Buffer}> | null = fh.read(bufs[0]!, 0, chunk, null)
  try {
    while (pending) {
      const {bytesRead, buffer}: {bytesRead: number; buffer: Buffer} = await pending
      which ^= 1
      pending = bytesRead === chunk || (!regular && bytesRead > 0) ? fh.read(bufs[which]!, 0, chunk, null) : null
      hash.update(bytesRead === chunk ? buffer : buffer.subarray(0, bytesRead))
      size += bytesRead
    }
  } finally {
    // a read still in flight (after an error) must not land in a buffer someone else uses
    await pending?.catch(() => undefined)
    bufs.forEach(giveBack)
  }
  return {sha256: hash.digest('hex'), size}
}

export function hashBytes(data: string | Uint8Array): string {
  if (cryptoModule === undefined && data.length <= SMALL_HASH_BYTES) return sha256Small(typeof data === 'string' ? Buffer.from(data) : data)
  return sha256Hash().update(data).digest('hex')
}
