// The V2 inference protocol (KServe's and MLRun's): a request's named, typed, shaped inputs checked and turned into
// rows in the model's feature order, and a prediction turned into typed, shaped outputs. Pure: no I/O.
import type {LabelValue, ModelInfo, Prediction} from './types.ts'

/** A request the client got wrong: HTTP 400 (or `status`) with this message. */
export class BadRequest extends Error {
  readonly status: number
  constructor(message: string, status = 400) {
    super(message)
    this.name = 'BadRequest'
    this.status = status
  }
}

const NUMERIC = new Set(['UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BOOL'])
const DATATYPES = new Set([...NUMERIC, 'BYTES'])

export const OUTPUT_PREDICT = 'predict'
export const OUTPUT_PROBA = 'predict_proba'

export interface InferRequest {
  id?: string
  rows: number[][]
  /** output names asked for, in order */
  outputs: string[]
}

interface Tensor {
  name: string
  shape: number[]
  datatype: string
  data: unknown
}

/** Parse and check an infer request's body (already JSON-parsed) against the model. */
export function parseInferRequest(body: unknown, model: ModelInfo): InferRequest {
  if (!isObject(body)) throw new BadRequest('The body must be a JSON object with "inputs": [{"name", "shape", "datatype", "data"}].')
  if (body.id !== undefined && typeof body.id !== 'string') throw new BadRequest('"id" must be a string.')
  if (!Array.isArray(body.inputs) || body.inputs.length === 0) throw new BadRequest('"inputs" must be a non-empty list of tensors {"name", "shape", "datatype", "data"}.')
  const tensors = body.inputs.map((t, i) => checkTensor(t, i))
  const rows = tensors.length === 1 && tensors[0]!.shape.length === 2 ? matrixRows(tensors[0]!, model) : columnRows(tensors, model)
  return {id: body.id as string | undefined, rows, outputs: requestedOutputs(body.outputs, model)}
}

function checkTensor(t: unknown, i: number): Tensor {
  if (!isObject(t)) throw new BadRequest(`inputs[${i}] must be an object {"name", "shape", "datatype", "data"}.`)
  const where = typeof t.name === 'string' && t.name ? `input "${t.name}"` : `inputs[${i}]`
  if (typeof t.name !== 'string' || !t.name) throw new BadRequest(`inputs[${i}] needs a "name" (a non-empty string).`)
  if (!Array.isArray(t.shape) || t.shape.length === 0 || !t.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw new BadRequest(`${where}: "shape" must be a list of non-negative integers, e.g. [1, 30].`)
  }
  if (typeof t.datatype !== 'string' || !DATATYPES.has(t.datatype)) {
    throw new BadRequest(`${where}: "datatype" must be one of ${[...DATATYPES].join(', ')}; got ${JSON.stringify(t.datatype ?? null)}.`)
  }
  if (t.datatype === 'BYTES') throw new BadRequest(`${where}: the model takes numbers; BYTES (text) inputs cannot be fed to it.`)
  if (!Array.isArray(t.data)) throw new BadRequest(`${where}: "data" must be a list (flat in row-major order, or nested as the shape).`)
  return {name: t.name, shape: t.shape as number[], datatype: t.datatype, data: t.data}
}

/** The tensor's elements, flat in row-major order, checked against its shape and datatype. */
function flatNumbers(t: Tensor): number[] {
  const count = t.shape.reduce((a, b) => a * b, 1)
  const flat = (t.data as unknown[]).some(Array.isArray) ? flatten(t.data as unknown[], t.shape, 0, t.name) : (t.data as unknown[])
  if (flat.length !== count) throw new BadRequest(`input "${t.name}": shape [${t.shape.join(', ')}] holds ${count} values, but "data" has ${flat.length}.`)
  return flat.map((v, i) => element(t, v, i))
}

