// Content-addressed objects: .lode/objects/sha256/ab/cdef... Immutable, read-only, written through .lode/tmp.
import {chmod, chmodSync, closeSync, constants, copyFile, existsSync, fstatSync, fsyncSync, link, lstat, mkdir, mkdirSync, mkdirsSync, open, openSync, readFile, readSync, readdir, rename, renameSync, rm, rmSync, stat, writeFile, writeFileSync} from '../util/fs.ts'
import {isUtf8} from 'node:buffer'
import {dirname, join, relative, sep} from 'node:path'
import {IntegrityError, NotFoundError, UserError} from '../errors.ts'
import type {DirEntry} from '../types.ts'
import {setTimeout as sleep} from 'node:timers/promises'
import {hashBytes, hashFile, hashHandle, randomHex, RACY_NS} from '../util/hash.ts'
import {onForcedExit} from '../executor/interrupt.ts'

export interface PutResult {
  sha256: string
  size: number
  /**
   * When the bytes were already stored, the new copy is kept here until the version is committed: should the
   * stored object be removed meanwhile (gc, rm), the commit puts this copy in its place.
   */
  spare?: string
}

/**
 * Folders that gained an object whose name is not yet on disk. Storing many objects passes one of these to every put
 * and then calls `syncFolders` once before the commit: one fsync per folder, not one per object.
 */
export type PendingFolders = Set<string>

/** What identifies a file's bytes without reading them: while these are unchanged, so are its bytes (see prehash). */
export interface FileKey {
  size: bigint
  mtimeNs: bigint
  ctimeNs: bigint
  dev: bigint
  ino: bigint
}

/** A staged file hashed and fsynced early: its sha256, valid while its FileKey is `key`. */
export interface Prehashed {
  sha256: string
  size: number
  key: FileKey
}

/** The sha256 of a file: read in full, or remembered from an earlier read of the same unchanged file. */
export type HashOf = (path: string) => Promise<{sha256: string}>

export class ObjectStore {
  readonly root: string
  readonly tmpDir: string
  /** Brings objects missing here from a remote, verified (set when the project has remotes: src/lib/remote/fetch-object.ts). */
  fetchMissing: ((sha256s: string[]) => Promise<void>) | undefined

  constructor(storeDir: string) {
    this.root = join(storeDir, 'objects', 'sha256')
    this.tmpDir = join(storeDir, 'tmp')
  }

  path(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new UserError(`Not a sha256: ${sha256}`)
    return join(this.root, sha256.slice(0, 2), sha256.slice(2))
  }

  has(sha256: string): boolean {
    return existsSync(this.path(sha256))
  }

  /** Objects a record names but whose bytes are only on a remote (a clone, a pull) are fetched before use. */
  async ensureLocal(sha256s: string[]): Promise<void> {
    const missing = this.fetchMissing ? [...new Set(sha256s)].filter((s) => !this.has(s)) : []
    if (missing.length) await this.fetchMissing!(missing)
  }

  /** Put fetched bytes in place: `tmp` is fsynced and its sha256 was checked while it was written. */
  async placeFetched(tmp: string, sha256: string): Promise<void> {
    const {spare} = await this.place(tmp, sha256)
    if (spare) await rm(spare, {force: true})
  }

  tmpPath(label = 'obj'): string {
    return join(this.tmpDir, `${label}-${process.pid}-${randomHex(6)}`)
  }

