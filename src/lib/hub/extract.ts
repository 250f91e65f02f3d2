// Safe extraction of hub packages. The whole archive is checked before anything is written: its sha256,
// then every entry (no absolute paths, no `..`, no links leaving the target, no devices or fifos, no path
// through a symlink, size limits). Files are written into a temp folder next to the target, which is
// renamed into place at the end, so a refused or failed archive leaves nothing behind.
import {randomBytes} from 'node:crypto'
import {chmodSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync} from '../util/fs.ts'
import {basename, dirname, join, win32} from 'node:path'
import {createGunzip} from 'node:zlib'
import {Parser, type ReadEntry} from 'tar'
import {IntegrityError, LodeError} from '../errors.ts'
import {sha256Hash} from '../util/hash.ts'
import {sha256Hex} from './pack.ts'

export const DEFAULT_LIMITS = {maxEntrySize: 50 * 1024 * 1024, maxTotalSize: 200 * 1024 * 1024, maxEntries: 20_000}

export interface ExtractOptions {
  /** the expected sha256 of the package bytes; checked before anything else */
  sha256: string
  maxEntrySize?: number
  maxTotalSize?: number
  maxEntries?: number
  /** leave files 0444/0555 and folders 0555 (the hub cache) */
  readOnly?: boolean
  /** names the package in messages */
  label?: string
}

/** A package that tried to write where it must not, or could not be read as a package. */
export class UnsafeArchiveError extends LodeError {
  constructor(message: string) {
    super('integrity', message, {hint: 'Nothing was extracted. The package is damaged or hostile: do not use it.'})
    this.name = 'UnsafeArchiveError'
  }
}

type Planned =
  | {type: 'dir'; path: string}
  | {type: 'file'; path: string; data: Buffer; executable: boolean}
  | {type: 'symlink'; path: string; linkpath: string}

