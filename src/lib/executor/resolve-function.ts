// From what the user named (a file, FILE#HANDLER, a lode.yaml function, hub://, a command) to what to start.
import {existsSync, isFile, readFileSync, statSync} from '../util/fs.ts'
import {extname, isAbsolute, relative, resolve} from 'node:path'
import {NotFoundError, UserError} from '../errors.ts'
import type {FunctionConfig, ProjectConfig} from '../project/project-file.ts'
import type {FunctionKind, JsonValue, RuntimeSpec} from '../types.ts'
import {runtimeFromConfig} from './runtime-spec.ts'
import {hashBytes, hashFile} from '../util/hash.ts'
import {isInside, realPath} from '../util/inside.ts'
import {formatHubRef, isHubRef, parseFunctionRef} from '../uri/refs.ts'
import {checkHandlerName} from './handler-names.ts'
import {handlerCodeHash} from './code-hash.ts'
import {excerpt} from '../util/excerpt.ts'
import {specialKind} from '../util/file-kind.ts'

export interface ResolvedFunction {
  kind: FunctionKind
  /** how the run records it: a project-relative path, hub://name:version, or the command line */
  label: string
  /** node, python, and exec scripts */
  file: string | null
  handler: string | null
  /** exec: the argv */
  command: string[] | null
  codeHash: string
  python?: string
  /** default params from lode.yaml */
  params: Record<string, JsonValue>
  /** hub functions: name, version and package hash */
  hub?: {name: string; version: string; sha256: string; hub: string}
  /** declared parameters and inputs, when known (hub functions, pulled or not); other params are refused */
  parameters?: {name: string; type: string; default?: JsonValue; doc?: string}[]
  inputs?: string[]
  /** params named PREFIX<anything> that are accepted besides the declared ones */
  paramPrefixes?: string[]
  /** lode.yaml's `runtime:` for the function (a flag or a workflow step may say another) */
  runtime?: RuntimeSpec
}

export interface FunctionRequest {
  ref?: string
  handler?: string
  kind?: FunctionKind
  command?: string[]
  hubs?: string[]
}

const NODE_EXT = new Set(['.ts', '.mts', '.js', '.mjs'])

export function kindOfFile(file: string): FunctionKind | null {
  const ext = extname(file).toLowerCase()
  if (NODE_EXT.has(ext)) return 'node'
  if (ext === '.py') return 'python'
  if (ext === '.sh' || ext === '.bash') return 'exec'
  return null
}

export async function resolveFunction(projectDir: string, config: ProjectConfig, req: FunctionRequest): Promise<ResolvedFunction> {
  if (req.kind === 'exec' || (req.command && req.command.length > 0 && !req.ref)) {
    const argv = req.command ?? []
    if (argv.length === 0) throw new UserError('No command to run.', 'Example: lode run --kind exec -- make train')
    return execFunction(projectDir, argv, argv.join(' '), {})
  }
  if (!req.ref) throw new UserError('Name a function to run: a file (train.ts, train.py, build.sh), FILE#HANDLER, a function in lode.yaml, or hub://NAME.', 'Example: lode run train.ts#train -p epochs=3')

  if (isHubRef(req.ref)) {
    const {resolveHubRef, hubSources} = await import('../hub/index.ts')
    const hub = await resolveHubRef(req.ref, {sources: hubSources({flags: req.hubs, project: {dir: projectDir, hubs: config.hubs}})})
    const file = resolve(hub.dir, hub.spec.source)
    const handler = req.handler ?? hub.spec.default_handler ?? null
    const declared = hub.spec.handlers.find((h) => h.name === handler)
    if (handler && !declared) {
      throw new NotFoundError(`${formatHubRef(hub)} has no handler "${handler}". Handlers: ${hub.spec.handlers.map((h) => h.name).join(', ')}.`, `See: lode hub show ${hub.name}`)
    }
    return {
      kind: hub.spec.kind, label: formatHubRef(hub), file, handler, command: null, codeHash: hub.sha256, params: {},
      hub: {name: hub.name, version: hub.version, sha256: hub.sha256, hub: hub.hub},
      ...declaredBy(declared),
    }
  }

  // a --handler flag wins over FILE#HANDLER
  const {target: ref, handler: refHandler} = parseFunctionRef(req.ref)
  const handler = ref !== req.ref && !req.handler ? refHandler : (req.handler ?? null)

  const named = config.functions && Object.hasOwn(config.functions, ref) ? config.functions[ref] : undefined
  if (named && !existsSync(resolve(projectDir, ref))) {
    checkFunctionConfig(ref, named)
    const fnHandler = handler ?? named.handler ?? null
    const runtime = runtimeFromConfig(named.runtime, `lode.yaml: functions.${ref}`)
    if (named.command !== undefined) {
      const argv = Array.isArray(named.command) ? named.command.map(String) : splitCommandLine(String(named.command))
      return {...(await execFunction(projectDir, argv, ref, named.params ?? {})), ...(runtime ? {runtime} : {})}
    }
    const file = named.file
    if (!file) throw new UserError(`Function "${ref}" in lode.yaml has neither "file" nor "command".`)
    if (existsSync(resolve(projectDir, file)) && !isInside(projectDir, resolve(projectDir, file))) {
      throw new UserError(`lode.yaml: functions.${ref}.file (${file}) leads outside the project, to ${realPath(resolve(projectDir, file))}: lode does not follow project files out of the project.`,
        `Copy the file into the project, or run it by its own path: lode run ${realPath(resolve(projectDir, file))}`)
    }
    const resolved = await fileFunction(projectDir, file, fnHandler, named.kind)
    return {...resolved, label: named.source ?? resolved.label, python: named.python, params: named.params ?? {}, ...(await pulledDeclarations(projectDir, named, resolved.handler)), ...(runtime ? {runtime} : {})}
  }
  return fileFunction(projectDir, ref, handler, req.kind)
}