  /**
   * Store a file. `move`: the file belongs to lode (a run's staging area) and is renamed into place after hashing,
   * with no copy. Otherwise it is copied while hashed, so the user's file is never touched.
   */
  async putFile(src: string, opts: {move: boolean; pending?: PendingFolders; known?: Prehashed | null}): Promise<PutResult> {
    // Only a plain file with no other name is moved: a symlink or a hard link in the staging area may be a
    // user's file, which must be neither renamed away nor made read-only.
    const st = opts.move ? await lstat(src, {bigint: true}) : null
    if (st && st.isFile() && st.nlink === 1n) {
      // hashed and fsynced while the handler ran, and provably unchanged since: only the rename is left
      if (opts.known && sameFileKey(opts.known.key, fileKey(st))) return {sha256: opts.known.sha256, size: opts.known.size, ...(await this.place(src, opts.known.sha256, opts.pending))}
      const size = Number(st.size)
      // the handler has finished writing it: its bytes go to disk while they are hashed
      const fh = await open(src, 'r')
      let hashed: {sha256: string; size: number}
      try {
        ;[hashed] = await Promise.all([hashHandle(fh, size), size >= OFFLOAD_BYTES ? durableSync(src) : fh.sync()])
      } finally {
        await fh.close()
      }
      return {...hashed, ...(await this.place(src, hashed.sha256, opts.pending))}
    }
    await mkdir(this.tmpDir, {recursive: true})
    const tmp = this.tmpPath()
    // Ctrl-C while a large file is copied: lode exits before this finishes, and the partial copy must not stay
    const unregister = onForcedExit(() => rmSync(tmp, {force: true}))
    try {
      // The kernel copies (copy_file_range) while this thread hashes the source: one pass of wall time, not two.
      // A source changed meanwhile may differ from its copy, so then the copy itself is hashed.
      const before = await stat(src)
      // (a reflink where the file system has them: no bytes copied at all)
      const copy = before.size >= OFFLOAD_BYTES ? durableCopy(src, tmp) : copyFile(src, tmp, constants.COPYFILE_FICLONE).then(() => syncFile(tmp))
      const [hashed] = await Promise.all([hashFile(src), copy])
      const after = await stat(src)
      const steady = after.mtimeMs === before.mtimeMs && after.size === before.size && hashed.size === after.size
      const result = steady ? hashed : await hashFile(tmp)
      return {...result, ...(await this.place(tmp, result.sha256, opts.pending))}
    } catch (error) {
      await rm(tmp, {force: true})
      throw error
    } finally {
      unregister()
    }
  }

  /**
   * A copy of a small file taken at once, on this thread (a `lode log artifact` command waits on it): its bytes read
   * once, hashed and written to .lode/tmp, so what is hashed is what is kept, whatever the file does next. null: it is
   * not a plain file of at most `limit` bytes (putFile takes it). `store` then makes the copy durable and puts it in
   * place, as putFile does; the version that names it commits only after.
   */
  takeSmallSync(src: string, limit: number): {sha256: string; size: number; store: () => Promise<PutResult>} | null {
    // O_NONBLOCK: a file swapped for a FIFO since it was looked at must not hold this thread
    const fd = openSync(src, constants.O_RDONLY | constants.O_NONBLOCK)
    let bytes: Buffer
    try {
      const st = fstatSync(fd)
      if (!st.isFile() || st.size > limit) return null
      bytes = Buffer.allocUnsafe(limit + 1)
      let n = 0
      for (let r = -1; r !== 0 && n <= limit; n += r) r = readSync(fd, bytes, n, limit + 1 - n, null)
      if (n > limit) return null
      bytes = bytes.subarray(0, n)
    } finally {
      closeSync(fd)
    }
    mkdirsSync(this.tmpDir)
    const tmp = this.tmpPath()
    const unregister = onForcedExit(() => rmSync(tmp, {force: true}))
    try {
      writeFileSync(tmp, bytes, {mode: 0o644, flag: 'wx'})
    } catch (error) {
      unregister()
      rmSync(tmp, {force: true})
      throw error
    }
    const sha256 = hashBytes(bytes)
    const size = bytes.byteLength
    const store = async (): Promise<PutResult> => {
      try {
        await syncFile(tmp)
        return {sha256, size, ...(await this.place(tmp, sha256))}
      } catch (error) {
        await rm(tmp, {force: true})
        throw error
      } finally {
        unregister()
      }
    }
    return {sha256, size, store}
  }

