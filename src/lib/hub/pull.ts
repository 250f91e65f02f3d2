// Pulling a hub function into a project: an exact copy of one version, recorded in lode.yaml.
import {accessSync, constants, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync} from '../util/fs.ts'
import {randomBytes} from 'node:crypto'
import {basename, dirname, isAbsolute, join, relative, resolve, sep} from 'node:path'
import {IntegrityError, UserError} from '../errors.ts'
import {CONFIG_FILE, type FunctionConfig, readConfig, STORE_DIR, updateConfig} from '../project/project-file.ts'
import {cachedContentSha256, defaultCacheDir} from './cache.ts'
import {makeWritable} from './extract.ts'
import {packageFiles, sha256Hex} from './pack.ts'
import {FUNCTION_FILE} from './schema.ts'
import {resolveHubRef} from './resolve.ts'
import {gzipDeterministic, writeTar} from './tar-writer.ts'
import type {HubSource} from './types.ts'
import {isInside, realPath} from '../util/inside.ts'
import {notYourStore} from '../store/store.ts'
import {formatHubRef, isHubRef} from '../uri/refs.ts'

export interface PullOptions {
  /** the folder to copy into, relative to the project (default: the recorded path, else functions/<name>) */
  to?: string
  /** overwrite local edits, or a folder lode.yaml does not know as this function */
  force?: boolean
  sources: readonly HubSource[]
  cacheDir?: string
}

export interface PullResult {
  name: string
  version: string
  sha256: string
  /** where the function now is, relative to the project */
  path: string
  file: string
  handler: string
  kind: string
  source: string
  /** false: that exact version was already there, untouched */
  changed: boolean
  /** the version that was replaced, if any */
  previous: string | null
}

export async function pullFunction(project: {dir: string; configPath: string}, ref: string, opts: PullOptions): Promise<PullResult> {
  refuseReadOnly(project.dir, project.configPath)
  const cacheDir = opts.cacheDir ?? defaultCacheDir()
  const hub = await resolveHubRef(ref, {sources: opts.sources, cacheDir})
  const config = readConfig(project.configPath)
  const record = config.functions?.[hub.name]
  const dest = resolve(project.dir, opts.to ?? record?.path ?? join('functions', hub.name))
  if (!isInside(project.dir, dest)) {
    // Only the project is lode's to replace: a recorded path outside it never was a copy lode made there.
    const real = realPath(dest)
    const leads = real === dest ? '' : ` (a symlink to ${real})`
    if (opts.to !== undefined) {
      throw new UserError(`Cannot pull into ${dest}${leads}: it is outside the project (${project.dir}); lode never writes or deletes outside the project.`, `Pass --to a folder inside the project, e.g. --to functions/${hub.name}`)
    }
    if (record?.path === undefined) {
      throw new UserError(`Cannot pull into ${projectPath(project.dir, dest)}${leads}: it leads outside the project (${project.dir}); lode never replaces or deletes a folder outside the project.`,
        `Remove the symlink ${projectPath(project.dir, dest)}, or pull into another folder with --to DIR.`)
    }
    throw new UserError(`lode.yaml names ${record.path}${leads} as the folder of "${hub.name}", which is outside the project (${project.dir}); lode never replaces or deletes a folder outside the project.`,
      `Pull a copy into the project with --to functions/${hub.name} (lode.yaml is updated), or fix functions.${hub.name}.path in lode.yaml.`)
  }
  refuseUnsafeDestination(project.dir, dest, hub.name)
  const parent = nearestExisting(dirname(dest))
  refuseReadOnly(parent, parent, resolve(project.dir))
  const path = projectPath(project.dir, dest)
  const source = formatHubRef(hub)
  const result: PullResult = {
    name: hub.name, version: hub.version, sha256: hub.sha256, path, file: `${path}/${hub.spec.source}`, handler: hub.spec.default_handler,
    kind: hub.spec.kind, source, changed: true, previous: record?.version ?? null,
  }
  const isHubRecord = record !== undefined && typeof record.source === 'string' && isHubRef(record.source)
  if (record && !isHubRecord && !opts.force) {
    throw new UserError(`lode.yaml already has a function "${hub.name}" that is not from the hub.`, 'Pass --force to replace it, or rename yours.', {code: 'conflict'})
  }
  if (isHubRecord && record.version === hub.version && record.sha256 && record.sha256 !== hub.sha256 && !opts.force) {
    throw new IntegrityError(`${source} changed: lode.yaml records sha256 ${record.sha256}, the hub now says ${hub.sha256}. A pinned version never silently changes.`, 'Pass --force to take the new package anyway.')
  }
  const recordedHere = isHubRecord && record.path !== undefined && resolve(project.dir, record.path) === dest
  if (existsSync(dest) && !isEmptyFolder(dest)) {
    const unedited = recordedHere && record.sha256 !== undefined && record.version !== undefined && matchesRecorded(dest, cacheDir, hub.name, record.version, record.sha256)
    if (unedited && record.version === hub.version && record.sha256 === hub.sha256 && sameRecord(record, result)) {
      return {...result, changed: false}
    }
    if (!unedited && !opts.force) {
      throw new UserError(
        recordedHere
          ? `${path} has local edits: its files differ from ${record.source} recorded in lode.yaml.`
          : `${path} already exists and lode.yaml does not record it as ${source}.`,
        'Move your changes elsewhere, pull with --to DIR, or pass --force to overwrite the folder.',
        {code: 'conflict'},
      )
    }
    if (!holdsFunction(dest)) {
      throw new UserError(`Cannot pull into ${path}: it is a folder that is not a pulled hub function (it has no ${FUNCTION_FILE}); --force replaces only the folder of a pulled function.`,
        `Pass --to a new folder, e.g. --to functions/${hub.name}, or move ${path} away first.`, {code: 'conflict'})
    }
  }
  replaceFolder(hub.dir, dest)
  updateConfig(project.configPath, (doc) => {
    const entry: FunctionConfig & Record<string, string> = {source, version: hub.version, sha256: hub.sha256, path, kind: hub.spec.kind, file: result.file, handler: result.handler}
    doc.setIn(['functions', hub.name], doc.createNode(entry))
  })
  return result
}

