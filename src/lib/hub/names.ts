// hub:// names: '-' and '_' are the same.
import {UserError} from '../errors.ts'
import {VERSION_PATTERN} from './semver.ts'

export function canonicalName(name: string): string {
  return name.toLowerCase().replaceAll('-', '_')
}

/** `hub://name[:version]`, or `name[:version]` as the hub commands take it. */
export function parseHubRef(ref: string): {name: string; version: string | undefined} {
  const body = ref.startsWith('hub://') ? ref.slice('hub://'.length) : ref
  const match = /^([a-z][a-z0-9_-]*)(?::([^:]+))?$/i.exec(body)
  if (!match) throw new UserError(`Not a hub function reference: ${JSON.stringify(ref)}`, 'Use hub://NAME or hub://NAME:VERSION, e.g. hub://auto_trainer:1.0.0')
  const version = match[2]
  if (version !== undefined && !VERSION_PATTERN.test(version)) {
    throw new UserError(`Not a version: ${JSON.stringify(version)} in ${JSON.stringify(ref)}`, 'Hub versions are x.y.z, e.g. hub://auto_trainer:1.0.0')
  }
  return {name: match[1]!, version}
}
