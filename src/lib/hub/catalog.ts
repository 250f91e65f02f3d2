// Reading hub sources into one catalog: every function with every version, newest first.
import {readFile, stat} from '../util/fs.ts'
import {join} from 'node:path'
import {LodeError, NotFoundError, UserError} from '../errors.ts'
import {type FunctionPackage, functionFolders, INDEX_FILE, packFunction, parseIndex} from './pack.ts'
import {loadFunctionSpec} from './schema.ts'
import {canonicalName} from './names.ts'
import {compareVersions} from './semver.ts'
import {describeSource} from './sources.ts'
import type {FunctionSpec, HubFunction, HubIndex, HubSource, HubVersion} from './types.ts'
import {isDirectory} from '../project/project-file.ts'
import {specialKind} from '../util/file-kind.ts'

export interface ListOptions {
  /** a function that cannot be read is skipped with a warning, not fatal to the whole listing */
  onWarning?: (message: string) => void
}

/**
 * Every function the sources offer. Earlier sources win for the same name and version; a function's
 * versions are merged across sources.
 */
export async function listHub(sources: readonly HubSource[], opts: ListOptions = {}): Promise<HubFunction[]> {
  const warn = opts.onWarning ?? ((m: string) => process.stderr.write(`Warning: ${m}\n`))
  const byName = new Map<string, Map<string, HubVersion>>()
  for (const source of sources) {
    for (const v of await readSource(source, warn)) {
      const key = canonicalName(v.name)
      const versions = byName.get(key) ?? new Map<string, HubVersion>()
      if (!versions.has(v.version)) versions.set(v.version, v)
      byName.set(key, versions)
    }
  }
  const functions: HubFunction[] = []
  for (const versions of byName.values()) {
    const sorted = [...versions.values()].sort((a, b) => compareVersions(b.version, a.version))
    const latest = sorted[0]!
    functions.push({name: latest.name, description: latest.description, categories: latest.categories, latest: latest.version, kind: latest.kind, versions: sorted})
  }
  return functions.sort((a, b) => (a.name < b.name ? -1 : 1))
}

/** One function of the catalog by name ('-' and '_' alike), or NotFound naming what exists. */
export function findFunction(functions: readonly HubFunction[], name: string, sources: readonly HubSource[]): HubFunction {
  const fn = functions.find((f) => canonicalName(f.name) === canonicalName(name))
  if (fn) return fn
  const where = sources.map(describeSource).join(', ')
  throw new LodeError('not_found', `No hub function ${JSON.stringify(name)} in ${where || 'any hub'}.`, {hint: 'Run: lode hub ls'})
}

export async function readSource(source: HubSource, warn: (m: string) => void): Promise<HubVersion[]> {
  switch (source.type) {
    case 'folder':
      return readFolderSource(source.dir, warn)
    case 'packed': {
      const indexPath = join(source.dir, INDEX_FILE)
      const index = parseIndex((await readCapped(indexPath, MAX_INDEX)).toString('utf8'), indexPath)
      return indexVersions(index, source.dir, (file) => readCapped(join(source.dir, file), MAX_PACKAGE))
    }
    case 'url': {
      const indexUrl = source.url.endsWith('.json') ? new URL(source.url) : new URL(INDEX_FILE, source.url.endsWith('/') ? source.url : `${source.url}/`)
      const index = parseIndex((await fetchBytes(indexUrl, MAX_INDEX)).toString('utf8'), indexUrl.href)
      return indexVersions(index, source.url, (file) => fetchBytes(new URL(file, indexUrl), MAX_PACKAGE))
    }
  }
}

/**
 * A folder of function folders: one version each. Its sha256 is that of its deterministic package,
 * packed only when asked for (listing reads function.yaml alone).
 */
function readFolderSource(dir: string, warn: (m: string) => void): HubVersion[] {
  if (!isDirectory(dir)) throw new NotFoundError(`Hub folder not found: ${dir}`, 'Check --hub, LODE_HUB and the hubs: list in lode.yaml.')
  const versions: HubVersion[] = []
  for (const folder of functionFolders(dir)) {
    let spec: FunctionSpec
    try {
      spec = loadFunctionSpec(folder)
    } catch (error) {
      if (!(error instanceof LodeError)) throw error
      warn(`skipping ${folder}: ${error.message}`)
      continue
    }
    let pkg: FunctionPackage | undefined
    const packed = (): FunctionPackage => (pkg ??= packFunction(folder))
    versions.push({
      name: spec.name,
      version: spec.version,
      kind: spec.kind,
      description: spec.description,
      categories: spec.categories,
      handlers: spec.handlers.map((h) => h.name),
      get sha256() {
        return packed().sha256
      },
      get size() {
        return packed().size
      },
      hub: dir,
      load: async () => packed().bytes,
    })
  }
  return versions
}

