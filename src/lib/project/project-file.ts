// lode.yaml: finding the project, reading and writing its config.
import {existsSync, readFileSync, statSync} from '../util/fs.ts'
import {createRequire} from 'node:module'
import {dirname, join, resolve} from 'node:path'
import type YAML from 'yaml'
import {LodeError, UserError} from '../errors.ts'
import type {JsonValue} from '../types.ts'
import {excerpt, parseProblem, quoteName} from '../util/excerpt.ts'
import {safeIntegersAsNumbers, YAML_BIG_INTEGERS} from '../util/json-exact.ts'
import {specialKindOf} from '../util/file-kind.ts'

export const CONFIG_FILE = 'lode.yaml'

// `yaml` costs ~15 ms to load: load it only when a file must really be parsed or written.
const require = createRequire(import.meta.url)
export function loadYaml(): typeof YAML {
  return require('yaml') as typeof YAML
}
export const STORE_DIR = '.lode'

/**
 * A user's YAML file (lode.yaml, a workflow, params, secrets) parsed to plain values. Whatever goes wrong is bad
 * input (exit 2): a syntax error quoted as one short line (`quote: false` for files that hold secrets), an alias bomb
 * said to be one. `what` names the file ("Params file p.yaml"); `note` follows the verdict (" (nothing was run)").
 */
export function parseYaml(text: string, what: string, opts: {hint?: string; quote?: boolean; note?: string; bigIntegers?: boolean} = {}): unknown {
  // bigIntegers: an integer beyond 2^53 stays a BigInt (exact), for the param checks to refuse it
  const doc = loadYaml().parseDocument(text, opts.bigIntegers ? YAML_BIG_INTEGERS : {})
  if (doc.errors.length > 0) {
    // the parser's own words for this one name its API (parseAllDocuments), which the user never calls
    const problem = doc.errors[0]!.code === 'MULTIPLE_DOCS' ? `it holds more than one document (a "---" line ${/at line \d+/.exec(doc.errors[0]!.message)?.[0] ?? ''}); lode reads one` : parseProblem(doc.errors[0])
    throw new UserError(`${what} is not valid YAML${opts.note ?? ''}${opts.quote === false ? '.' : `: ${problem}`}`, opts.hint)
  }
  const value = yamlValue(doc, what, opts)
  return opts.bigIntegers ? safeIntegersAsNumbers(value) : value
}

/** A parsed YAML document's plain value; an alias bomb (aliases expanding past what lode reads) is bad input. */
export function yamlValue(doc: YAML.Document, what: string, opts: {hint?: string; note?: string} = {}): unknown {
  let value: unknown
  try {
    value = doc.toJS()
  } catch (error) {
    // toJS() throws when aliases expand to too much; anything else thrown is a bug and not caught here
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error
    // an alias whose anchor is set nowhere before it (`x: *b`) is a mistake of its own, not an alias bomb
    const unresolved = /^Unresolved alias .*: (.*)$/.exec(error.message)
    if (unresolved) {
      const name = excerpt(unresolved[1]!, 40)
      throw new UserError(`${what} uses the alias *${name}, but no anchor &${name} is set before it${opts.note ?? ''}.`, opts.hint ?? 'Set the anchor (&name) on a value above the alias, or write the value out.')
    }
    throw new UserError(`${what} uses too many aliases (*name)${opts.note ?? ''}: they would expand it past what lode reads.`, opts.hint ?? 'Write the values out, or use fewer aliases.')
  }
  // an alias inside the node it names (`x: &a [*a]`) gives a value that contains itself: every walk of it never ends
  if (containsItself(value)) throw new UserError(`${what} has an alias (*name) that refers to itself${opts.note ?? ''}: its value would contain itself.`, opts.hint ?? 'Write the values out, or point the alias at another node.')
  return value
}

/** Whether a value holds itself somewhere below (a cycle); shared, side-by-side references are fine. Not recursive. */
function containsItself(root: unknown): boolean {
  if (root === null || typeof root !== 'object') return false
  // depth-first with the path of open nodes: a child already open is a cycle
  const open = new Set<object>()
  const stack: Array<{node: object; children: unknown[]; next: number}> = [{node: root, children: Object.values(root), next: 0}]
  open.add(root)
  while (stack.length) {
    const top = stack[stack.length - 1]!
    if (top.next === top.children.length) {
      open.delete(top.node)
      stack.pop()
      continue
    }
    const child = top.children[top.next++]
    if (child === null || typeof child !== 'object') continue
    if (open.has(child)) return true
    open.add(child)
    stack.push({node: child, children: Object.values(child), next: 0})
  }
  return false
}

/** A function named in lode.yaml: a file, a command, or a hub function pulled into the project. */
export interface FunctionConfig {
  /** file relative to the project (node, python) */
  file?: string
  /** exec: the command, as an argv list or a string split on spaces (never through a shell) */
  command?: string[] | string
  kind?: 'node' | 'python' | 'exec'
  handler?: string
  python?: string
  /** hub functions pulled into the project */
  source?: string
  version?: string
  sha256?: string
  path?: string
  params?: Record<string, JsonValue>
  /** where it runs: `slurm`, or {name: slurm, partition, time, mem, cpus, gres, args} (executor/runtime-spec.ts) */
  runtime?: unknown
}

export interface ProjectConfig {
  name: string
  description?: string
  functions?: Record<string, FunctionConfig>
  workflows?: Record<string, unknown>
  hubs?: string[]
  python?: string
  [key: string]: unknown
}

export interface ProjectLocation {
  dir: string
  configPath: string
  storeDir: string
}

