// A sweep's options from `lode run`'s flags (or a workflow step, or the library): the values to try, the strategy,
// the selector, the stop condition and the limits. Everything is checked before anything runs (exit 2).
import {availableParallelism} from 'node:os'
import {readFileSync} from '../util/fs.ts'
import {NotFoundError, UserError} from '../errors.ts'
import {capitalize, paramNameProblem} from '../executor/names.ts'
import {PARAM_VALUE_HINT, paramValueProblem} from '../executor/param-values.ts'
import {parseParamValue, readParamsFile, splitPair} from '../executor/params.ts'
import {QueryError} from '../query/error.ts'
import {MAX_LENGTH, parseExpression, type Expr} from '../query/parse.ts'
import {COLUMN_FIELDS, JSON_MAPS} from '../query/fields.ts'
import {tokenize} from '../query/tokenize.ts'
import type {HyperOptions, HyperStrategy, JsonValue} from '../types.ts'
import {specialKindOf} from '../util/file-kind.ts'
import {MAX_ITERATIONS} from './generate.ts'

export const STRATEGIES: readonly HyperStrategy[] = ['grid', 'list', 'random']
/** MLRun's default number of random iterations. */
export const DEFAULT_RANDOM_ITERATIONS = 10

/** What a caller gives: flags as text, or values from a workflow step or the library. */
export interface HyperRequest {
  hyperparams?: Record<string, JsonValue[]>
  /** --hyperparam K=[v1,v2] (repeatable) */
  hyperparamFlags?: string[]
  /** a YAML/JSON mapping of name: [values], or a CSV whose columns are params and rows iterations (list) */
  hyperFile?: string
  strategy?: string
  selector?: string
  stopCondition?: string
  maxErrors?: number | string
  parallel?: number | string
  maxIterations?: number | string
  seed?: number | string
}

/** Whether the request asks for a sweep at all. */
export function wantsSweep(r: HyperRequest): boolean {
  return Boolean(r.hyperFile || r.hyperparamFlags?.length || (r.hyperparams && Object.keys(r.hyperparams).length))
}

/** Sweep options without a sweep are a mistake worth saying. */
export function strayOptions(r: HyperRequest): string[] {
  const names: [keyof HyperRequest, string][] = [['strategy', '--strategy'], ['selector', '--selector'], ['stopCondition', '--stop-condition'],
    ['maxErrors', '--max-errors'], ['parallel', '--parallel'], ['maxIterations', '--max-iterations'], ['seed', '--seed']]
  return names.filter(([k]) => r[k] !== undefined).map(([, flag]) => flag)
}

export function hyperOptions(r: HyperRequest, params: Record<string, JsonValue>): HyperOptions {
  const fromFile = r.hyperFile ? readHyperFile(r.hyperFile) : {params: {}, csv: false}
  const values: Record<string, JsonValue[]> = Object.assign(Object.create(null) as Record<string, JsonValue[]>, fromFile.params)
  for (const [k, v] of Object.entries(r.hyperparams ?? {})) values[k] = checkValues(k, v, 'hyperparams')
  for (const [k, v] of Object.entries(parseHyperparamFlags(r.hyperparamFlags))) values[k] = v
  const both = Object.keys(values).filter((k) => Object.hasOwn(params, k)) // not `in`: every object has a constructor
  if (both.length) {
    throw new UserError(`Param${both.length > 1 ? 's' : ''} ${both.map((k) => `"${k}"`).join(', ')} given both as a param and as a hyperparam.`,
      'Give each name once: -p for a value every iteration gets, --hyperparam for the values to try.')
  }
  const strategy = parseStrategy(r.strategy ?? (fromFile.csv ? 'list' : 'grid'))
  if (strategy === 'list') {
    const lengths = Object.entries(values).map(([k, v]) => `${k}: ${v.length}`)
    if (new Set(Object.values(values).map((v) => v.length)).size > 1) {
      throw new UserError(`The list strategy takes the i-th value of every hyperparam for iteration i, so every list must be as long: ${lengths.join(', ')}.`,
        'Make the lists the same length, or use --strategy grid (every combination) or random.')
    }
  }
  const maxIterations = r.maxIterations === undefined ? null : positiveInt(r.maxIterations, '--max-iterations')
  if (maxIterations !== null && maxIterations > MAX_ITERATIONS) throw new UserError(`--max-iterations ${maxIterations} is more than the ${MAX_ITERATIONS} iterations a sweep runs.`, `Give --max-iterations ${MAX_ITERATIONS} or fewer.`)
  if (maxIterations !== null && strategy !== 'random') throw new UserError('--max-iterations applies to --strategy random only.', 'Add --strategy random, or drop --max-iterations.')
  const seed = r.seed === undefined ? null : nonNegativeInt(r.seed, '--seed')
  if (seed !== null && strategy !== 'random') throw new UserError('--seed applies to --strategy random only.', 'Add --strategy random, or drop --seed.')
  const stopCondition = r.stopCondition === undefined ? null : r.stopCondition
  if (stopCondition !== null) stopExpression(stopCondition, Object.keys(values))
  return {
    strategy, params: values, selector: r.selector === undefined ? null : parseSelector(r.selector), stopCondition,
    maxErrors: r.maxErrors === undefined ? null : nonNegativeInt(r.maxErrors, '--max-errors'),
    parallel: r.parallel === undefined ? availableParallelism() : positiveInt(r.parallel, '--parallel'),
    maxIterations: strategy === 'random' ? (maxIterations ?? DEFAULT_RANDOM_ITERATIONS) : null,
    seed: strategy === 'random' ? (seed ?? Math.floor(Math.random() * 2 ** 31)) : null,
  }
}

