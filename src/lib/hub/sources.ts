// Where hub functions come from, in order: --hub flags, LODE_HUB, lode.yaml `hubs:`, then the built-in hub.
import {existsSync} from '../util/fs.ts'
import {isAbsolute, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {LodeError, UserError} from '../errors.ts'
import {quoteName} from '../util/excerpt.ts'
import {type ProjectLocation, findProject, readConfig} from '../project/project-file.ts'
import {INDEX_FILE} from './pack.ts'
import type {HubSource} from './types.ts'

/** The package's own function-hub/ folder: src/lib/hub/x.ts and dist/lib/hub/x.js are both three levels down. */
export function builtInHubDir(): string {
  return fileURLToPath(new URL('../../../function-hub/', import.meta.url)).replace(/[\\/]$/, '')
}

/** A folder (of function folders, or a packed hub with index.json) or an http(s) URL of a packed hub. */
export function parseHubSource(spec: string, baseDir: string): HubSource {
  if (/^https?:\/\//i.test(spec)) return {type: 'url', url: spec}
  const path = spec.startsWith('file://') ? hubFilePath(spec) : isAbsolute(spec) ? spec : resolve(baseDir, spec)
  return existsSync(join(path, INDEX_FILE)) ? {type: 'packed', dir: path} : {type: 'folder', dir: path}
}

/** The folder of a file:// hub; a URL with another host, or that Node cannot map to a path, is bad input. */
function hubFilePath(spec: string): string {
  try {
    return fileURLToPath(spec)
  } catch (error) {
    throw new UserError(`Malformed file:// hub URL ${quoteName(spec, 80)}: ${(error as Error).message}.`, 'Give file:///absolute/folder (no host), a plain folder path, or an http(s) URL. Check --hub, LODE_HUB and the hubs: list in lode.yaml.')
  }
}

export function describeSource(source: HubSource): string {
  return source.type === 'url' ? source.url : source.dir
}

export interface HubSourceOptions {
  /** --hub values, relative to `cwd` */
  flags?: readonly string[]
  env?: NodeJS.ProcessEnv
  /** the project's lode.yaml `hubs:` apply, relative to the project folder */
  project?: {dir: string; hubs?: readonly string[]}
  /** lode.yaml, when `project` is not given: its hubs, relative to `projectDir` (default `cwd`) */
  config?: {hubs?: readonly string[]}
  projectDir?: string
  cwd?: string
  /** false: leave out the built-in hub (default true) */
  builtIn?: boolean
}

export function hubSources(opts: HubSourceOptions = {}): HubSource[] {
  const cwd = opts.cwd ?? process.cwd()
  const env = opts.env ?? process.env
  const specs: [string, string][] = []
  for (const f of opts.flags ?? []) specs.push([f, cwd])
  for (const f of (env.LODE_HUB ?? '').split(',')) if (f.trim()) specs.push([f.trim(), cwd])
  if (opts.project) for (const f of opts.project.hubs ?? []) specs.push([f, opts.project.dir])
  else for (const f of opts.config?.hubs ?? []) specs.push([f, opts.projectDir ?? cwd])
  const sources = specs.map(([spec, base]) => parseHubSource(spec, base))
  if (opts.builtIn !== false) sources.push({type: 'folder', dir: builtInHubDir()})
  const seen = new Set<string>()
  return sources.filter((s) => {
    const id = `${s.type}:${describeSource(s)}`
    if (seen.has(id)) return false
    seen.add(id)
    return true
  })
}

/**
 * The sources a hub command uses. With `requireProject`, the project must exist (hub pull); otherwise a
 * project is used when there is one, and its lode.yaml hubs then apply.
 */
export function commandHubSources(opts: {hubFlags?: readonly string[]; projectFlag?: string; cwd?: string; requireProject?: boolean}): {
  sources: HubSource[]
  project: ProjectLocation | undefined
} {
  const cwd = opts.cwd ?? process.cwd()
  let project: ProjectLocation | undefined
  try {
    project = findProject(cwd, opts.projectFlag)
  } catch (error) {
    if (opts.requireProject || !(error instanceof LodeError && error.code === 'no_project')) throw error
  }
  const hubs = project ? readConfig(project.configPath).hubs : undefined
  if (hubs !== undefined && (!Array.isArray(hubs) || hubs.some((h) => typeof h !== 'string'))) {
    throw new LodeError('usage', `${project!.configPath}: "hubs" must be a list of folders or URLs`)
  }
  return {sources: hubSources({flags: opts.hubFlags, cwd, project: project ? {dir: project.dir, hubs} : undefined}), project}
}