type HandlerDoc = import('../hub/types.ts').HandlerDoc

/** A function in lode.yaml whose fields have the wrong types is bad input, said here before any of them is used. */
function checkFunctionConfig(ref: string, named: FunctionConfig): void {
  const wrong = (field: string, what: string) => {
    const value = (named as Record<string, unknown>)[field]
    return new UserError(`lode.yaml: functions.${ref}.${field} must be ${what}, got ${excerpt(JSON.stringify(value) ?? String(value), 60)}.`,
      'Example:\n  functions:\n    train: {file: train.py, handler: train, params: {epochs: 3}}\n    build: {command: [make, build]}')
  }
  if (named === null || typeof named !== 'object' || Array.isArray(named)) {
    throw new UserError(`lode.yaml: functions.${ref} must be a mapping {file | command, ...}, got ${excerpt(JSON.stringify(named) ?? String(named), 60)}.`)
  }
  // the fields a run reads (version and sha256 are hub pull's records, not read here)
  for (const field of ['file', 'handler', 'python', 'source', 'path'] as const) {
    if (named[field] !== undefined && typeof named[field] !== 'string') throw wrong(field, 'a string')
  }
  if (named.kind !== undefined && !['node', 'python', 'exec'].includes(named.kind)) throw wrong('kind', 'node, python or exec')
  const {command} = named
  if (command !== undefined && typeof command !== 'string' &&
    !(Array.isArray(command) && command.length > 0 && command.every((a) => ['string', 'number', 'boolean'].includes(typeof a)))) {
    throw wrong('command', 'a command line or a list of its arguments')
  }
  if (named.params !== undefined && (named.params === null || typeof named.params !== 'object' || Array.isArray(named.params))) throw wrong('params', 'a mapping of name: value')
}

function declaredBy(h: HandlerDoc | undefined): Pick<ResolvedFunction, 'parameters' | 'inputs' | 'paramPrefixes'> {
  return {parameters: (h?.parameters ?? []) as ResolvedFunction['parameters'], inputs: (h?.inputs ?? []).map((i) => i.name), paramPrefixes: h?.param_prefixes ?? []}
}

/** A hub function pulled into the project declares its params in its function.yaml, like the hub's own copy. */
async function pulledDeclarations(projectDir: string, named: FunctionConfig, handler: string | null): Promise<Partial<ResolvedFunction>> {
  if (!named.source || !isHubRef(named.source) || !named.path || !existsSync(resolve(projectDir, named.path, 'function.yaml'))) return {}
  const {loadFunctionSpec} = await import('../hub/schema.ts')
  const spec = loadFunctionSpec(resolve(projectDir, named.path))
  const declared = spec.handlers.find((h) => h.name === (handler ?? spec.default_handler))
  if (!declared) throw new NotFoundError(`${named.source} (pulled into ${named.path}) has no handler "${handler}". Handlers: ${spec.handlers.map((h) => h.name).join(', ')}.`, `See: ${named.path}/function.yaml`)
  return declaredBy(declared)
}

