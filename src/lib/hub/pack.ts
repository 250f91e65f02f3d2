// Packing: one deterministic .tgz per function version, and the packed hub's index.json.
import {existsSync, lstatSync, mkdirSync, readFileSync, readdirSync} from '../util/fs.ts'
import {join, resolve} from 'node:path'
import {LodeError, NotFoundError, UserError} from '../errors.ts'
import {writeFileAtomic} from '../project/project-file.ts'
import {parseProblem} from '../util/excerpt.ts'
import {hashBytes} from '../util/hash.ts'
import {FUNCTION_FILE, loadFunctionSpec} from './schema.ts'
import {compareVersions, VERSION_PATTERN} from './semver.ts'
import {type TarFile, gzipDeterministic, writeTar} from './tar-writer.ts'
import type {FunctionSpec, HubIndex, HubIndexVersion} from './types.ts'

export const INDEX_FILE = 'index.json'
const NAME_PATTERN = /^[a-z][a-z0-9_-]*$/

/** Never packed: installed dependencies, the store, test output, caches, editor and VCS files. */
const SKIPPED_NAMES = new Set(['node_modules', '.lode', '.git', '.scratch', '.nyc_output', 'coverage', 'test-output', '__pycache__', '.DS_Store'])

export interface FunctionPackage {
  spec: FunctionSpec
  /** the .tgz */
  bytes: Buffer
  sha256: string
  size: number
  fileName: string
}

/** The deterministic package of one function folder. */
export function packFunction(dir: string): FunctionPackage {
  const spec = loadFunctionSpec(dir)
  const bytes = gzipDeterministic(writeTar(packageFiles(dir)))
  return {spec, bytes, sha256: sha256Hex(bytes), size: bytes.length, fileName: `${spec.name}-${spec.version}.tgz`}
}

/** The files a package holds, sorted by path. Symlinks are refused: a package holds regular files only. */
export function packageFiles(dir: string): TarFile[] {
  const files: TarFile[] = []
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      if (SKIPPED_NAMES.has(name) || name.endsWith('.pyc') || name.startsWith('.tmp-')) continue
      const childAbs = join(abs, name)
      const childRel = rel ? `${rel}/${name}` : name
      const st = lstatSync(childAbs)
      if (st.isDirectory()) walk(childAbs, childRel)
      else if (st.isFile()) files.push({path: childRel, body: readFileSync(childAbs), executable: (st.mode & 0o111) !== 0})
      else throw new UserError(`Cannot pack ${childAbs}: a hub package holds regular files only (this is a ${st.isSymbolicLink() ? 'symlink' : 'special file'}).`, 'Replace it with a copy of the file it points to.')
    }
  }
  walk(dir, '')
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

export interface PackedFunction {
  name: string
  version: string
  file: string
  sha256: string
  size: number
  /** false when the same version with the same bytes was already in the index */
  added: boolean
}

/**
 * Pack a function folder, or every function folder inside `dir`, into `outDir`, and merge them into
 * outDir/index.json. Versions already there are kept; re-packing a published version with other bytes is refused.
 */
export function packHub(dir: string, outDir: string): {outDir: string; index: string; functions: PackedFunction[]} {
  const root = resolve(dir)
  const folders = functionFolders(root)
  if (folders.length === 0) throw new UserError(`No function folders in ${root} (a function folder holds ${FUNCTION_FILE}).`)
  mkdirSync(outDir, {recursive: true})
  const indexPath = join(outDir, INDEX_FILE)
  const index = existsSync(indexPath) ? readIndex(indexPath) : {schema: 1 as const, functions: {}}
  const packed: PackedFunction[] = []
  const seen = new Map<string, string>()
  for (const folder of folders) {
    const pkg = packFunction(folder)
    const {name, version} = pkg.spec
    const id = `${name}:${version}`
    if (seen.has(id)) throw new UserError(`${id} is defined twice: in ${seen.get(id)} and ${folder}.`, 'Give one of them another version.')
    seen.set(id, folder)
    const entry: HubIndexVersion = {file: pkg.fileName, sha256: pkg.sha256, size: pkg.size, kind: pkg.spec.kind, handlers: pkg.spec.handlers.map((h) => h.name)}
    const fn = index.functions[name] ?? {description: pkg.spec.description, categories: pkg.spec.categories, latest: version, versions: {}}
    const previous = fn.versions[version]
    if (previous && previous.sha256 !== pkg.sha256) {
      throw new UserError(`${id} is already in ${indexPath} with other contents (sha256 ${previous.sha256.slice(0, 12)}, now ${pkg.sha256.slice(0, 12)}).`, `A published version never changes: bump "version" in ${join(folder, FUNCTION_FILE)}.`)
    }
    if (!previous) writeFileAtomic(join(outDir, pkg.fileName), pkg.bytes)
    fn.versions[version] = entry
    fn.latest = Object.keys(fn.versions).sort(compareVersions).at(-1)!
    if (fn.latest === version) {
      fn.description = pkg.spec.description
      fn.categories = pkg.spec.categories
    }
    index.functions[name] = fn
    packed.push({name, version, file: pkg.fileName, sha256: pkg.sha256, size: pkg.size, added: !previous})
  }
  writeFileAtomic(indexPath, `${JSON.stringify(sortedIndex(index), null, 2)}\n`)
  return {outDir: resolve(outDir), index: indexPath, functions: packed}
}