  /**
   * Hash and fsync a staged file while its handler still runs, so that storing it at the end (putFile with `known`) is
   * a rename. The hash starts only once the file's last change is older than racyWindowNs: from then on any write
   * changes its ctime, so an unchanged FileKey proves unchanged bytes. null: not a plain file with one name, changed while
   * hashed, or `signal` ended the wait (the handler ended first: the file is then stored as usual).
   */
  async prehash(path: string, signal: AbortSignal): Promise<Prehashed | null> {
    if (signal.aborted) return null
    const first = await lstat(path, {bigint: true}).catch(() => null)
    if (!first?.isFile() || first.nlink !== 1n) return null
    // its bytes start for the disk at once, while it is hashed; the fsync that follows then has little left to do
    const flushed = (first.size >= OFFLOAD_BYTES ? durableSync(path) : syncFile(path)).catch(() => undefined)
    try {
      const wait = Number(first.ctimeNs + racyWindowNs(first.ctimeNs) - BigInt(Date.now()) * 1_000_000n) / 1e6
      if (wait > 0) await sleep(Math.ceil(wait), undefined, {signal})
      if (signal.aborted) return null
      const fh = await open(path, 'r')
      try {
        const before = fileKey(await fh.stat({bigint: true}))
        if (before.ctimeNs + racyWindowNs(before.ctimeNs) > BigInt(Date.now()) * 1_000_000n) return null
        const synced = flushed.then(() => (before.size >= OFFLOAD_BYTES ? durableSync(path) : fh.sync()))
        const [hashed] = await Promise.all([hashHandle(fh, Number(before.size)), synced])
        const after = fileKey(await fh.stat({bigint: true}))
        return sameFileKey(before, after) && BigInt(hashed.size) === after.size ? {...hashed, key: before} : null
      } finally {
        await fh.close()
      }
    } catch {
      // gone, unreadable or the wait cut short: stored the usual way at the end
      return null
    }
  }

  async putBytes(data: string | Uint8Array, pending?: PendingFolders): Promise<PutResult> {
    const sha256 = hashBytes(data)
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength
    await mkdir(this.tmpDir, {recursive: true})
    const tmp = this.tmpPath()
    await writeFile(tmp, data, {mode: 0o644, flush: true})
    return {sha256, size, ...(await this.place(tmp, sha256, pending))}
  }

