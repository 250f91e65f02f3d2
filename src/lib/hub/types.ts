// Types of the function hub: function.yaml as parsed, the packed hub's index.json, and resolved references.
import type {FunctionKind, JsonValue} from '../types.ts'

export type ParamType = 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict' | 'any'
export const PARAM_TYPES: readonly ParamType[] = ['str', 'int', 'float', 'bool', 'list', 'dict', 'any']

export interface HandlerParam {
  name: string
  type: ParamType
  /** absent: the parameter is required */
  default?: JsonValue
  doc?: string
}

export interface HandlerInput {
  name: string
  doc?: string
}

export interface HandlerDoc {
  name: string
  doc?: string
  parameters: HandlerParam[]
  inputs: HandlerInput[]
  /** keys the handler logs (artifacts or results) */
  outputs: string[]
  /** params named PREFIX<anything> the handler also takes (e.g. CLASS_ for a model class's own arguments) */
  param_prefixes?: string[]
}

/** function.yaml, validated. */
export interface FunctionSpec {
  name: string
  version: string
  kind: FunctionKind
  description: string
  categories: string[]
  /** relative to the function folder */
  source: string
  default_handler: string
  handlers: HandlerDoc[]
  requirements: string[]
  license?: string
}

/** index.json of a packed hub. */
export interface HubIndex {
  schema: 1
  functions: Record<string, HubIndexFunction>
}

export interface HubIndexFunction {
  description: string
  categories: string[]
  latest: string
  versions: Record<string, HubIndexVersion>
}

export interface HubIndexVersion {
  /** the package, relative to index.json */
  file: string
  sha256: string
  size: number
  kind: FunctionKind
  handlers: string[]
}

/** Where functions come from: a folder of function folders, a packed hub folder, or a packed hub's URL. */
export type HubSource =
  | {type: 'folder'; dir: string}
  | {type: 'packed'; dir: string}
  | {type: 'url'; url: string}

/** One version of one function, as a source offers it. */
export interface HubVersion {
  name: string
  version: string
  kind: FunctionKind
  description: string
  categories: string[]
  handlers: string[]
  sha256: string
  size: number
  /** the source, as shown to users */
  hub: string
  /** the package bytes (.tgz) */
  load(): Promise<Buffer>
}

/** A function with every version the sources offer, newest first. */
export interface HubFunction {
  name: string
  description: string
  categories: string[]
  latest: string
  kind: FunctionKind
  versions: HubVersion[]
}

/** hub://name:version, resolved to an extracted read-only copy in the local cache. */
export interface ResolvedHubFunction {
  name: string
  version: string
  sha256: string
  /** the extracted package in the cache (read-only) */
  dir: string
  spec: FunctionSpec
  /** absolute path of the function's source file inside `dir` */
  sourceFile: string
  hub: string
}
