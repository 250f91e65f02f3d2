// hub://name[:version] -> an exact version, extracted read-only in the local cache.
import {join} from 'node:path'
import {IntegrityError, LodeError} from '../errors.ts'
import {ensureCached, defaultCacheDir} from './cache.ts'
import {findFunction, listHub, type ListOptions} from './catalog.ts'
import {formatHubRef, parseHubRef} from '../uri/refs.ts'
import {loadFunctionSpec} from './schema.ts'
import type {FunctionSpec, HubFunction, HubSource, HubVersion, ResolvedHubFunction} from './types.ts'

export interface ResolveOptions extends ListOptions {
  sources: readonly HubSource[]
  /** lode's cache root (default: LODE_CACHE_DIR, XDG_CACHE_HOME/lode, ~/.cache/lode) */
  cacheDir?: string
}

/** No version: the highest. */
export async function resolveHubRef(ref: string, opts: ResolveOptions): Promise<ResolvedHubFunction & {function: HubFunction}> {
  const {name, version} = parseHubRef(ref)
  const fn = findFunction(await listHub(opts.sources, opts), name, opts.sources)
  const chosen = pickVersion(fn, version)
  const dir = await ensureCached(chosen, opts.cacheDir ?? defaultCacheDir())
  const spec = packageSpec(dir, chosen)
  if (spec.name !== chosen.name || spec.version !== chosen.version) {
    throw new IntegrityError(`${chosen.hub} lists ${chosen.name}:${chosen.version}, but its package holds ${spec.name}:${spec.version}.`, 'Re-pack the hub.')
  }
  return {name: spec.name, version: spec.version, sha256: chosen.sha256, dir, spec, sourceFile: join(dir, spec.source), hub: chosen.hub, function: fn}
}

/** A package's function.yaml; one that is missing, malformed or unsafe makes the package damaged (exit 5), not bad input. */
function packageSpec(dir: string, v: HubVersion): FunctionSpec {
  try {
    return loadFunctionSpec(dir)
  } catch (error) {
    if (!(error instanceof LodeError) || error.code !== 'usage') throw error
    throw new IntegrityError(`${formatHubRef(v)} from ${v.hub} is damaged: ${error.message}`, 'Do not use this package: re-pack the hub (lode hub pack), or use another hub.', error.details)
  }
}

export function pickVersion(fn: HubFunction, version: string | undefined): HubVersion {
  if (version === undefined) return fn.versions[0]!
  const found = fn.versions.find((v) => v.version === version)
  if (!found) {
    throw new LodeError('not_found', `${formatHubRef(fn)} has no version ${version} (versions: ${fn.versions.map((v) => v.version).join(', ')}).`, {hint: `Run: lode hub show ${fn.name}`})
  }
  return found
}