function flatten(data: unknown[], shape: number[], depth: number, name: string): unknown[] {
  if (depth === shape.length - 1) {
    if (data.some(Array.isArray)) throw new BadRequest(`input "${name}": "data" is nested deeper than its shape [${shape.join(', ')}].`)
    return data
  }
  if (data.length !== shape[depth]) throw new BadRequest(`input "${name}": dimension ${depth} of "data" has ${data.length} entries, but the shape says ${shape[depth]}.`)
  const out: unknown[] = []
  for (const d of data) {
    if (!Array.isArray(d)) throw new BadRequest(`input "${name}": "data" nests unevenly; give it flat, or nested exactly as the shape [${shape.join(', ')}].`)
    for (const v of flatten(d, shape, depth + 1, name)) out.push(v)
  }
  return out
}

function element(t: Tensor, v: unknown, i: number): number {
  if (t.datatype === 'BOOL') {
    if (typeof v !== 'boolean') throw new BadRequest(`input "${t.name}": element ${i} is ${JSON.stringify(v)}, not a boolean (datatype BOOL).`)
    return v ? 1 : 0
  }
  // JSON.parse reads 1e400 as Infinity, which JSON.stringify would then show as null
  if (typeof v === 'number' && !Number.isFinite(v)) throw new BadRequest(`input "${t.name}": element ${i} is beyond the range of a 64-bit float (about ±1.8e308; datatype ${t.datatype}).`)
  if (typeof v !== 'number') throw new BadRequest(`input "${t.name}": element ${i} is ${describe(v)}, not a number (datatype ${t.datatype}).`)
  if (t.datatype.includes('INT') && !Number.isInteger(v)) throw new BadRequest(`input "${t.name}": element ${i} is ${v}, not an integer (datatype ${t.datatype}); send FP64 for fractions.`)
  if (t.datatype.startsWith('UINT') && v < 0) throw new BadRequest(`input "${t.name}": element ${i} is ${v}, negative in an unsigned datatype ${t.datatype}.`)
  const range = INT_RANGES[t.datatype]
  if (range && (v < range[0] || v > range[1])) {
    throw new BadRequest(`input "${t.name}": element ${i} is ${v}, outside ${t.datatype}'s range ${range[0]}..${range[1]}; send a wider datatype (INT64, FP64).`)
  }
  return v
}

// The integer datatypes narrower than JavaScript's exact integers: a value outside one is a client's mistake
const INT_RANGES: Record<string, readonly [number, number]> = {
  INT8: [-128, 127], INT16: [-32768, 32767], INT32: [-2147483648, 2147483647],
  UINT8: [0, 255], UINT16: [0, 65535], UINT32: [0, 4294967295],
}

function describe(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v)
  return text.length > 40 ? `${text.slice(0, 40)}...` : text
}

/** One tensor [N, F]: N rows of the model's F features. */
function matrixRows(t: Tensor, model: ModelInfo): number[][] {
  const [n, f] = t.shape as [number, number]
  if (model.features !== null && f !== model.features) {
    throw new BadRequest(`input "${t.name}" has shape [${n}, ${f}], but the model takes ${model.features} features a row: send shape [N, ${model.features}].`)
  }
  const flat = flatNumbers(t)
  const rows: number[][] = []
  for (let r = 0; r < n; r++) rows.push(flat.slice(r * f, (r + 1) * f))
  return rows
}