function indexVersions(index: HubIndex, hub: string, load: (file: string) => Promise<Buffer>): HubVersion[] {
  const versions: HubVersion[] = []
  for (const [name, fn] of Object.entries(index.functions)) {
    for (const [version, v] of Object.entries(fn.versions)) {
      // A package is a file next to index.json, never a path elsewhere.
      if (!/^[A-Za-z0-9_.-]+\.tgz$/.test(v.file)) throw new LodeError('integrity', `${hub}: functions.${name}.versions.${version}.file must be a .tgz file name next to index.json, got ${JSON.stringify(v.file)}`)
      versions.push({
        name,
        version,
        kind: v.kind,
        description: fn.description,
        categories: fn.categories ?? [],
        handlers: v.handlers ?? [],
        sha256: v.sha256,
        size: v.size,
        hub,
        load: () => load(v.file),
      })
    }
  }
  return versions
}

// What a hub may hand lode to hold in memory: an index, and a package (never larger than what it may unpack to).
const MAX_INDEX = 16 * 1024 * 1024
const MAX_PACKAGE = 200 * 1024 * 1024 // extract.ts's DEFAULT_LIMITS.maxTotalSize (not imported: it loads tar)

function tooLarge(where: string, max: number): LodeError {
  return new LodeError('integrity', `${where} is larger than ${max} bytes: refused.`, {hint: 'The hub is damaged or hostile: use another hub.'})
}

async function readCapped(path: string, max: number): Promise<Buffer> {
  const st = await stat(path)
  // a FIFO would wait for a writer, a device never end
  const special = specialKind(st)
  if (special) throw new LodeError('integrity', `${path} is ${special}, not a file: refused.`, {hint: 'The hub is damaged or hostile: use another hub.'})
  if (st.size > max) throw tooLarge(path, max)
  return readFile(path)
}

/** LODE_HUB_TIMEOUT_MS (default 8 s): how long a hub may take to answer, or stay silent in the middle of a download. */
function hubTimeoutMs(): number {
  const raw = process.env.LODE_HUB_TIMEOUT_MS
  if (raw === undefined || raw.trim() === '') return 8_000
  const ms = Number(raw)
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new UserError(`LODE_HUB_TIMEOUT_MS must be a positive number of milliseconds, got ${JSON.stringify(raw)}.`, 'Unset it to use the default (8000), or set e.g. LODE_HUB_TIMEOUT_MS=20000.')
  }
  return ms
}

// Past the first timeout a download must average this much: a server trickling bytes cannot hold lode for ever, while
// a large package on a slow but working link still arrives.
const MIN_BYTES_PER_SECOND = 16 * 1024

async function fetchBytes(url: URL, max: number): Promise<Buffer> {
  const timeout = hubTimeoutMs()
  const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`
  const controller = new AbortController()
  const started = Date.now()
  let answered = false
  let lastData = started
  let received = 0
  let why: string | undefined
  const watch = setInterval(() => {
    const now = Date.now()
    if (now - lastData >= timeout) why = answered ? `no data for ${seconds(timeout)}` : `no answer within ${seconds(timeout)}`
    else if (now - started >= timeout && received < ((now - started) / 1000) * MIN_BYTES_PER_SECOND) {
      why = `too slow: ${received} bytes in ${seconds(now - started)} (at least ${MIN_BYTES_PER_SECOND / 1024} KiB/s is needed)`
    }
    if (why) controller.abort()
  }, Math.min(250, timeout / 4))
  const failed = (error: unknown): LodeError => {
    if (error instanceof LodeError) return error
    const cause = (error as Error & {cause?: Error}).cause?.message
    return new LodeError('external', `Cannot fetch ${url.href}: ${why ?? `${(error as Error).message}${cause ? ` (${cause})` : ''}`}`, {
      hint: `Check the hub URL and your network. LODE_HUB_TIMEOUT_MS sets how long a hub may stay silent (now ${timeout} ms).`,
    })
  }
  try {
    let response: Response
    try {
      response = await fetch(url, {signal: controller.signal, redirect: 'follow'})
    } catch (error) {
      throw failed(error)
    }
    answered = true
    lastData = Date.now()
    if (!response.ok) {
      throw new LodeError(response.status === 404 ? 'not_found' : 'external', `Cannot fetch ${url.href}: HTTP ${response.status} ${response.statusText}`, {hint: 'Check the hub URL.'})
    }
    if (Number(response.headers.get('content-length') ?? 0) > max) throw tooLarge(url.href, max)
    const chunks: Buffer[] = []
    try {
      for await (const chunk of response.body ?? []) {
        received += chunk.length
        lastData = Date.now()
        if (received > max) throw tooLarge(url.href, max)
        chunks.push(Buffer.from(chunk))
      }
    } catch (error) {
      throw failed(error)
    }
    return Buffer.concat(chunks)
  } finally {
    clearInterval(watch)
    controller.abort() // a refused or failed download leaves no connection open
  }
}
