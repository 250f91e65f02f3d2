// function.yaml: its JSON Schema, and loading a function folder into a validated FunctionSpec.
import {existsSync, readFileSync, statSync} from '../util/fs.ts'
import {isAbsolute, join, normalize, sep} from 'node:path'
import YAML from 'yaml'
import {specialKindOf} from '../util/file-kind.ts'
import {UserError} from '../errors.ts'
import {yamlValue} from '../project/project-file.ts'
import type {JsonValue} from '../types.ts'
import {type JsonSchema, validateSchema} from './json-schema.ts'
import {type FunctionSpec, PARAM_TYPES, type ParamType} from './types.ts'

export const FUNCTION_FILE = 'function.yaml'

const IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_]*$'

const PARAMETER_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['name', 'type'],
  additionalProperties: false,
  properties: {
    name: {type: 'string', pattern: IDENTIFIER},
    type: {enum: PARAM_TYPES},
    default: {},
    doc: {type: 'string'},
  },
}

const INPUT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {name: {type: 'string', pattern: IDENTIFIER}, doc: {type: 'string'}},
}

const HANDLER_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: {type: 'string', pattern: IDENTIFIER},
    doc: {type: 'string'},
    parameters: {type: 'array', items: PARAMETER_SCHEMA},
    inputs: {type: 'array', items: INPUT_SCHEMA},
    outputs: {type: 'array', items: {type: 'string'}},
    param_prefixes: {type: 'array', items: {type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*_$'}},
  },
}

/** The JSON Schema of function.yaml (draft 2020-12 style; lode validates the subset it uses). */
export const FUNCTION_SPEC_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'lode function.yaml',
  type: 'object',
  required: ['name', 'version', 'kind', 'description', 'source', 'handlers'],
  additionalProperties: false,
  properties: {
    name: {type: 'string', pattern: '^[a-z][a-z0-9_-]*$'},
    version: {type: 'string', pattern: '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$'},
    kind: {enum: ['node', 'python', 'exec']},
    description: {type: 'string'},
    categories: {type: 'array', items: {type: 'string'}},
    source: {type: 'string'},
    default_handler: {type: 'string'},
    handlers: {type: 'array', minItems: 1, items: HANDLER_SCHEMA},
    requirements: {type: 'array', items: {type: 'string'}},
    license: {type: 'string'},
  },
}

/** Read, validate and check a function folder's function.yaml. Throws a UserError naming every problem. */
export function loadFunctionSpec(dir: string): FunctionSpec {
  const file = join(dir, FUNCTION_FILE)
  const special = specialKindOf(file)
  if (special) throw new UserError(`Cannot read ${file}: it is ${special}, not a file.`, 'A hub function folder holds function.yaml, its source and a README.md.')
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new UserError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, 'A hub function folder holds function.yaml, its source and a README.md.')
  }
  const spec = parseFunctionSpec(text, file)
  const problems = checkSourceFile(dir, spec.source)
  if (problems) throw invalid(file, [problems])
  return spec
}

