// Remotes in lode.yaml: `remotes: {NAME: {url: s3://BUCKET/PREFIX, endpoint?, region?}}` and `remote: NAME`, the default.
// Credentials never go here: they come from the AWS chain (environment, shared config and profiles) when a remote is used.
import {NotFoundError, UserError} from '../errors.ts'
import {updateConfig, type ProjectConfig} from '../project/project-file.ts'

export interface RemoteConfig {
  name: string
  url: string
  bucket: string
  /** the folder inside the bucket, '' or ending in '/' */
  prefix: string
  endpoint?: string
  region?: string
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

export function checkRemoteName(name: string): void {
  if (!NAME_RE.test(name)) throw new UserError(`Invalid remote name ${JSON.stringify(name)}: use letters, digits, '-' and '_' (at most 64).`, 'Example: lode remote add origin s3://my-bucket/lode')
}

/** `s3://BUCKET[/PREFIX]` read into its bucket and prefix; anything else is bad input. */
export function parseS3Url(url: string): {bucket: string; prefix: string} {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url)
  if (!m) throw new UserError(`Not an S3 remote URL: ${JSON.stringify(url)}. Give s3://BUCKET/PREFIX (a bucket name is 3-63 lower-case letters, digits, '.' and '-').`, 'Example: lode remote add origin s3://my-bucket/team/project')
  const prefix = (m[2] ?? '').replace(/\/+$/, '')
  if (prefix.split('/').some((p) => p === '.' || p === '..') || /\/\//.test(prefix)) throw new UserError(`The prefix of ${url} has an empty, '.' or '..' folder.`)
  return {bucket: m[1]!, prefix: prefix ? `${prefix}/` : ''}
}

export function checkEndpoint(endpoint: string): void {
  let u: URL
  try {
    u = new URL(endpoint)
  } catch {
    throw new UserError(`Not an endpoint URL: ${JSON.stringify(endpoint)}.`, 'Example: --endpoint http://127.0.0.1:9000')
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UserError(`The endpoint ${endpoint} must be http:// or https://.`)
  if (u.username || u.password) throw new UserError('Do not put credentials in the endpoint URL: lode reads them from the AWS chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws).')
}

export function remoteFrom(name: string, raw: unknown): RemoteConfig {
  const r = (raw ?? {}) as {url?: unknown; endpoint?: unknown; region?: unknown}
  if (typeof r.url !== 'string') throw new UserError(`lode.yaml: remote "${name}" has no url.`, 'Example:\n  remotes:\n    origin: {url: s3://my-bucket/lode}')
  return {
    name,
    url: r.url,
    ...parseS3Url(r.url),
    ...(typeof r.endpoint === 'string' ? {endpoint: r.endpoint} : {}),
    ...(typeof r.region === 'string' ? {region: r.region} : {}),
  }
}

export function listRemotes(config: ProjectConfig): {remotes: RemoteConfig[]; defaultName: string | null} {
  const map = config.remotes && typeof config.remotes === 'object' && !Array.isArray(config.remotes) ? (config.remotes as Record<string, unknown>) : {}
  const remotes = Object.entries(map).map(([name, raw]) => remoteFrom(name, raw))
  const named = typeof config.remote === 'string' ? config.remote : null
  return {remotes, defaultName: named ?? (remotes.length === 1 ? remotes[0]!.name : null)}
}

/** The remote named, or the default one (`remote:` in lode.yaml, or the only one there is). */
export function chooseRemote(config: ProjectConfig, name?: string): RemoteConfig {
  const {remotes, defaultName} = listRemotes(config)
  if (remotes.length === 0) throw new NotFoundError('This project has no remote.', 'Add one: lode remote add origin s3://BUCKET/PREFIX [--endpoint URL]')
  const want = name ?? defaultName
  if (!want) throw new UserError(`This project has ${remotes.length} remotes and no default: name one with --remote.`, `Remotes: ${remotes.map((r) => r.name).join(', ')}. Or set one as the default: remote: NAME in lode.yaml`)
  const found = remotes.find((r) => r.name === want)
  if (!found) throw new NotFoundError(`No remote named "${want}".`, `Remotes: ${remotes.map((r) => r.name).join(', ') || '(none)'}. See: lode remote ls`)
  return found
}

export function addRemote(configPath: string, config: ProjectConfig, r: {name: string; url: string; endpoint?: string; region?: string; makeDefault?: boolean}): RemoteConfig {
  checkRemoteName(r.name)
  parseS3Url(r.url)
  if (r.endpoint !== undefined) checkEndpoint(r.endpoint)
  const {remotes} = listRemotes(config)
  if (remotes.some((x) => x.name === r.name)) throw new UserError(`A remote named "${r.name}" exists already.`, `Remove it first: lode remote rm ${r.name}`)
  updateConfig(configPath, (doc) => {
    const entry: Record<string, string> = {url: r.url}
    if (r.endpoint !== undefined) entry.endpoint = r.endpoint
    if (r.region !== undefined) entry.region = r.region
    doc.setIn(['remotes', r.name], doc.createNode(entry, {flow: true}))
    if (r.makeDefault || remotes.length === 0) doc.set('remote', r.name)
  })
  return remoteFrom(r.name, {url: r.url, endpoint: r.endpoint, region: r.region})
}

export function removeRemote(configPath: string, config: ProjectConfig, name: string): void {
  const {remotes} = listRemotes(config)
  if (!remotes.some((x) => x.name === name)) throw new NotFoundError(`No remote named "${name}".`, 'See: lode remote ls')
  updateConfig(configPath, (doc) => {
    doc.deleteIn(['remotes', name])
    if (remotes.length === 1) doc.delete('remotes')
    if (doc.get('remote') === name) doc.delete('remote')
  })
}

/** Where on the remote a thing lives. */
export const layout = {
  marker: (r: RemoteConfig) => `${r.prefix}lode-remote.json`,
  objects: (r: RemoteConfig) => `${r.prefix}objects/sha256/`,
  object: (r: RemoteConfig, sha256: string) => `${r.prefix}objects/sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}`,
  packs: (r: RemoteConfig) => `${r.prefix}packs/`,
  probe: (r: RemoteConfig, origin: string) => `${r.prefix}probes/${origin}`,
}

/** The identity of a remote in the local sync state: its bucket, prefix and endpoint (not the name, which may be reused). */
export function remoteId(r: RemoteConfig): string {
  return `${r.endpoint ?? 'aws'}|${r.bucket}/${r.prefix}`
}