/** `dir` itself when it is a function folder, else its sub-folders that are. */
export function functionFolders(dir: string): string[] {
  if (existsSync(join(dir, FUNCTION_FILE))) return [dir]
  if (!lstatSync(dir, {throwIfNoEntry: false})?.isDirectory()) throw new NotFoundError(`No such folder: ${dir}.`, 'Give a hub folder (function folders holding function.yaml) or one function folder.')
  return readdirSync(dir, {withFileTypes: true})
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, FUNCTION_FILE)))
    .map((d) => join(dir, d.name))
    .sort()
}

export function readIndex(path: string): HubIndex {
  return parseIndex(readFileSync(path, 'utf8'), path)
}

export function parseIndex(text: string, where: string): HubIndex {
  // A hub's index is its packages' table of contents: a damaged one is a package error, like a damaged package.
  const damaged = (msg: string) => new LodeError('integrity', `${where}: ${msg}`, {hint: 'The hub is damaged: re-pack it (lode hub pack), or use another hub.'})
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw damaged(`not valid JSON: ${parseProblem(error)}`)
  }
  const index = value as HubIndex
  if (!isMapping(index) || index.schema !== 1 || !isMapping(index.functions)) {
    throw damaged('not a lode hub index (expected {"schema": 1, "functions": {...}}).')
  }
  for (const [name, fn] of Object.entries(index.functions as Record<string, unknown>)) {
    // Names and versions become cache paths: nothing but the function.yaml patterns gets through.
    if (!NAME_PATTERN.test(name)) throw damaged(`${JSON.stringify(name)} is not a function name (${NAME_PATTERN.source}).`)
    if (!isMapping(fn) || !isMapping(fn.versions)) throw damaged(`functions.${name} must be a mapping with "versions": {VERSION: {file, sha256, ...}}.`)
    for (const [version, v] of Object.entries(fn.versions as Record<string, unknown>)) {
      if (!VERSION_PATTERN.test(version)) throw damaged(`functions.${name}: ${JSON.stringify(version)} is not an x.y.z version.`)
      if (!isMapping(v) || typeof v.file !== 'string' || !/^[0-9a-f]{64}$/.test(String(v.sha256))) {
        throw damaged(`functions.${name}.versions.${version} needs "file" and a sha256.`)
      }
      if ((v.handlers !== undefined && !(Array.isArray(v.handlers) && v.handlers.every((h: unknown) => typeof h === 'string'))) || (v.kind !== undefined && typeof v.kind !== 'string')) {
        throw damaged(`functions.${name}.versions.${version}: "handlers" must be a list of names and "kind" a string.`)
      }
    }
    if (fn.categories !== undefined && !Array.isArray(fn.categories)) throw damaged(`functions.${name}.categories must be a list.`)
  }
  return index
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

function sortedIndex(index: HubIndex): HubIndex {
  const functions: HubIndex['functions'] = {}
  for (const name of Object.keys(index.functions).sort()) {
    const fn = index.functions[name]!
    const versions: Record<string, HubIndexVersion> = {}
    for (const v of Object.keys(fn.versions).sort(compareVersions)) versions[v] = fn.versions[v]!
    functions[name] = {...fn, versions}
  }
  return {schema: 1, functions}
}

export function sha256Hex(data: Uint8Array): string {
  return hashBytes(data)
}
