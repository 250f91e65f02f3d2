// A deterministic tar writer for hub packages: regular files only, fixed mtime, uid, gid and modes,
// entries in the order given. The same files always give the same bytes.
import {gzipSync} from 'node:zlib'

export interface TarFile {
  /** posix path inside the archive */
  path: string
  body: Uint8Array
  executable: boolean
}

/** 2000-01-01T00:00:00Z: a fixed, unremarkable mtime */
const FIXED_MTIME = 946684800
const BLOCK = 512

export function writeTar(files: readonly TarFile[]): Buffer {
  const blocks: Buffer[] = []
  for (const file of files) {
    const pathBytes = Buffer.from(file.path, 'utf8')
    const split = splitUstarPath(file.path)
    if (!split) blocks.push(...paxHeader(file.path))
    const [prefix, name] = split ?? ['', truncateUtf8(pathBytes, 100)]
    blocks.push(header({name, prefix, size: file.body.length, mode: file.executable ? 0o755 : 0o644, type: '0'}))
    blocks.push(padded(Buffer.from(file.body)))
  }
  blocks.push(Buffer.alloc(BLOCK * 2))
  return Buffer.concat(blocks)
}

/** gzip with fixed header fields: no mtime (node writes 0), no file name, OS byte 255 ("unknown"). */
export function gzipDeterministic(data: Uint8Array): Buffer {
  const out = gzipSync(data, {level: 9})
  out[9] = 255
  return out
}

function header(h: {name: string; prefix: string; size: number; mode: number; type: string}): Buffer {
  const b = Buffer.alloc(BLOCK)
  b.write(h.name, 0, 100, 'utf8')
  octal(b, 100, 8, h.mode)
  octal(b, 108, 8, 0) // uid
  octal(b, 116, 8, 0) // gid
  octal(b, 124, 12, h.size)
  octal(b, 136, 12, FIXED_MTIME)
  b.fill(0x20, 148, 156) // checksum counted as spaces
  b.write(h.type, 156, 1, 'ascii')
  b.write('ustar\0', 257, 6, 'ascii')
  b.write('00', 263, 2, 'ascii')
  b.write(h.prefix, 345, 155, 'utf8')
  let sum = 0
  for (const byte of b) sum += byte
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii')
  return b
}

/** A pax extended header carrying a path too long for ustar's name + prefix. */
function paxHeader(path: string): Buffer[] {
  const field = (key: string, value: string): string => {
    const body = ` ${key}=${value}\n`
    let len = Buffer.byteLength(body) + 1
    while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body)
    return `${len}${body}`
  }
  const data = Buffer.from(field('path', path), 'utf8')
  return [header({name: 'PaxHeader', prefix: '', size: data.length, mode: 0o644, type: 'x'}), padded(data)]
}

/** ustar: name up to 100 bytes, plus a prefix up to 155 bytes split at a '/'. */
function splitUstarPath(path: string): [string, string] | undefined {
  if (Buffer.byteLength(path) <= 100) return ['', path]
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i)
    const name = path.slice(i + 1)
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) return [prefix, name]
  }
  return undefined
}

function truncateUtf8(bytes: Buffer, max: number): string {
  return bytes.subarray(0, max).toString('utf8')
}

function octal(b: Buffer, offset: number, width: number, value: number): void {
  b.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii')
}

function padded(data: Buffer): Buffer {
  const rem = data.length % BLOCK
  return rem === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rem)])
}