/** Walk up from `start` to the first folder holding lode.yaml. `explicit` (--project, LODE_PROJECT) wins. */
export function findProject(start: string, explicit?: string): ProjectLocation {
  if (explicit) {
    const dir = resolve(explicit)
    if (!existsSync(join(dir, CONFIG_FILE))) {
      throw new LodeError('no_project', `No lode project at ${dir} (no ${CONFIG_FILE} there).`, {
        hint: `Run: lode init ${explicit}`,
      })
    }
    return location(dir)
  }
  let dir = resolve(start)
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE))) return location(dir)
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  throw new LodeError('no_project', `No lode project here: no ${CONFIG_FILE} in ${resolve(start)} or any folder above it.`, {
    hint: 'Run: lode init   (or pass --project DIR, or set LODE_PROJECT)',
  })
}

function location(dir: string): ProjectLocation {
  return {dir, configPath: join(dir, CONFIG_FILE), storeDir: join(dir, STORE_DIR)}
}

/**
 * The parsed lode.yaml. The parse is cached in .lode/ by the file's modification time, size and inode, so that
 * commands do not pay for a YAML parser on every start.
 */
export function readConfig(configPath: string): ProjectConfig {
  const cachePath = join(dirname(configPath), STORE_DIR, 'config-cache.json')
  let stamp = ''
  try {
    const st = statSync(configPath, {bigint: true})
    stamp = `${st.mtimeNs}:${st.size}:${st.ino}`
    // only a plain file is read: anything else planted there (a FIFO) is passed over
    if (!statSync(cachePath).isFile()) throw new Error('not a file')
    const cached = JSON.parse(readFileSync(cachePath, 'utf8')) as {stamp: string; config: ProjectConfig}
    if (cached.stamp === stamp) return withOwnMaps(cached.config)
  } catch {
    /* no cache yet, or lode.yaml is missing (reported below) */
  }
  const config = withOwnMaps(parseConfig(configPath))
  if (stamp && existsSync(dirname(cachePath))) {
    try {
      writeFileAtomic(cachePath, JSON.stringify({stamp, config}))
    } catch {
      /* a read-only store still works, only slower */
    }
  }
  return config
}

/** The mappings of lode.yaml that are looked up by a name the user types. */
const NAMED_MAPS = ['functions', 'workflows', 'secrets'] as const

/**
 * Those mappings without a prototype, so that `lode run toString` looks for a function of that name and does not
 * find the method every object has.
 */
function withOwnMaps(config: ProjectConfig): ProjectConfig {
  for (const key of NAMED_MAPS) {
    const map = config[key]
    if (map !== null && typeof map === 'object' && !Array.isArray(map)) (config as Record<string, unknown>)[key] = ownMap(map as Record<string, unknown>)
  }
  return config
}

/** A copy of `map` with no prototype: a lookup finds only its own entries. */
export function ownMap<T>(map: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, map)
}

function parseConfig(configPath: string): ProjectConfig {
  // a FIFO would wait for a writer, /dev/zero never end
  const special = specialKindOf(configPath)
  if (special) throw new UserError(`${configPath} is ${special}, not a file.`, 'Make lode.yaml a plain file, or move it away and run: lode init')
  let text: string
  try {
    text = readFileSync(configPath, 'utf8')
  } catch (error) {
    throw new UserError(`Cannot read ${configPath}: ${(error as Error).message}`)
  }
  const doc = parseYaml(text, configPath, {hint: 'Fix the file, or move it away and run: lode init', bigIntegers: true})
  const big = bigIntegerAt(doc)
  if (big) {
    throw new UserError(`${configPath}: ${big.path} is ${big.value}, an integer beyond 2^53 that handlers would receive rounded (a JavaScript number cannot hold it).`,
      `Quote it to pass it as text: ${big.path.split('.').pop()}: "${big.value}"`)
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UserError(`${configPath} must be a mapping with at least "name:"`, 'Example:\n  name: my-project')
  }
  const config = doc as ProjectConfig
  if (typeof config.name !== 'string' || !/^[a-z0-9][a-z0-9_.-]*$/i.test(config.name)) {
    throw new UserError(`${configPath}: "name" must be a project name (letters, digits, '-', '_', '.'), got ${typeof config.name === 'string' ? quoteName(config.name) : excerpt(JSON.stringify(config.name) ?? 'nothing', 60)}`)
  }
  if (config.functions !== undefined && (typeof config.functions !== 'object' || config.functions === null || Array.isArray(config.functions))) {
    throw new UserError(`${configPath}: "functions" must be a mapping of name -> {file | command, ...}`)
  }
  return config
}

/** The first integer a double cannot hold (left a BigInt by parseYaml's bigIntegers) and where: "functions.p.params.x". */
function bigIntegerAt(root: unknown): {path: string; value: bigint} | null {
  const stack: Array<{value: unknown; path: string}> = [{value: root, path: ''}]
  while (stack.length) {
    const {value, path} = stack.pop()!
    if (typeof value === 'bigint') return {path, value}
    if (value === null || typeof value !== 'object') continue
    for (const [key, child] of Object.entries(value)) stack.push({value: child, path: path ? `${path}.${key}` : key})
  }
  return null
}

/** Edit lode.yaml in place, keeping the user's comments and order. */
export function updateConfig(configPath: string, edit: (doc: YAML.Document) => void): void {
  const special = specialKindOf(configPath)
  if (special) throw new UserError(`${configPath} is ${special}, not a file.`, 'Make lode.yaml a plain file, or move it away and run: lode init')
  const doc = loadYaml().parseDocument(readFileSync(configPath, 'utf8'))
  edit(doc)
  writeFileAtomic(configPath, doc.toString())
}

export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  // Imported lazily to keep this module light for the commands that only read.
  const fs = process.getBuiltinModule('node:fs')
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`
  fs.writeFileSync(tmp, text)
  fs.renameSync(tmp, path)
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
