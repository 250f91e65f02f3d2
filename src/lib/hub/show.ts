// `lode hub show`: one version of a function with its handlers, versions and README.
import {existsSync, readFileSync} from '../util/fs.ts'
import {join} from 'node:path'
import type {HubShowResult} from './format.ts'
import {type ResolveOptions, resolveHubRef} from './resolve.ts'
import {toHubRef} from '../uri/refs.ts'

export async function showHubFunction(ref: string, opts: ResolveOptions): Promise<HubShowResult> {
  const hub = await resolveHubRef(toHubRef(ref), opts)
  const readmePath = join(hub.dir, 'README.md')
  return {
    name: hub.name,
    version: hub.version,
    sha256: hub.sha256,
    kind: hub.spec.kind,
    description: hub.spec.description,
    categories: hub.spec.categories,
    license: hub.spec.license ?? null,
    source: hub.spec.source,
    defaultHandler: hub.spec.default_handler,
    handlers: hub.spec.handlers,
    versions: hub.function.versions.map((v) => ({version: v.version, sha256: v.sha256, hub: v.hub})),
    readme: existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : null,
    hub: hub.hub,
  }
}
