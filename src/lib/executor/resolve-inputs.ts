// Each input to a local path the handler can read, with the hash of exactly what it reads.
import {existsSync, mkdirSync, statSync} from '../util/fs.ts'
import {dirname, extname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {IntegrityError, NotFoundError, UserError} from '../errors.ts'
import type {Store} from '../store/store.ts'
import type {FunctionKind, JsonValue, RunInput} from '../types.ts'
import {isStoreUri} from '../uri/refs.ts'
import {resolveArtifactRef, runOutputUri} from '../uri/resolve.ts'
import {capitalize, inputNameProblem} from './names.ts'
import {splitPair} from './params.ts'
import {specialKindOf} from '../util/file-kind.ts'
import {formatFromContent, formatFromExtension, readHead} from '../artifacts/format-detect.ts'
import {quoteName} from '../util/excerpt.ts'

export interface ResolvedInput {
  input: RunInput
  meta: Record<string, JsonValue>
}

/** Parse -i KEY=VALUE pairs. */
export function parseInputFlags(pairs: string[] = []): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of pairs) {
    const [key, value] = splitPair(pair, 'input', 'KEY=PATH_OR_URI', 'Example: -i dataset=data/train.csv or -i dataset=store://datasets/proj/train')
    const problem = inputNameProblem(key)
    if (problem) throw new UserError(`${capitalize(problem)}.`, 'Example: -i dataset=data/train.csv')
    if (key in out && out[key] !== value) {
      throw new UserError(`Input "${key}" is given twice (${out[key]} and ${value}).`, 'Give each input once; a handler takes one item per input name.')
    }
    out[key] = value
  }
  return out
}

/** What an input names: a local file or folder (a path, file://), or a stored artifact (store://, short forms, RUN/OUTPUT). */
export type InputTarget = {file: string} | {artifact: string}

export function inputTarget(store: Store, url: string, cwd: string): InputTarget {
  if (url.startsWith('file://')) return {file: filePath(url)}
  if (!isStoreUri(url)) {
    const local = resolve(cwd, url)
    if (existsSync(local)) return {file: local}
    const output = runOutputUri(store, url)
    if (output) return {artifact: output}
  }
  return {artifact: url}
}

/** The path of a file:// URL; one that names no file, or another host, is bad input. */
function filePath(url: string): string {
  // file:// alone would be the root folder, every file of the machine hashed as one input
  if (url === 'file://') throw new UserError('The file:// URL "file://" names no file.', 'Give file:///absolute/path, or a plain path.')
  try {
    return fileURLToPath(url)
  } catch (error) {
    throw new UserError(`Malformed file:// URL ${quoteName(url, 80)}: ${(error as Error).message}.`, 'Give file:///absolute/path (no host), or a plain path.')
  }
}

export async function resolveInput(store: Store, key: string, url: string, opts: {runDir: string; kind: FunctionKind; cwd: string}): Promise<ResolvedInput> {
  if (!url) throw new UserError(`Input "${key}" is empty.`)
  const target = inputTarget(store, url, opts.cwd)
  if ('file' in target) return fileInput(store, key, url, target.file, opts)
  try {
    return await artifactInput(store, key, url, target.artifact, opts)
  } catch (error) {
    if (error instanceof NotFoundError && !isStoreUri(url) && target.artifact === url) {
      throw new NotFoundError(`Input "${key}": no such file "${url}" (from ${opts.cwd}), and no artifact with that key.`, 'Give a path to a file, or a store:// URI / KEY[:TAG] listed by: lode artifacts ls')
    }
    throw error
  }
}

async function fileInput(store: Store, key: string, url: string, path: string, opts: {runDir: string; kind: FunctionKind}): Promise<ResolvedInput> {
  if (!existsSync(path)) throw new NotFoundError(`Input "${key}": no such file ${path}.`, 'Check the path (relative paths are from the working directory).')
  const special = specialKindOf(path)
  if (special) {
    throw new UserError(`Input "${key}": ${path} is ${special}, not a file or folder: lode hashes every input before the run, and this one cannot be read to its end.`,
      'Write the data to a file first and give that file (e.g. head -c 1M /dev/zero > data.bin; lode run ... -i data=data.bin).')
  }
  const {sha256, size} = await store.hashInputPath(path).catch((error: NodeJS.ErrnoException) => {
    // a file or folder below it that this user may not read is the user's to fix, not a bug
    if (error.code !== 'EACCES' && error.code !== 'EPERM') throw error
    throw new UserError(`Input "${key}": cannot read ${error.path ?? path}: permission denied.`, 'Give an input you can read (lode hashes every file of it before the run).')
  })
  if (statSync(path).isDirectory()) return {input: {key, url, path, sha256, size}, meta: {kind: 'dir'}}
  const artifact = store.artifacts.newestWithSha256(sha256)
  return {
    input: {key, url, path, sha256, size, ...(artifact ? {artifact: {id: artifact.id, key: artifact.key, kind: artifact.kind, uri: artifact.uri}} : {})},
    meta: opts.kind === 'python' ? await csvCopyOfTable(key, path, opts.runDir) : {},
  }
}