/**
 * A command line split into arguments the way a shell splits words ('...', "...", backslash), with nothing else
 * of a shell: no variables, globs or substitutions. lode never runs a shell the user did not write.
 */
export function splitCommandLine(line: string): string[] {
  const args: string[] = []
  let current = ''
  let inWord = false
  let quote: '"' | "'" | null = null
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote) {
      if (c === quote) quote = null
      else if (c === '\\' && quote === '"' && i + 1 < line.length) current += line[++i]
      else current += c
    } else if (c === '"' || c === "'") {
      quote = c
      inWord = true
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[++i]
      inWord = true
    } else if (/\s/.test(c)) {
      if (inWord) args.push(current)
      current = ''
      inWord = false
    } else {
      current += c
      inWord = true
    }
  }
  if (quote) throw new UserError(`Unclosed ${quote} in command: ${line}`, 'Or give the command as a list: command: [prog, arg1, "arg two"]')
  if (inWord) args.push(current)
  return args
}

async function fileFunction(projectDir: string, ref: string, handler: string | null, kind?: FunctionKind): Promise<ResolvedFunction> {
  const file = isAbsolute(ref) ? ref : resolve(ref)
  const fromProject = resolve(projectDir, ref)
  const path = existsSync(file) ? file : existsSync(fromProject) ? fromProject : null
  if (!path) {
    throw new NotFoundError(`No such function file "${ref}", and no function named "${ref}" in lode.yaml.`, 'Give a path to a .ts, .mts, .js, .mjs, .py or .sh file, or hub://NAME.')
  }
  const st = statSync(path)
  if (st.isDirectory()) throw new UserError(`"${ref}" is a directory, not a handler file.`)
  // its code is read to hash it: a FIFO would wait for a writer (deaf to Ctrl-C meanwhile), a device would never end
  const special = specialKind(st)
  if (special) throw new UserError(`"${ref}" is ${special}, not a handler file.`, 'Give the path of a .ts, .mts, .js, .mjs, .py or .sh file.')
  const fileKind = kind ?? kindOfFile(path)
  if (!fileKind) {
    throw new UserError(`Cannot tell how to run "${ref}": lode runs .ts .mts .js .mjs (node), .py (python) and .sh (exec) files.`, 'For any other command: lode run --kind exec -- COMMAND ARGS...')
  }
  const label = relative(projectDir, path).startsWith('..') ? path : relative(projectDir, path)
  if (fileKind === 'exec') {
    // named as the project names it: the same script gives the same code hash wherever the project lies
    return execFunction(projectDir, [label], label, {})
  }
  if (handler) checkHandlerName(path, label, fileKind, handler)
  return {kind: fileKind, label, file: path, handler, command: null, codeHash: handlerCodeHash(path, fileKind, projectDir), params: {}}
}

async function execFunction(projectDir: string, argv: string[], label: string, params: Record<string, JsonValue>): Promise<ResolvedFunction> {
  const first = argv[0]!
  const script = resolve(projectDir, first)
  let codeHash = hashBytes(JSON.stringify(argv))
  let command = argv
  if (existsSync(script) && statSync(script).isFile() && (first.includes('/') || kindOfFile(first) === 'exec')) {
    codeHash = hashBytes(codeHash + (await hashFile(script)).sha256)
    const executable = (statSync(script).mode & 0o111) !== 0
    command = executable ? [script, ...argv.slice(1)] : ['bash', script, ...argv.slice(1)]
  }
  // `python3 train.py`, `bash build.sh`, `node prep.ts`: the script is an argument, and its code (with what it imports)
  // is the command's code as much as the program's name is
  for (const word of argv.slice(1)) {
    const kind = kindOfFile(word)
    const path = resolve(projectDir, word)
    if (!kind || !isFile(path) || !isInside(projectDir, path)) continue
    const sha = kind === 'exec' ? (await hashFile(path)).sha256 : handlerCodeHash(path, kind, projectDir)
    codeHash = hashBytes(`${codeHash}\0${word}\0${sha}`)
  }
  return {kind: 'exec', label, file: null, handler: null, command, codeHash, params}
}
