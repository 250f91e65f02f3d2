// Raw tar headers written by hand, to build the hostile archives the extractor must refuse.
import {createHash} from 'node:crypto'
import {gzipSync} from 'node:zlib'

export interface RawTarEntry {
  path: string
  /** '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device, '5' directory, '6' fifo */
  type?: string
  body?: string | Buffer
  linkpath?: string
  mode?: number
  /** the size written in the header, when it must lie about the body */
  declaredSize?: number
}

export function rawTar(entries: RawTarEntry[]): Buffer {
  const blocks: Buffer[] = []
  for (const e of entries) {
    const body = typeof e.body === 'string' ? Buffer.from(e.body) : (e.body ?? Buffer.alloc(0))
    const h = Buffer.alloc(512)
    h.write(e.path, 0, 100, 'utf8')
    h.write(`${(e.mode ?? 0o644).toString(8).padStart(7, '0')}\0`, 100, 8, 'ascii')
    h.write('0000000\0', 108, 8, 'ascii')
    h.write('0000000\0', 116, 8, 'ascii')
    h.write(`${(e.declaredSize ?? body.length).toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii')
    h.write('14044325600\0', 136, 12, 'ascii')
    h.fill(0x20, 148, 156)
    h.write(e.type ?? '0', 156, 1, 'ascii')
    if (e.linkpath) h.write(e.linkpath, 157, 100, 'utf8')
    h.write('ustar\0', 257, 6, 'ascii')
    h.write('00', 263, 2, 'ascii')
    let sum = 0
    for (const b of h) sum += b
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii')
    blocks.push(h, body)
    if (body.length % 512) blocks.push(Buffer.alloc(512 - (body.length % 512)))
  }
  blocks.push(Buffer.alloc(1024))
  return Buffer.concat(blocks)
}

export function rawTgz(entries: RawTarEntry[]): {bytes: Buffer; sha256: string} {
  const bytes = gzipSync(rawTar(entries))
  return {bytes, sha256: createHash('sha256').update(bytes).digest('hex')}
}