/**
 * Where a pull may write: a new folder, or one it made, inside the project. Never the project itself, its store, or a
 * path that is (or goes through) a file such as lode.yaml: --force must not be able to replace any of them.
 */
function refuseUnsafeDestination(projectDir: string, dest: string, name: string): void {
  const hint = `Pass --to a new folder inside the project, e.g. --to functions/${name}`
  if (isInside(dest, projectDir)) throw new UserError(`Cannot pull into ${dest}: it holds the project itself.`, hint)
  const store = join(projectDir, STORE_DIR)
  if (isInside(store, dest)) throw new UserError(`Cannot pull into ${dest}: it is inside the project's store (${store}), which only lode writes.`, hint)
  for (let p = dest; isInside(projectDir, p) && p !== dirname(p); p = dirname(p)) {
    const st = statSync(p, {throwIfNoEntry: false})
    if (!st || st.isDirectory()) continue
    const what = p === resolve(projectDir, CONFIG_FILE) ? `the project's ${CONFIG_FILE}` : 'a file'
    throw new UserError(`Cannot pull into ${dest}: ${p === dest ? 'it' : p} is ${what}, not a folder.`, hint)
  }
}

/**
 * A project (or folder in it) another user owns, e.g. root's read as you, is refused before anything is written, as
 * `run` does: `owned` is the folder whose owner the message names.
 */
function refuseReadOnly(owned: string, path: string, projectDir = owned): void {
  try {
    accessSync(path, constants.W_OK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM') throw notYourStore(owned, owned === projectDir ? 'project' : 'folder')
    throw error
  }
}

function nearestExisting(path: string): string {
  let p = path
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p)
  return p
}

function isEmptyFolder(dir: string): boolean {
  return statSync(dir).isDirectory() && readdirSync(dir).length === 0
}

/** A pulled function's folder holds its function.yaml (every package does). */
function holdsFunction(dir: string): boolean {
  return lstatSync(join(dir, FUNCTION_FILE), {throwIfNoEntry: false})?.isFile() === true
}

/** The folder holds exactly the files of the recorded version (deterministic packing makes this a hash compare). */
function matchesRecorded(dir: string, cacheDir: string, name: string, version: string, sha256: string): boolean {
  let tar: Buffer
  try {
    tar = writeTar(packageFiles(dir))
  } catch {
    return false
  }
  if (sha256Hex(gzipDeterministic(tar)) === sha256) return true
  // Packed elsewhere (another compressor): compare the uncompressed content the cache recorded.
  return cachedContentSha256(cacheDir, name, version, sha256) === sha256Hex(tar)
}

function sameRecord(record: FunctionConfig, r: PullResult): boolean {
  return record.source === r.source && record.path === r.path && record.file === r.file && record.handler === r.handler && record.kind === r.kind
}

/** Copy next to the destination, then swap it in: the folder is never half-written. */
function replaceFolder(from: string, dest: string): void {
  const temp = join(dirname(dest), `.${basename(dest)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`)
  mkdirSync(dirname(dest), {recursive: true})
  try {
    cpSync(from, temp, {recursive: true, verbatimSymlinks: true})
    makeWritable(temp)
    if (existsSync(dest)) {
      makeWritable(dest)
      rmSync(dest, {recursive: true, force: true})
    }
    renameSync(temp, dest)
  } catch (error) {
    rmSync(temp, {recursive: true, force: true})
    throw error
  }
}

/** Relative to the project with '/' separators, or absolute when outside it. */
function projectPath(projectDir: string, abs: string): string {
  const rel = relative(projectDir, abs)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return abs
  return rel.split(sep).join('/')
}