  /** Store every file of a directory, then its manifest; returns the manifest's hash and the entries. */
  async putDir(dir: string, opts: {move: boolean; pending?: PendingFolders}): Promise<{sha256: string; size: number; files: DirEntry[]; spares: Record<string, string>}> {
    const files: DirEntry[] = []
    const spares: Record<string, string> = {}
    for (const file of await walkFiles(dir)) {
      const st = await stat(file)
      const {sha256, size, spare} = await this.putFile(file, opts)
      if (spare) spares[sha256] = spare
      files.push(dirEntry(dir, file, st.mode, {sha256, size}))
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    const put = await this.putBytes(manifestJson(files), opts.pending)
    if (put.spare) spares[put.sha256] = put.spare
    return {sha256: put.sha256, size: files.reduce((n, f) => n + f.size, 0), files, spares}
  }

  /** fsync every folder a batch of puts renamed objects into (their own folders first, then the one above them). */
  async syncFolders(pending: PendingFolders): Promise<void> {
    const folders = [...pending].sort((a, b) => b.length - a.length)
    pending.clear()
    for (let i = 0; i < folders.length; i += 16) await Promise.all(folders.slice(i, i + 16).map(syncFile))
  }

  /**
   * Inside the transaction that commits a version: every object it references must exist. One removed since it
   * was stored (by a gc or rm that ran meanwhile) is put back from the spare copy.
   */
  restoreMissing(objects: string[], spares: Record<string, string>): void {
    for (const sha of objects) {
      const dest = this.path(sha)
      if (existsSync(dest)) continue
      const spare = spares[sha]
      if (!spare || !existsSync(spare)) throw new IntegrityError(`Object ${sha.slice(0, 12)} was removed while it was being stored, and no copy is left.`)
      const created = mkdirSync(dirname(dest), {recursive: true})
      chmodSync(spare, 0o444) // already fsynced when it was stored
      renameSync(spare, dest)
      fsyncPathSync(dirname(dest))
      if (created) fsyncPathSync(this.root)
    }
  }

  /** Delete an object no version references (the caller checked, under the write lock). */
  remove(sha256: string): void {
    rmSync(this.path(sha256), {force: true})
  }

  async readManifest(sha256: string): Promise<DirEntry[]> {
    const text = await this.readVerified(sha256)
    return (JSON.parse(text.toString('utf8')) as {files: DirEntry[]}).files
  }

  /** Bytes of an object, refusing any whose hash no longer matches. */
  async readVerified(sha256: string): Promise<Buffer> {
    const path = this.path(sha256)
    await this.ensureLocal([sha256])
    let data: Buffer
    try {
      data = await readFile(path)
    } catch {
      throw new IntegrityError(`Object ${sha256.slice(0, 12)} is missing from the store (${path}).`)
    }
    if (hashBytes(data) !== sha256) throw new IntegrityError(`Object ${sha256.slice(0, 12)} is corrupt: its bytes no longer match their sha256.`)
    return data
  }

  /** Rehash an object: 'ok', 'missing' or 'corrupt'. */
  async verify(sha256: string): Promise<'ok' | 'missing' | 'corrupt'> {
    const path = this.path(sha256)
    if (!existsSync(path)) return 'missing'
    const {sha256: actual} = await hashFile(path)
    return actual === sha256 ? 'ok' : 'corrupt'
  }

  /** Check an object before handing out its path; throws IntegrityError. */
  async assertIntact(sha256: string): Promise<string> {
    await this.ensureLocal([sha256])
    const status = await this.verify(sha256)
    if (status === 'missing') throw new IntegrityError(`Object ${sha256.slice(0, 12)} is missing from the store.`)
    if (status === 'corrupt') throw new IntegrityError(`Object ${sha256.slice(0, 12)} is corrupt: its bytes no longer match their sha256. Refusing to hand it out.`)
    return this.path(sha256)
  }

  /**
   * Copy an object out of the store; nothing is left at `dest` unless its bytes match their sha256. The kernel copies
   * (a child `cp` for large objects, so Ctrl-C is not held up) while this thread hashes the same bytes: one pass of wall
   * time. `hashOf` may answer from a hash already verified for the object's unchanged size, times, device and inode.
   */
  async copyOut(sha256: string, dest: string, mode = 0o644, hashOf: HashOf = hashFile): Promise<void> {
    const src = this.path(sha256)
    await this.ensureLocal([sha256])
    const before = await stat(src, {bigint: true}).catch(() => null)
    if (!before) throw new IntegrityError(`Object ${sha256.slice(0, 12)} is missing from the store.`)
    const tmp = `${dest}.tmp-${process.pid}-${randomHex(4)}`
    const corrupt = () => new IntegrityError(`Object ${sha256.slice(0, 12)} is corrupt: its bytes no longer match their sha256. Refusing to hand it out.`)
    // Ctrl-C mid-copy leaves nothing at the destination either
    const unregister = onForcedExit(() => rmSync(tmp, {force: true}))
    try {
      const copy = before.size >= OFFLOAD_BYTES ? plainCopy(src, tmp) : copyFile(src, tmp, constants.COPYFILE_FICLONE)
      const [hashed] = await Promise.all([hashOf(src), copy])
      if (hashed.sha256 !== sha256) throw corrupt()
      // bytes written into the object while it was copied change its ctime: then the copy may not be what was hashed
      const after = await stat(src, {bigint: true})
      if (after.ctimeNs !== before.ctimeNs || after.size !== before.size || (await stat(tmp)).size !== Number(before.size)) throw corrupt()
      await chmod(tmp, mode)
      await rename(tmp, dest)
    } catch (error) {
      await rm(tmp, {force: true})
      throw error
    } finally {
      unregister()
    }
  }

  /** Write a directory artifact's files to `dest`: verified copies, or (for a run's inputs) hard links. */
  async materializeDir(files: DirEntry[], dest: string, opts: {copy?: boolean; hashOf?: HashOf} = {}): Promise<void> {
    await mkdir(dest, {recursive: true})
    await this.ensureLocal(files.map((f) => f.sha256))
    for (const f of files) {
      if (f.path.split('/').includes('..') || f.path.startsWith('/')) throw new IntegrityError(`Manifest entry escapes its directory: ${f.path}`)
      const src = this.path(f.sha256)
      if (!existsSync(src)) throw new IntegrityError(`Object ${f.sha256.slice(0, 12)} (${f.path}) is missing from the store.`)
      const target = join(dest, ...f.path.split('/'))
      await mkdir(dirname(target), {recursive: true})
      await rm(target, {force: true})
      if (opts.copy) {
        await this.copyOut(f.sha256, target, f.mode, opts.hashOf)
      } else {
        try {
          await link(src, target)
        } catch {
          await copyFile(src, target)
        }
      }
    }
  }

  async list(): Promise<string[]> {
    const out: string[] = []
    if (!existsSync(this.root)) return out
    for (const d of await readdir(this.root, {withFileTypes: true})) {
      // a shard that is a symlink leads elsewhere: what is there is no object of this store (gc must not delete it)
      if (!/^[0-9a-f]{2}$/.test(d.name) || !d.isDirectory()) continue
      for (const f of await readdir(join(this.root, d.name))) out.push(d.name + f)
    }
    return out
  }

  /**
   * An object about to be referenced again counts as new for gc's grace period (gc keeps objects changed in the
   * last hour), so a version being committed never loses bytes that an older, removed version left behind.
   */
  private async touch(path: string): Promise<void> {
    await chmod(path, 0o444).catch(() => undefined)
  }

  /**
   * Rename into place (`src` is already fsynced) and fsync the folder (now, or with the others of a batch: `pending`),
   * so no record can commit before its bytes and their name are on disk; identical content already stored means the
   * new copy becomes the spare.
   */
  private async place(src: string, sha256: string, pending?: PendingFolders): Promise<{spare?: string}> {
    const dest = this.path(sha256)
    // the stored copy is reused only while it holds these bytes: one rewritten in place gives way to the good copy
    if (existsSync(dest) && (await this.verify(sha256).catch(() => 'corrupt')) === 'ok') {
      await this.touch(dest)
      return {spare: src}
    }
    await chmod(src, 0o444)
    // the folder usually exists: made only when the rename says it is missing
    let created: string | undefined
    await rename(src, dest).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT' || !existsSync(src)) throw error
      created = await mkdir(dirname(dest), {recursive: true})
      await rename(src, dest)
    })
    if (pending) {
      pending.add(dirname(dest))
      if (created) pending.add(this.root)
      return {}
    }
    await syncFile(dirname(dest))
    if (created) await syncFile(this.root)
    return {}
  }
}