export function parseHyperparamFlags(pairs: string[] = []): Record<string, JsonValue[]> {
  const out = Object.create(null) as Record<string, JsonValue[]>
  for (const pair of pairs) {
    const [key, text] = splitPair(pair, 'hyperparam', 'KEY=[V1,V2,...]', 'Example: --hyperparam lr=[0.01,0.1] --hyperparam model=["tree","forest"]')
    if (key in out) throw new UserError(`Hyperparam "${key}" is given twice.`, `Give all its values in one list: --hyperparam ${key}=[V1,V2,...]`)
    out[key] = checkValues(key, parseParamValue(text), `--hyperparam ${pair.length > 60 ? `${pair.slice(0, 60)}...` : pair}`)
  }
  return out
}

function checkValues(key: string, value: unknown, where: string): JsonValue[] {
  const problem = paramNameProblem(key)
  if (problem) throw new UserError(`${capitalize(problem)} (${where}).`, 'Example: --hyperparam lr=[0.01,0.1]')
  if (!Array.isArray(value) || value.length === 0) {
    throw new UserError(`Hyperparam "${key}" needs a non-empty list of values to try (${where}).`, `Example: --hyperparam ${key}=[1,2,3] (JSON: strings in double quotes, ${key}=["a","b"])`)
  }
  const bad = paramValueProblem(key, value)
  if (bad) throw new UserError(`${capitalize(bad)} (${where}).`, PARAM_VALUE_HINT)
  return value as JsonValue[]
}

function readHyperFile(path: string): {params: Record<string, JsonValue[]>; csv: boolean} {
  if (!/\.csv$/i.test(path)) {
    const doc = readParamsFile(path, {noun: 'Hyperparams file', flag: '--hyper-file'})
    const params: Record<string, JsonValue[]> = {}
    for (const [k, v] of Object.entries(doc)) params[k] = checkValues(k, v, `in ${path}`)
    return {params, csv: false}
  }
  const special = specialKindOf(path)
  if (special) throw new UserError(`Hyperparams file ${path} is ${special}, not a file.`, 'Give a CSV, YAML or JSON file.')
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`No such hyperparams file: ${path}.`, 'Check the path given to --hyper-file.')
    throw new UserError(`Cannot read hyperparams file ${path}: ${(error as Error).message}`)
  }
  const rows = parseCsv(text.replace(/^\ufeff/, ''), path)
  const [header, ...body] = rows
  if (!header || header.cells.length === 0 || body.length === 0) throw new UserError(`Hyperparams file ${path} needs a header line of param names and one line per iteration.`, 'Example:\n  lr,depth\n  0.1,3\n  0.01,5')
  const names = header.cells
  const twice = names.find((n, i) => names.indexOf(n) !== i)
  if (twice !== undefined) throw new UserError(`Hyperparams file ${path} names column "${twice}" twice.`, 'Give each param one column.')
  const ragged = body.find((row) => row.cells.length !== names.length)
  if (ragged) {
    const n = ragged.cells.length
    throw new UserError(`Hyperparams file ${path} line ${ragged.line} has ${n} value${n === 1 ? '' : 's'}; the header names ${names.length} (${names.join(', ')}).`,
      'Give every line one value per column (an empty string as ""), or quote a value that holds a comma.')
  }
  const params: Record<string, JsonValue[]> = {}
  for (const [i, name] of names.entries()) params[name] = body.map((row) => parseParamValue(row.cells[i]!))
  for (const [k, v] of Object.entries(params)) checkValues(k, v, `in ${path}`)
  return {params, csv: true}
}