/**
 * A parquet or Arrow file given to Python: a CSV copy too, as a dataset artifact gets, for a Python without pyarrow.
 * A file that does not read as one is handed over as it is (the handler may not read it as a table at all).
 */
async function csvCopyOfTable(key: string, path: string, runDir: string): Promise<Record<string, JsonValue>> {
  const format = binaryTableFormat(path)
  if (!format) return {}
  // only now: the formats module loads polars, which a run with other inputs does not need
  const {convertFile} = await import('../artifacts/formats.ts')
  mkdirSync(join(runDir, 'inputs'), {recursive: true})
  const csv = inRunInputs(runDir, key, `${key}.csv`)
  try {
    await convertFile(path, format, csv, 'csv')
  } catch {
    return {}
  }
  return {format, converted: {format: 'csv', path: csv}}
}

/** parquet or ipc, by the file's extension, else (a name without one) by its first bytes. */
function binaryTableFormat(path: string): 'parquet' | 'ipc' | undefined {
  const format = extname(path) ? formatFromExtension(path) : formatFromContent(readHead(path, 6))
  return format === 'parquet' || format === 'ipc' ? format : undefined
}

/** A path under the run's own inputs folder; anything that would land elsewhere is refused. */
function inRunInputs(runDir: string, key: string, name: string): string {
  const base = resolve(runDir, 'inputs')
  const path = resolve(base, name)
  if (dirname(path) !== base) throw new UserError(`Input "${key}": its name would put it outside the run's folder (${path}).`, 'Name inputs with letters, digits and _ only.')
  return path
}

async function artifactInput(store: Store, key: string, url: string, ref: string, opts: {runDir: string; kind: FunctionKind}): Promise<ResolvedInput> {
  const v = await resolveArtifactRef(store, ref)
  const meta: Record<string, JsonValue> = {kind: v.kind, format: v.format, uri: v.uri, key: v.key, version: v.version, labels: v.labels}
  let path: string
  if (v.kind === 'dir' || v.kind === 'model') {
    const files = v.meta?.files ?? (await store.objects.readManifest(v.sha256))
    // each file is checked as a file input is (rehashed only when its object changed since it was last checked)
    for (const f of files) {
      const object = store.objects.path(f.sha256)
      if (existsSync(object) && (await store.hashInputFile(object)).sha256 !== f.sha256) {
        throw new IntegrityError(`Input "${key}": the bytes of ${f.path} in ${v.uri} are corrupt: they no longer match their sha256.`, 'Run lode artifacts verify to see every damaged object.')
      }
    }
    path = inRunInputs(opts.runDir, key, key)
    await store.objects.materializeDir(files, path)
    if (v.meta?.model) meta.model = v.meta.model as unknown as JsonValue
  } else {
    path = store.objects.path(v.sha256)
    await store.objects.ensureLocal([v.sha256])
    if (!existsSync(path)) throw new IntegrityError(`Input "${key}": the bytes of ${v.uri} are missing from the store.`)
    // rehashed only when the object changed since it was last checked (size, mtime, inode are remembered)
    if ((await store.hashInputFile(path)).sha256 !== v.sha256) throw new IntegrityError(`Input "${key}": the bytes of ${v.uri} are corrupt: they no longer match their sha256.`)
    if (v.meta?.dataset) {
      const {schema, rows} = v.meta.dataset
      meta.dataset = {schema, rows} as unknown as JsonValue
      // Python without pyarrow reads a CSV copy of binary datasets.
      if (opts.kind === 'python' && (v.format === 'parquet' || v.format === 'ipc')) {
        const {convertFile} = await import('../artifacts/formats.ts')
        mkdirSync(join(opts.runDir, 'inputs'), {recursive: true})
        const csv = inRunInputs(opts.runDir, key, `${key}.csv`)
        await convertFile(path, v.format as never, csv, 'csv')
        meta.converted = {format: 'csv', path: csv}
      }
    }
  }
  return {input: {key, url, path, sha256: v.sha256, size: v.size, artifact: {id: v.id, key: v.key, kind: v.kind, uri: v.uri}}, meta}
}
