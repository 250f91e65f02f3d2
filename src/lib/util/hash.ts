import type {Hash} from 'node:crypto'
import {open} from 'node:fs/promises'

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

const CHUNK = 4 * 1024 * 1024

/**
 * sha256 of a file, read in large chunks (faster than a stream for big files), the next chunk read while this one
 * is hashed.
 */
export async function hashFile(path: string): Promise<{sha256: string; size: number}> {
  const fh = await open(path, 'r')
  try {
    const hash = sha256Hash()
    const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)]
    let size = 0
    let which = 0
    let pending = fh.read(bufs[0]!, 0, CHUNK, null)
    for (;;) {
      const {bytesRead, buffer} = await pending
      if (bytesRead === 0) break
      which ^= 1
      pending = fh.read(bufs[which]!, 0, CHUNK, null)
      hash.update(bytesRead === CHUNK ? buffer : buffer.subarray(0, bytesRead))
      size += bytesRead
    }
    return {sha256: hash.digest('hex'), size}
  } finally {
    await fh.close()
  }
}

export function hashBytes(data: string | Uint8Array): string {
  return sha256Hash().update(data).digest('hex')
}