/**
 * How old a file's last change must be before its size and times vouch for its bytes. A file system that keeps
 * sub-second times stamps a change from the kernel's clock, which ticks at least every 10 ms (a jiffy at 100 Hz;
 * 15.6 ms on Windows): 50 ms later any write gives a later ctime. One that keeps whole seconds shows a ctime with no
 * fraction and gets RACY_NS (a fine one does so once in a billion changes, and then only waits longer). A second's
 * wait for every file left the datasets a handler logged last to be hashed after it returned.
 */
export function racyWindowNs(ctimeNs: bigint): bigint {
  return ctimeNs % 1_000_000_000n === 0n ? RACY_NS : 50_000_000n
}

/**
 * Files this large are copied and fsynced by child processes (cp, sync): a copy or fsync in lode's own thread pool
 * holds lode's exit until the disk is done with it (seconds for gigabytes), so Ctrl-C could not end lode within 2 s.
 * A child is left to finish on its own; its temporary file is removed by gc.
 */
const OFFLOAD_BYTES = 64 * 1024 * 1024

async function durableCopy(src: string, dest: string): Promise<void> {
  if ((await offload('cp', ['--reflink=auto', '--', src, dest])) && (await offload('sync', ['--', dest]))) return
  await rm(dest, {force: true})
  await copyFile(src, dest, constants.COPYFILE_FICLONE)
  await syncFile(dest)
}