/** Parse and validate function.yaml text (no file system checks). `file` names it in messages. */
export function parseFunctionSpec(text: string, file = FUNCTION_FILE): FunctionSpec {
  const doc = YAML.parseDocument(text)
  const yamlError = doc.errors[0]
  if (yamlError) {
    const pos = yamlError.linePos?.[0]
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file
    throw new UserError(`${where}: invalid YAML: ${yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, `Fix ${file} at line ${pos?.line ?? '?'}.`, {details: {line: pos?.line, col: pos?.col}})
  }
  const value = yamlValue(doc, file)
  const errors = validateSchema(FUNCTION_SPEC_SCHEMA, value)
  if (errors.length === 0) errors.push(...checkMeaning(value as RawSpec))
  if (errors.length > 0) throw invalid(file, errors)
  const raw = value as RawSpec
  return {
    name: raw.name,
    version: raw.version,
    kind: raw.kind,
    description: raw.description,
    categories: raw.categories ?? [],
    source: raw.source,
    default_handler: raw.default_handler ?? raw.handlers[0]!.name,
    handlers: raw.handlers.map((h) => ({
      name: h.name,
      ...(h.doc === undefined ? {} : {doc: h.doc}),
      parameters: h.parameters ?? [],
      inputs: h.inputs ?? [],
      outputs: h.outputs ?? [],
      ...(h.param_prefixes === undefined ? {} : {param_prefixes: h.param_prefixes}),
    })),
    requirements: raw.requirements ?? [],
    ...(raw.license === undefined ? {} : {license: raw.license}),
  }
}

type RawSpec = Omit<FunctionSpec, 'categories' | 'default_handler' | 'handlers' | 'requirements'> & {
  categories?: string[]
  default_handler?: string
  requirements?: string[]
  handlers: {name: string; doc?: string; parameters?: FunctionSpec['handlers'][number]['parameters']; inputs?: {name: string; doc?: string}[]; outputs?: string[]; param_prefixes?: string[]}[]
}

/** What the schema cannot say: unique names, defaults of the declared type, a default handler that exists. */
function checkMeaning(raw: RawSpec): string[] {
  const errors: string[] = []
  const names = raw.handlers.map((h) => h.name)
  raw.handlers.forEach((h, i) => {
    if (names.indexOf(h.name) !== i) errors.push(`handlers[${i}].name: duplicate handler ${JSON.stringify(h.name)}`)
    const seen = new Set<string>()
    for (const [j, p] of (h.parameters ?? []).entries()) {
      if (seen.has(p.name)) errors.push(`handlers[${i}].parameters[${j}].name: duplicate parameter ${JSON.stringify(p.name)}`)
      seen.add(p.name)
      if ('default' in p && !matchesType(p.default as JsonValue, p.type)) {
        errors.push(`handlers[${i}].parameters[${j}].default: must be ${typeWords[p.type]} (the declared type is ${p.type}), got ${JSON.stringify(p.default)}`)
      }
    }
    for (const [j, input] of (h.inputs ?? []).entries()) {
      if (seen.has(input.name)) errors.push(`handlers[${i}].inputs[${j}].name: ${JSON.stringify(input.name)} is already a parameter or input`)
      seen.add(input.name)
    }
  })
  if (raw.default_handler !== undefined && !names.includes(raw.default_handler)) {
    errors.push(`default_handler: ${JSON.stringify(raw.default_handler)} is not one of the handlers (${names.join(', ')})`)
  }
  return errors
}

const typeWords: Record<ParamType, string> = {
  str: 'a string',
  int: 'an integer',
  float: 'a number',
  bool: 'true or false',
  list: 'a list',
  dict: 'a mapping',
  any: 'any value',
}

/** null is accepted as the default of any type: "no value unless given". */
function matchesType(value: JsonValue, type: ParamType): boolean {
  if (value === null) return true
  switch (type) {
    case 'str':
      return typeof value === 'string'
    case 'int':
      return Number.isInteger(value)
    case 'float':
      return typeof value === 'number'
    case 'bool':
      return typeof value === 'boolean'
    case 'list':
      return Array.isArray(value)
    case 'dict':
      return typeof value === 'object' && !Array.isArray(value)
    case 'any':
      return true
  }
}

function checkSourceFile(dir: string, source: string): string | undefined {
  const rel = normalize(source)
  if (isAbsolute(source) || rel === '..' || rel.startsWith(`..${sep}`)) return `source: ${JSON.stringify(source)} must be a path inside the function folder`
  const path = join(dir, rel)
  if (!existsSync(path) || !statSync(path).isFile()) return `source: ${JSON.stringify(source)} does not exist in ${dir}`
  return undefined
}

function invalid(file: string, errors: string[]): UserError {
  return new UserError(`${file} is not a valid function spec:\n${errors.map((e) => `  ${e}`).join('\n')}`, 'See the function.yaml format in function-hub/README.md (lode hub show auto_trainer shows a valid one).', {details: {errors}})
}
