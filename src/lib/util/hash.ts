import type {Hash} from 'node:crypto'
import {open, type FileHandle} from 'node:fs/promises'

/**
 * node:crypto is loaded on first use: compiling it costs ~8 ms of start-up, which listing commands
 * (`lode runs ls`, `lode artifacts ls`) never need.
 */
const crypto = () => process.getBuiltinModule('node:crypto')

export function sha256Hash(): Hash {
  return crypto().createHash('sha256')
}

/** `bytes` random bytes as hex, for temp file names. */
export function randomHex(bytes: number): string {
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
  const fh = await open(path, 'r')
  try {
    return await hashHandle(fh)
  } finally {
    await fh.close()
  }
}

/**
 * sha256 of an open file from its current position, read in large chunks (faster than a stream for big files), the
 * next chunk read while this one is hashed. `regularSize`: the size of what is known to be a regular file (saves a stat).
 */
export async function hashHandle(fh: FileHandle, regularSize?: number): Promise<{sha256: string; size: number}> {
  const hash = sha256Hash()
  const st = regularSize === undefined ? await fh.stat() : {size: regularSize, isFile: () => true}
  const chunk = st.size < SMALL ? SMALL : CHUNK
  // a short read of a regular file is its end, so no extra read is needed to learn that; a pipe may read short
  const regular = st.isFile()
  const bufs = [takeBuffer(chunk), takeBuffer(chunk)]
  let size = 0
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
  return sha256Hash().update(data).digest('hex')
}