/** A copy that need not reach the disk yet (`artifacts get`): by `cp` where there is one. */
async function plainCopy(src: string, dest: string): Promise<void> {
  if (await offload('cp', ['--reflink=auto', '--', src, dest])) return
  await rm(dest, {force: true})
  await copyFile(src, dest, constants.COPYFILE_FICLONE)
}

async function durableSync(path: string): Promise<void> {
  if (!(await offload('sync', ['--', path]))) await syncFile(path)
}

/**
 * Run cp or sync; false where they are missing or failed (the caller then does the work itself). Not through execa:
 * loading it costs ~50 ms, on the critical path of every large copy (cp and sync leave no children behind).
 */
async function offload(command: string, args: string[]): Promise<boolean> {
  if (process.platform !== 'linux') return false
  const {runQuick} = await import('../executor/spawn.ts')
  const r = await runQuick(command, args, {timeoutMs: 3_600_000})
  return !r.failure && r.exitCode === 0
}

/** fsync a file or a folder (a folder: its entries). Windows cannot open a folder for this; NTFS journals renames. */
async function syncFile(path: string): Promise<void> {
  if (process.platform === 'win32' && (await stat(path)).isDirectory()) return
  const fh = await open(path, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}

function fsyncPathSync(path: string): void {
  if (process.platform === 'win32') return
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function fileKey(st: {size: bigint; mtimeNs: bigint; ctimeNs: bigint; dev: bigint; ino: bigint}): FileKey {
  return {size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, dev: st.dev, ino: st.ino}
}

function sameFileKey(a: FileKey, b: FileKey): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.dev === b.dev && a.ino === b.ino
}

/** One file of a directory's manifest: its path below the directory, its bytes, and whether it is executable. */
export function dirEntry(dir: string, file: string, fileMode: number, bytes: {sha256: string; size: number}): DirEntry {
  return {path: relative(dir, file).split(sep).join('/'), sha256: bytes.sha256, size: bytes.size, mode: fileMode & 0o111 ? 0o755 : 0o644}
}

/** The manifest of a directory artifact: its files sorted by path. Its sha256 is the version's. */
export function manifestJson(files: DirEntry[]): string {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return JSON.stringify({files: sorted})
}

export async function walkFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  const st = await stat(dir).catch(() => null)
  if (!st) throw new NotFoundError(`No such directory: ${dir}`)
  const visit = async (d: string): Promise<void> => {
    // names as bytes: one that is not UTF-8 would be read back altered, and then not found
    for (const entry of await readdir(d, {withFileTypes: true, encoding: 'buffer'})) {
      if (!isUtf8(entry.name)) {
        throw new UserError(`${JSON.stringify(join(d, entry.name.toString('utf8')))} has a name that is not UTF-8: lode keeps names as text and cannot store it`, 'Rename it, or leave it out of the folder.')
      }
      const full = join(d, entry.name.toString('utf8'))
      if (entry.isDirectory()) await visit(full)
      else if (entry.isFile()) out.push(full)
      else if (entry.isSymbolicLink()) {
        const target = await stat(full).catch(() => null)
        if (target?.isFile()) out.push(full)
      }
    }
  }
  await visit(dir)
  return out.sort()
}
