// Params from the command line and files: JSON where it parses, strings otherwise; checked against declared ones.
import {readFileSync} from '../util/fs.ts'
import {NotFoundError, UserError} from '../errors.ts'
import {parseYaml} from '../project/project-file.ts'
import type {JsonValue} from '../types.ts'
import {closest} from '../util/words.ts'
import {parseProblem} from '../util/excerpt.ts'
import {specialKindOf} from '../util/file-kind.ts'
import {parseJsonBigIntegers} from '../util/json-exact.ts'
import {capitalize, paramNameProblem} from './names.ts'
import {PARAM_VALUE_HINT, paramValueProblem} from './param-values.ts'
import type {ResolvedFunction} from './resolve-function.ts'

export function parseParamValue(text: string): JsonValue {
  const t = text.trim()
  if (t === '') return ''
  // Only JSON that is a number, boolean, null, array or object; a bare word stays a string.
  if (/^(-?\d|\[|\{|true$|false$|null$|")/.test(t)) {
    try {
      return parseJsonBigIntegers(t) as JsonValue
    } catch {
      /* a string after all */
    }
  }
  return text
}

/** KEY=VALUE -> [KEY, VALUE], with the flag's own wording in the error. */
export function splitPair(pair: string, what: string, form = 'KEY=VALUE', hint?: string): [string, string] {
  const eq = pair.indexOf('=')
  if (eq <= 0) throw new UserError(`Malformed ${what} "${pair}": expected ${form}.`, hint)
  return [pair.slice(0, eq), pair.slice(eq + 1)]
}

export function parseParamFlags(pairs: string[] = []): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {}
  for (const pair of pairs) {
    const [key, value] = splitPair(pair, 'param', 'KEY=VALUE', 'Example: -p epochs=10 -p layers=[64,32] -p name=baseline')
    const problem = paramNameProblem(key)
    if (problem) throw new UserError(`${capitalize(problem)}.`, 'Example: -p epochs=10')
    out[key] = checkedValue(key, parseParamValue(value), ` (-p ${pair.length > 60 ? `${pair.slice(0, 60)}...` : pair})`)
  }
  return out
}

/** A YAML or JSON file of name: value; `as` names it in messages (a --hyper-file is read here too). */
export function readParamsFile(path: string, as: {noun: string; flag: string} = {noun: 'Params file', flag: '--params-file'}): Record<string, JsonValue> {
  let text: string
  const special = specialKindOf(path)
  if (special) throw new UserError(`${as.noun} ${path} is ${special}, not a file.`, 'Give a YAML or JSON file.')
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`No such ${as.noun.toLowerCase()}: ${path}.`, `Check the path given to ${as.flag}.`)
    throw new UserError(`Cannot read ${as.noun.toLowerCase()} ${path}: ${(error as Error).message}`)
  }
  let doc: unknown
  if (path.endsWith('.json')) {
    try {
      doc = parseJsonBigIntegers(text)
    } catch (error) {
      throw new UserError(`${as.noun} ${path} is not valid JSON: ${parseProblem(error)}`)
    }
  } else {
    doc = parseYaml(text, `${as.noun} ${path}`, {bigIntegers: true})
  }
  if (doc === null || doc === undefined) return {}
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UserError(`${as.noun} ${path} must hold a mapping of name: value.`)
  for (const [key, value] of Object.entries(doc)) {
    const problem = paramNameProblem(key)
    if (problem) throw new UserError(`${as.noun} ${path}: ${problem}.`)
    checkedValue(key, value, ` (in ${as.noun.toLowerCase()} ${path})`)
  }
  return doc as Record<string, JsonValue>
}

function checkedValue(name: string, value: unknown, where: string): JsonValue {
  const problem = paramValueProblem(name, value)
  if (problem) throw new UserError(`${capitalize(problem)}${where}.`, PARAM_VALUE_HINT)
  return value as JsonValue
}

function refuseUndeclared(fn: ResolvedFunction, declared: NonNullable<ReturnType<typeof declaredParameters>>, params: Record<string, JsonValue>): void {
  const names = [...declared.parameters.map((p) => p.name), ...(fn.inputs ?? [])]
  const unknown = Object.keys(params).filter((k) => !names.includes(k) && !declared.prefixes.some((prefix) => k.startsWith(prefix)))
  if (unknown.length === 0) return
  const what = `${fn.label}${fn.handler ? ` --handler ${fn.handler}` : ''}`
  const guesses = unknown.map((k) => {
    const guess = closest(k, names) ?? declared.prefixes.map((prefix) => `${prefix}${k}`)[0]
    return guess ? `-p ${guess}=... for ${k}` : null
  }).filter(Boolean)
  const takes = [...names, ...declared.prefixes.map((p) => `${p}*`)]
  throw new UserError(`Unknown param${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} for ${what}: it takes ${takes.length ? takes.join(', ') : 'no params'}.`,
    `${guesses.length ? `Did you mean ${guesses.join(', ')}? ` : ''}See its parameters: lode run ${what} --help`)
}

export function parseLabelFlags(pairs: string[] = []): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of pairs) {
    const [key, value] = splitPair(pair, 'label')
    out[key] = value
  }
  return out
}

/**
 * The params a function declares, when known: hub functions and hub functions pulled into the project (their
 * function.yaml). Undefined: anything goes (the handler's own code decides).
 * Call point for Python handlers: the signature read by src/lib/runtimes/python-signature.ts belongs here, as
 * `fn.parameters` (and `paramPrefixes: []` unless the function takes **kwargs, which accepts any name).
 */
export function declaredParameters(fn: ResolvedFunction): {parameters: NonNullable<ResolvedFunction['parameters']>; prefixes: string[]} | undefined {
  return fn.parameters ? {parameters: fn.parameters, prefixes: fn.paramPrefixes ?? []} : undefined
}

/**
 * Apply declared defaults and types. An undeclared param, a required param or a declared input that was not given
 * is an error before the run starts.
 */
export function applyParameterSpec(fn: ResolvedFunction, params: Record<string, JsonValue>, inputs: Record<string, string> = {}): Record<string, JsonValue> {
  const declared = declaredParameters(fn)
  if (!declared) return params
  refuseUndeclared(fn, declared, params)
  const missing = [
    ...declared.parameters.filter((p) => !('default' in p) && !(p.name in params)).map((p) => `param ${p.name} (-p ${p.name}=...)`),
    ...(fn.inputs ?? []).filter((name) => !(name in inputs) && !(name in params)).map((name) => `input ${name} (-i ${name}=...)`),
  ]
  if (missing.length) {
    throw new UserError(`${fn.label}${fn.handler ? ` --handler ${fn.handler}` : ''} needs ${missing.join(', ')}.`, `See its parameters: lode run ${fn.label}${fn.handler ? ` --handler ${fn.handler}` : ''} --help`)
  }
  const out = {...params}
  for (const p of declared.parameters) {
    if (!(p.name in out)) {
      if (p.default !== undefined) out[p.name] = p.default
      continue
    }
    const v = out[p.name]
    if (p.type === 'str' && v !== null && typeof v !== 'string') out[p.name] = typeof v === 'object' ? JSON.stringify(v) : String(v)
    if ((p.type === 'int' || p.type === 'float') && typeof v === 'string') {
      const n = Number(v)
      if (!Number.isFinite(n)) throw new UserError(`Param ${p.name} must be a number (${p.type}), got ${JSON.stringify(v)}.`)
      out[p.name] = n
    }
    if (p.type === 'list' && typeof v === 'string') out[p.name] = v.split(',').map((s) => s.trim()).filter(Boolean)
  }
  return out
}
