// Handing out stored bytes: always verified against their sha256 first.
import {createReadStream, existsSync, mkdirsSync, stat} from '../util/fs.ts'
import {basename, dirname, join, resolve} from 'node:path'
import {UserError} from '../errors.ts'
import {checkOutputTarget as checkTarget} from '../util/output-target.ts'
import type {Store} from '../store/store.ts'
import type {ArtifactVersion} from '../types.ts'
import {keyFileName} from './keys.ts'
import {withArticle} from '../util/words.ts'

export function defaultFileName(v: ArtifactVersion): string {
  const base = keyFileName(basename(v.key))
  return v.format && v.kind !== 'dir' && v.kind !== 'model' && !base.endsWith(`.${v.format}`) ? `${base}.${v.format}` : base
}

/** Stream a file to stdout, waiting for the reader; a reader that stops early (`| head`) ends it quietly. */
async function writeToStdout(path: string): Promise<void> {
  const out = process.stdout
  for await (const chunk of createReadStream(path)) {
    if (out.destroyed) return
    if (!out.write(chunk)) {
      const closed = await new Promise<boolean>((resolve) => {
        out.once('drain', () => resolve(false))
        out.once('error', () => resolve(true))
        out.once('close', () => resolve(true))
      })
      if (closed) return
    }
  }
}

/** The -o checks of every command, with this command's way round a device or FIFO. */
export function checkOutputTarget(store: Store, target: string): void {
  checkTarget(store.dir, target, 'Write to stdout and redirect instead: lode artifacts get REF -o - > TARGET')
}

/** A failure to create or write the -o target (not allowed, no such folder, read-only, full) as what it is: bad output. */
export function cannotWrite(target: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code
  if (!code || !['EACCES', 'EPERM', 'ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'EROFS', 'ELOOP', 'ENAMETOOLONG', 'EXDEV'].includes(code)) return error
  // the message up to its first comma: the errno's words, without the temp file's name
  return new UserError(`Cannot write ${target}: ${(error as Error).message.split(',')[0]}.`, 'Give -o a path in a folder you can write.')
}

/** Write a version's body to `dest` (a file, or a directory for dir and model); '-' means stdout (files only). */
export async function writeBody(store: Store, v: ArtifactVersion, dest: string): Promise<{path: string; bytes: number}> {
  if (v.kind === 'dir' || v.kind === 'model') {
    if (dest === '-') throw new UserError(`${v.key} is ${withArticle(v.kind)} (a directory); give -o DIR to write its files.`)
    const files = await store.objects.readManifest(v.sha256)
    const target = resolve(dest)
    if (existsSync(target) && !(await stat(target)).isDirectory()) throw new UserError(`${dest} exists and is not a directory.`)
    checkOutputTarget(store, target)
    await store.objects.materializeDir(files, target, {copy: true, hashOf: (p) => store.hashInputFile(p)}).catch((error: unknown) => {
      throw cannotWrite(target, error)
    })
    return {path: target, bytes: files.reduce((n, f) => n + f.size, 0)}
  }
  if (dest === '-') {
    // bytes on a pipe cannot be taken back: verify first
    await writeToStdout(await store.objects.assertIntact(v.sha256))
    return {path: '-', bytes: v.size}
  }
  let target = resolve(dest)
  if (existsSync(target) && (await stat(target)).isDirectory()) target = join(target, defaultFileName(v))
  checkOutputTarget(store, target)
  try {
    mkdirsSync(dirname(target))
    await store.objects.copyOut(v.sha256, target, 0o644, (p) => store.hashInputFile(p))
  } catch (error) {
    throw cannotWrite(target, error)
  }
  return {path: target, bytes: v.size}
}