/** One tensor per feature, named as the model's features, each of shape [N] or [N, 1]. */
function columnRows(tensors: Tensor[], model: ModelInfo): number[][] {
  const names = model.featureNames
  if (!names) {
    throw new BadRequest(`Send one input of shape [N, ${model.features ?? 'F'}] (the model does not name its features, so one input per feature cannot be matched).`)
  }
  const byName = new Map<string, Tensor>()
  for (const t of tensors) {
    if (byName.has(t.name)) throw new BadRequest(`input "${t.name}" is given twice.`)
    if (!names.includes(t.name)) throw new BadRequest(`input "${t.name}" is not one of the model's features (${preview(names)}); or send one input of shape [N, ${names.length}].`)
    if (!(t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1))) throw new BadRequest(`input "${t.name}": a feature's shape is [N] or [N, 1], not [${t.shape.join(', ')}].`)
    byName.set(t.name, t)
  }
  const missing = names.filter((n) => !byName.has(n))
  if (missing.length) throw new BadRequest(`Missing input${missing.length > 1 ? 's' : ''} for feature${missing.length > 1 ? 's' : ''} ${preview(missing)}: the model takes ${names.length} features.`)
  const columns = names.map((n) => flatNumbers(byName.get(n)!))
  const n = columns[0]!.length
  if (columns.some((c) => c.length !== n)) throw new BadRequest('Every feature input must have the same number of rows.')
  const rows: number[][] = []
  for (let r = 0; r < n; r++) rows.push(columns.map((c) => c[r]!))
  return rows
}

function preview(names: string[]): string {
  const shown = names.slice(0, 8).map((n) => `"${n}"`).join(', ')
  return names.length > 8 ? `${shown}, ... ${names.length - 8} more` : shown
}

function requestedOutputs(outputs: unknown, model: ModelInfo): string[] {
  if (outputs === undefined) return [OUTPUT_PREDICT]
  const available = availableOutputs(model)
  if (!Array.isArray(outputs) || outputs.some((o) => !isObject(o) || typeof o.name !== 'string')) throw new BadRequest('"outputs" must be a list of {"name": ...}.')
  const names = (outputs as {name: string}[]).map((o) => o.name)
  for (const n of names) if (!available.includes(n)) throw new BadRequest(`Unknown output "${n}": this model gives ${available.map((a) => `"${a}"`).join(', ')}.`)
  return names.length ? names : [OUTPUT_PREDICT]
}

export function availableOutputs(model: ModelInfo): string[] {
  return model.hasProba ? [OUTPUT_PREDICT, OUTPUT_PROBA] : [OUTPUT_PREDICT]
}

/** The V2 datatype of label values: INT64, FP64, BOOL or BYTES. */
export function datatypeOf(values: readonly LabelValue[]): string {
  if (values.length && values.every((v) => typeof v === 'boolean')) return 'BOOL'
  if (values.every((v) => typeof v === 'number')) return values.every((v) => Number.isInteger(v)) ? 'INT64' : 'FP64'
  return 'BYTES'
}

export function inferResponse(model: ModelInfo, request: InferRequest, p: Prediction): Record<string, unknown> {
  const outputs = request.outputs.map((name) => {
    if (name === OUTPUT_PROBA) {
      const proba = p.proba ?? []
      return {name, datatype: 'FP64', shape: [proba.length, proba[0]?.length ?? model.classes?.length ?? 0], data: proba.flat()}
    }
    return {name, datatype: datatypeOf(p.predict), shape: [p.predict.length], data: p.predict.map((v) => (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' ? v : String(v)))}
  })
  return {model_name: model.name, model_version: model.version, ...(request.id === undefined ? {} : {id: request.id}), outputs}
}

export function modelMetadata(model: ModelInfo): Record<string, unknown> {
  const outputs: Record<string, unknown>[] = [{name: OUTPUT_PREDICT, datatype: model.classes ? datatypeOf(model.classes) : 'FP64', shape: [-1]}]
  if (model.hasProba) outputs.push({name: OUTPUT_PROBA, datatype: 'FP64', shape: [-1, model.classes?.length ?? -1]})
  return {
    name: model.name,
    versions: [model.version],
    platform: model.platform,
    inputs: [{name: 'input-0', datatype: 'FP64', shape: [-1, model.features ?? -1]}],
    outputs,
    parameters: {uri: model.uri, algorithm: model.algorithm, ...(model.featureNames ? {feature_names: model.featureNames} : {}), ...(model.classes ? {classes: model.classes} : {})},
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