export async function extractPackage(pkg: Uint8Array, target: string, opts: ExtractOptions): Promise<{target: string; files: number; size: number}> {
  const label = opts.label ?? basename(target)
  const actual = sha256Hex(pkg)
  if (actual !== opts.sha256) {
    throw new IntegrityError(`${label}: package sha256 is ${actual}, expected ${opts.sha256}. Nothing was extracted.`, 'The package was altered after it was indexed: re-pack the hub, or fetch it again.')
  }
  const plan = await planExtraction(pkg, {...DEFAULT_LIMITS, ...definedOnly(opts)}, label)
  if (lstatOrNull(target)) throw new LodeError('conflict', `Cannot extract ${label}: ${target} already exists.`)
  mkdirSync(dirname(target), {recursive: true})
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`)
  try {
    writePlan(temp, plan, opts.readOnly ?? false)
    renameSync(temp, target)
  } catch (error) {
    makeWritable(temp)
    rmSync(temp, {recursive: true, force: true})
    if ((error as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new LodeError('conflict', `Cannot extract ${label}: ${target} already exists.`)
    }
    throw error
  }
  const files = plan.filter((p) => p.type === 'file')
  return {target, files: files.length, size: files.reduce((n, f) => n + f.data.length, 0)}
}

/** Read and check every entry; throw UnsafeArchiveError on the first refusal. No file system access. */
async function planExtraction(pkg: Uint8Array, limits: typeof DEFAULT_LIMITS, label: string): Promise<Planned[]> {
  const entries = await readEntries(pkg, limits, label)
  const refuse = (msg: string): never => {
    throw new UnsafeArchiveError(`${label}: refused: ${msg}`)
  }
  const plan: Planned[] = []
  const kinds = new Map<string, 'dir' | 'file' | 'symlink'>() // folded path -> kind
  const files = new Map<string, Buffer>()
  for (const e of entries) {
    const parts = safeParts(e.path, 'path', refuse)
    if (parts.length === 0) {
      if (e.type === 'Directory') continue // "./": the target itself
      refuse(`${JSON.stringify(e.path)} would replace the target folder itself`)
    }
    const path = parts.join('/')
    const key = fold(path)
    const existing = kinds.get(key)
    if (existing && !(existing === 'dir' && e.type === 'Directory')) refuse(`${JSON.stringify(e.path)} appears twice`)
    switch (e.type) {
      case 'Directory':
        kinds.set(key, 'dir')
        plan.push({type: 'dir', path})
        break
      case 'File':
      case 'OldFile':
      case 'ContiguousFile':
        kinds.set(key, 'file')
        files.set(key, e.data)
        plan.push({type: 'file', path, data: e.data, executable: ((e.mode ?? 0o644) & 0o111) !== 0})
        break
      case 'Link': {
        const linkpath = e.linkpath ?? ''
        if (isAbsolutePath(linkpath)) refuse(`hard link ${JSON.stringify(e.path)} points outside the target (absolute ${JSON.stringify(linkpath)})`)
        const linkParts = safeParts(linkpath, `hard link ${JSON.stringify(e.path)}, pointing outside the target`, refuse)
        const data = files.get(fold(linkParts.join('/')))
        if (!data) refuse(`hard link ${JSON.stringify(e.path)} points to ${JSON.stringify(linkpath)}, which is not a file earlier in the package`)
        kinds.set(key, 'file')
        // A hard link becomes a copy: the extracted files never share an inode with anything.
        plan.push({type: 'file', path, data: data!, executable: ((e.mode ?? 0o644) & 0o111) !== 0})
        break
      }
      case 'SymbolicLink': {
        const linkpath = e.linkpath ?? ''
        if (!linkpath || linkpath.includes('\0')) refuse(`symlink ${JSON.stringify(e.path)} has no target`)
        if (isAbsolutePath(linkpath)) refuse(`symlink ${JSON.stringify(e.path)} points outside the target (absolute ${JSON.stringify(linkpath)})`)
        kinds.set(key, 'symlink')
        plan.push({type: 'symlink', path, linkpath})
        break
      }
      default:
        refuse(`${JSON.stringify(e.path)} is a ${e.type} entry (only files, folders and links inside the package are allowed; device files and fifos are refused)`)
    }
  }
  const symlinks = new Map(plan.filter((p) => p.type === 'symlink').map((p) => [fold(p.path), p.linkpath]))
  for (const p of plan) {
    // Nothing may be written through a symlink, even one that stays inside.
    const parts = p.path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const prefix = fold(parts.slice(0, i).join('/'))
      if (symlinks.has(prefix)) refuse(`${JSON.stringify(p.path)} lies under the symlink ${JSON.stringify(parts.slice(0, i).join('/'))}`)
      if (kinds.get(prefix) === 'file') refuse(`${JSON.stringify(p.path)} lies under the file ${JSON.stringify(parts.slice(0, i).join('/'))}`)
    }
    if (p.type === 'symlink' && !resolvesInside(parts.slice(0, -1), p.linkpath, symlinks)) {
      refuse(`symlink ${JSON.stringify(p.path)} points outside the target (${JSON.stringify(p.linkpath)})`)
    }
  }
  return plan
}

interface RawEntry {
  path: string
  type: ReadEntry['type']
  mode: number | undefined
  linkpath: string | undefined
  data: Buffer
}

async function readEntries(pkg: Uint8Array, limits: typeof DEFAULT_LIMITS, label: string): Promise<RawEntry[]> {
  const entries: {raw: Omit<RawEntry, 'data'>; chunks: Buffer[]}[] = []
  let total = 0
  let failure: Error | undefined
  const fail = (msg: string): void => {
    failure ??= new UnsafeArchiveError(`${label}: refused: ${msg}`)
  }
  // The tar stream arrives already inflated (below, with limits): the parser sees plain tar only.
  const parser = new Parser({strict: true})
  parser.on('entry', (entry: ReadEntry) => {
    if (failure) return void entry.resume()
    if (entries.length >= limits.maxEntries) fail(`more than ${limits.maxEntries} entries`)
    else if (entry.size > limits.maxEntrySize) fail(`${JSON.stringify(entry.path)} is ${entry.size} bytes, over the limit of ${limits.maxEntrySize} bytes per entry`)
    else if (total + entry.size > limits.maxTotalSize) fail(`the package unpacks to more than ${limits.maxTotalSize} bytes`)
    if (failure) return void entry.resume()
    total += entry.size
    const chunks: Buffer[] = []
    entry.on('data', (chunk: Buffer) => chunks.push(chunk))
    entries.push({raw: {path: entry.path, type: entry.type, mode: entry.mode, linkpath: entry.linkpath}, chunks})
  })
  // Settled by whichever comes first: the parser's end, or its error (an aborted parser never ends).
  const parsed = new Promise<void>((resolve) => {
    parser.on('error', (error: Error) => {
      failure ??= new UnsafeArchiveError(`${label}: not a readable package: ${error.message}`)
      resolve()
    })
    parser.on('end', () => resolve())
    parser.on('close', () => resolve())
  })
  await inflate(pkg, limits, label, (chunk) => {
    if (!failure) parser.write(chunk)
    return !failure
  })
  if (!failure) {
    parser.end()
    await parsed
  }
  if (failure) throw failure
  return entries.map((e) => ({...e.raw, data: Buffer.concat(e.chunks)}))
}

/** Below this many unpacked bytes the compression ratio is not checked (small, very regular packages). */
const RATIO_FLOOR = 16 * 1024 * 1024
const MAX_RATIO = 100

/**
 * Inflate a .tgz chunk by chunk into `onChunk` (which returns false to stop early), refusing, as soon as it shows,
 * a package that unpacks to more than its limits allow or to more than MAX_RATIO times its packed size: memory
 * stays bounded whatever the package claims. Resolves with the sha256 of the whole tar stream.
 */
function inflate(pkg: Uint8Array, limits: typeof DEFAULT_LIMITS, label: string, onChunk: (chunk: Buffer) => boolean): Promise<string> {
  // tar headers and padding: at most one 512-byte header and 511 bytes of padding per entry, and the end blocks
  const maxTar = limits.maxTotalSize + limits.maxEntries * 1024 + 10_240
  const maxOut = Math.min(maxTar, Math.max(RATIO_FLOOR, pkg.length * MAX_RATIO))
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip()
    const hash = sha256Hash()
    let out = 0
    gunzip.on('data', (chunk: Buffer) => {
      out += chunk.length
      if (out > maxOut) {
        gunzip.destroy()
        const why = maxOut === maxTar ? `over the limit of ${maxTar} bytes` : `${MAX_RATIO} times its packed size of ${pkg.length} bytes (a decompression bomb?)`
        reject(new UnsafeArchiveError(`${label}: refused: it unpacks to more than ${maxOut} bytes, ${why}`))
        return
      }
      hash.update(chunk)
      if (!onChunk(chunk)) {
        gunzip.destroy()
        resolve('')
      }
    })
    gunzip.on('error', (error: Error) => reject(new UnsafeArchiveError(`${label}: not a readable package: ${error.message} (a .tgz was expected)`)))
    gunzip.on('end', () => resolve(hash.digest('hex')))
    gunzip.end(pkg)
  })
}

/** The sha256 of a package's uncompressed tar stream, read with the same limits as an extraction. */
export function tarSha256(pkg: Uint8Array, label: string, limits: Partial<typeof DEFAULT_LIMITS> = {}): Promise<string> {
  return inflate(pkg, {...DEFAULT_LIMITS, ...limits}, label, () => true)
}

/** Split a tar path into segments; refuse absolute paths, `..`, NUL and drive letters. */
function safeParts(path: string, what: string, refuse: (msg: string) => never): string[] {
  if (path.includes('\0')) refuse(`${what} ${JSON.stringify(path)} contains a NUL byte`)
  if (isAbsolutePath(path)) refuse(`${what === 'path' ? 'absolute path' : what} ${JSON.stringify(path)}`)
  const parts = path.split(/[\\/]/).filter((s) => s !== '' && s !== '.')
  if (parts.includes('..')) refuse(`${what === 'path' ? 'path with a ".." segment' : what} ${JSON.stringify(path)}`)
  return parts
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || win32.isAbsolute(p) || /^[a-z]:/i.test(p)
}

/**
 * Follow `linkpath` from the folder `dir` through the package's own symlinks, as the file system will
 * after extraction; false when any step leaves the target (or the links loop).
 */
function resolvesInside(dir: string[], linkpath: string, symlinks: Map<string, string>): boolean {
  const stack = [...dir]
  const queue = linkpath.split(/[\\/]/)
  let hops = 0
  while (queue.length > 0) {
    const seg = queue.shift()!
    if (seg === '' || seg === '.') continue
    if (seg === '..') {
      if (stack.length === 0) return false
      stack.pop()
      continue
    }
    stack.push(seg)
    const next = symlinks.get(fold(stack.join('/')))
    if (next !== undefined) {
      if (++hops > 40 || isAbsolutePath(next)) return false
      stack.pop()
      queue.unshift(...next.split(/[\\/]/))
    }
  }
  return true
}

/** Case- and normalization-insensitive key, so a case-insensitive file system cannot be tricked either. */
function fold(path: string): string {
  return path.normalize('NFC').toLowerCase()
}

function writePlan(root: string, plan: Planned[], readOnly: boolean): void {
  mkdirSync(root, {mode: 0o755})
  for (const p of plan) {
    const abs = join(root, ...p.path.split('/'))
    if (p.type === 'dir') mkdirSync(abs, {recursive: true, mode: 0o755})
    else if (p.type === 'file') {
      mkdirSync(dirname(abs), {recursive: true, mode: 0o755})
      writeFileSync(abs, p.data, {flag: 'wx', mode: p.executable ? 0o755 : 0o644})
    }
  }
  // Symlinks last: no write above can pass through one.
  for (const p of plan) {
    if (p.type !== 'symlink') continue
    const abs = join(root, ...p.path.split('/'))
    mkdirSync(dirname(abs), {recursive: true, mode: 0o755})
    symlinkSync(p.linkpath, abs)
  }
  if (readOnly) setReadOnly(root)
}

function setReadOnly(dir: string): void {
  for (const d of readdirSync(dir, {withFileTypes: true})) {
    const abs = join(dir, d.name)
    if (d.isDirectory()) setReadOnly(abs)
    else if (d.isFile()) chmodSync(abs, lstatSync(abs).mode & 0o111 ? 0o555 : 0o444)
  }
  chmodSync(dir, 0o555)
}

/** Undo setReadOnly so a folder can be removed. */
export function makeWritable(dir: string): void {
  const st = lstatOrNull(dir)
  if (!st?.isDirectory()) return
  chmodSync(dir, 0o755)
  for (const d of readdirSync(dir, {withFileTypes: true})) {
    const abs = join(dir, d.name)
    if (d.isDirectory()) makeWritable(abs)
    else if (d.isFile()) chmodSync(abs, lstatSync(abs).mode & 0o111 ? 0o755 : 0o644)
  }
}

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path)
  } catch {
    return undefined
  }
}

function definedOnly(opts: ExtractOptions): Partial<typeof DEFAULT_LIMITS> {
  const out: Partial<typeof DEFAULT_LIMITS> = {}
  if (opts.maxEntrySize !== undefined) out.maxEntrySize = opts.maxEntrySize
  if (opts.maxTotalSize !== undefined) out.maxTotalSize = opts.maxTotalSize
  if (opts.maxEntries !== undefined) out.maxEntries = opts.maxEntries
  return out
}