/** RFC 4180 lines: quoted cells may hold commas, quotes ("") and newlines. Blank lines are skipped. */
function parseCsv(text: string, path: string): {cells: string[]; line: number}[] {
  const rows: {cells: string[]; line: number}[] = []
  let row: string[] = []
  let cell = ''
  let quoted = 0 // the line a quoted cell opened on, 0 outside one
  let line = 1
  let rowLine = 1
  const endRow = () => {
    row.push(cell)
    if (row.some((x) => x !== '')) rows.push({cells: row, line: rowLine})
    row = []
    cell = ''
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++
      else if (c === '"') quoted = 0
      else cell += c
    } else if (c === '"') quoted = line
    else if (c === ',') (row.push(cell), (cell = ''))
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++, line++
      endRow()
      rowLine = line
    } else cell += c
  }
  if (quoted) throw new UserError(`Hyperparams file ${path}: a quoted value opened on line ${quoted} is not closed.`, 'Close it with a ", and write a " inside it as "".')
  endRow()
  return rows
}

function parseStrategy(text: string): HyperStrategy {
  if (!(STRATEGIES as readonly string[]).includes(text)) throw new UserError(`Unknown strategy "${text}": one of ${STRATEGIES.join(', ')}.`, 'grid tries every combination, list the i-th value of each, random --max-iterations picks.')
  return text as HyperStrategy
}

/** `max.accuracy`, `min.loss`, or a bare result name (max, as MLRun). */
export function parseSelector(text: string): {op: 'max' | 'min'; key: string} {
  const m = /^(?:(max|min)\.)?([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)$/.exec(text.trim())
  if (!m) throw new UserError(`Malformed --selector "${text}": expected max.RESULT or min.RESULT.`, 'Example: --selector max.accuracy, --selector min.loss')
  const head = text.trim().split('.')[0]!
  if (!m[1] && m[2]!.includes('.')) {
    throw new UserError(`Unknown --selector operation "${head}" in "${text}": max or min.`, `Example: --selector max.accuracy; for a result named "${m[2]}", --selector max.${m[2]}`)
  }
  return {op: (m[1] as 'max' | 'min' | undefined) ?? 'max', key: m[2]!}
}

/**
 * The stop condition as an expression of the query grammar over an iteration: a bare name is a result (`accuracy`), or
 * a param when it is one of the hyperparams; `results.X`, `params.X` and the run's columns are read as in --where.
 */
export function stopExpression(text: string, hyperKeys: string[]): Expr {
  const src = '--stop-condition'
  if (text.length > MAX_LENGTH) return parseExpression(text, {source: src})
  const tokens = tokenize(text, src)
  let out = ''
  let last = 0
  const added: {at: number; length: number}[] = []
  for (const t of tokens) {
    if (t.kind !== 'field') continue
    const path = t.value as string[]
    const head = path[0]!
    if ((JSON_MAPS as readonly string[]).includes(head) || ((COLUMN_FIELDS as readonly string[]).includes(head) && path.length === 1)) continue
    const prefix = hyperKeys.includes(head) ? 'params.' : 'results.'
    out += text.slice(last, t.col - 1) + prefix
    added.push({at: out.length, length: prefix.length})
    last = t.col - 1
  }
  out += text.slice(last)
  try {
    return parseExpression(out, {source: src})
  } catch (error) {
    if (!(error instanceof QueryError)) throw error
    // the column in the text as typed, without the prefixes added to bare names
    const shift = added.filter((a) => a.at < error.col).reduce((n, a) => n + a.length, 0)
    throw new QueryError(src, text, error.col - shift, error.what)
  }
}

function positiveInt(v: number | string, flag: string): number {
  const n = typeof v === 'number' ? v : /^\d+$/.test(v.trim()) ? Number(v) : NaN
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`${flag} takes a whole number of 1 or more, not "${v}".`)
  return n
}

function nonNegativeInt(v: number | string, flag: string): number {
  const n = typeof v === 'number' ? v : /^\d+$/.test(v.trim()) ? Number(v) : NaN
  if (!Number.isSafeInteger(n) || n < 0) throw new UserError(`${flag} takes a whole number of 0 or more, not "${v}".`)
  return n
}
