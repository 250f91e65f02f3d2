import {createHash} from 'node:crypto'
import {open} from 'node:fs/promises'

const CHUNK = 4 * 1024 * 1024

/** sha256 of a file, read in large chunks (faster than a stream for big files). */
export async function hashFile(path: string): Promise<{sha256: string; size: number}> {
  const fh = await open(path, 'r')
  try {
    const hash = createHash('sha256')
    const buf = Buffer.allocUnsafe(CHUNK)
    let size = 0
    for (;;) {
      const {bytesRead} = await fh.read(buf, 0, CHUNK, null)
      if (bytesRead === 0) break
      hash.update(bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead))
      size += bytesRead
    }
    return {sha256: hash.digest('hex'), size}
  } finally {
    await fh.close()
  }
}

export function hashBytes(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
