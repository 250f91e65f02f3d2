// The local hub cache: hub/<name>/<version>-<sha256 prefix>/ holds one extracted, read-only package
// (<name> with '-' written as '_', so both spellings share one cache entry).
import {existsSync, readFileSync, readdirSync, rmSync} from '../util/fs.ts'
import {join} from 'node:path'
import {IntegrityError, LodeError} from '../errors.ts'
import {writeFileAtomic} from '../project/project-file.ts'
import {extractPackage, makeWritable, tarSha256} from './extract.ts'
import {canonicalName} from './names.ts'
import {formatHubRef} from '../uri/refs.ts'
import {sha256Hex} from './pack.ts'
import {builtInHubDir} from './sources.ts'
import type {HubVersion} from './types.ts'

export {defaultCacheDir} from '../util/cache-dir.ts'

interface CacheMeta {
  name: string
  version: string
  sha256: string
  /** sha256 of the uncompressed tar: the same files, whatever the compressor */
  contentSha256: string
  hub: string
  cached: string
}

/**
 * The extracted package of one version, pulled into the cache on demand. A version already cached with
 * other bytes is refused: a pinned version never silently changes.
 */
export async function ensureCached(v: HubVersion, cacheRoot: string): Promise<string> {
  const base = join(cacheRoot, 'hub', canonicalName(v.name))
  const id = `${v.version}-${v.sha256.slice(0, 12)}`
  const dir = join(base, id)
  const metaPath = `${dir}.json`
  const meta = readMeta(metaPath)
  if (meta?.sha256 === v.sha256 && existsSync(dir)) return dir
  const bytes = await v.load()
  const actual = sha256Hex(bytes)
  if (actual !== v.sha256) {
    throw new IntegrityError(`${formatHubRef(v)} from ${v.hub}: the package's sha256 is ${actual}, the hub's index says ${v.sha256}. Nothing was extracted.`, 'The hub is damaged or was tampered with; re-pack it or use another hub.')
  }
  const contentSha256 = await tarSha256(bytes, formatHubRef(v))
  for (const other of cachedVersions(base, v.version)) {
    if (other.meta.sha256 === v.sha256) continue
    // Re-compressed but the same files (e.g. packed by another Node): still the same version.
    if (other.meta.contentSha256 === contentSha256 && existsSync(other.dir)) return other.dir
    // The built-in hub ships with lode itself: a new lode (or a lode checkout being edited) replaces its copies.
    if (v.hub === builtInHubDir() && other.meta.hub === v.hub) {
      makeWritable(other.dir)
      rmSync(other.dir, {recursive: true, force: true})
      rmSync(`${other.dir}.json`, {force: true})
      continue
    }
    throw new IntegrityError(
      `${formatHubRef(v)} changed: the cached copy has sha256 ${other.meta.sha256}, ${v.hub} now says ${v.sha256}. A pinned version never silently changes.`,
      `If you trust the new package, remove ${other.dir} (and ${other.dir}.json); better, publish it as a new version.`,
    )
  }
  if (existsSync(dir)) {
    // Extracted by a run that stopped before writing its metadata: start again.
    makeWritable(dir)
    rmSync(dir, {recursive: true, force: true})
  }
  try {
    await extractPackage(bytes, dir, {sha256: v.sha256, readOnly: true, label: formatHubRef(v)})
  } catch (error) {
    // Another lode process extracted the same bytes first.
    if (!(error instanceof LodeError && error.code === 'conflict' && existsSync(dir))) throw error
  }
  const newMeta: CacheMeta = {name: v.name, version: v.version, sha256: v.sha256, contentSha256, hub: v.hub, cached: new Date().toISOString()}
  writeFileAtomic(metaPath, `${JSON.stringify(newMeta, null, 2)}\n`)
  return dir
}

/** The cache entry of an exact version and sha256, when present. */
export function cachedDir(cacheRoot: string, name: string, version: string, sha256: string): string | undefined {
  const dir = join(cacheRoot, 'hub', canonicalName(name), `${version}-${sha256.slice(0, 12)}`)
  return readMeta(`${dir}.json`)?.sha256 === sha256 && existsSync(dir) ? dir : undefined
}

/** The content hash recorded for a cached version, if any (see CacheMeta.contentSha256). */
export function cachedContentSha256(cacheRoot: string, name: string, version: string, sha256: string): string | undefined {
  const meta = readMeta(join(cacheRoot, 'hub', canonicalName(name), `${version}-${sha256.slice(0, 12)}.json`))
  return meta?.sha256 === sha256 ? meta.contentSha256 : undefined
}

function cachedVersions(base: string, version: string): {dir: string; meta: CacheMeta}[] {
  if (!existsSync(base)) return []
  return readdirSync(base)
    .filter((f) => f.startsWith(`${version}-`) && f.endsWith('.json'))
    .flatMap((f) => {
      const meta = readMeta(join(base, f))
      return meta && meta.version === version ? [{dir: join(base, f.slice(0, -'.json'.length)), meta}] : []
    })
}

function readMeta(path: string): CacheMeta | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as CacheMeta
  } catch {
    return undefined
  }
}
