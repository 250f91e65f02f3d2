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

/** Copy a file while hashing it, in one read of the source. */
export async function copyHashing(src: string, dest: string): Promise<{sha256: string; size: number}> {
  const [input, output] = await Promise.all([open(src, 'r'), open(dest, 'wx', 0o644)])
  try {
    const hash = createHash('sha256')
    let size = 0
    // Two buffers: the write of one chunk overlaps the read and hash of the next.
    const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)]
    let pending: Promise<unknown> = Promise.resolve()
    for (let i = 0; ; i++) {
      const buf = bufs[i % 2]!
      const {bytesRead} = await input.read(buf, 0, CHUNK, null)
      if (bytesRead === 0) break
      const chunk = buf.subarray(0, bytesRead)
      hash.update(chunk)
      await pending
      pending = output.write(chunk, 0, bytesRead, size)
      size += bytesRead
    }
    await pending
    return {sha256: hash.digest('hex'), size}
  } finally {
    await Promise.all([input.close(), output.close()])
  }
}

export function hashBytes(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
