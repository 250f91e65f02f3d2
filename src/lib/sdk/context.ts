// The execution context a handler receives: params, a logger, and calls that log results and artifacts.
// It only sends events on the pipe; the lode process does all storing.
import {basename, extname, isAbsolute, join, resolve} from 'node:path'
import type pl from 'nodejs-polars'
import {keyFileName, validateKey} from '../artifacts/keys.ts'
import {secretEnvName} from '../secrets/names.ts'
import {specialKindOf} from '../util/file-kind.ts'
import type {ArtifactKind, HandlerSpec, JsonValue, LogLevel, ModelMeta} from '../types.ts'
import type {EventChannel} from './channel.ts'
import {MAX_RESULT_BYTES, resultTooLarge} from './protocol.ts'
import {DataItem} from './data-item.ts'
import type {ModelHandle} from './models.ts'

// node:fs as a builtin, not an ES import: the import's namespace loads fs/promises and streams too (~8 ms of a runner's start)
const {cpSync, existsSync, mkdirSync, statSync, writeFileSync} = process.getBuiltinModule('node:fs')

export type Body = string | Uint8Array
export type ArtifactSource = {body: Body} | {localPath: string}
export type DatasetFormat = 'parquet' | 'csv' | 'ndjson' | 'ipc'

export interface LogModelOptions {
  body?: Body
  /** the file name for `body`, or the path of an existing model file */
  modelFile?: string
  modelDir?: string
  framework?: string
  algorithm?: string
  metrics?: Record<string, number>
  parameters?: Record<string, JsonValue>
  inputs?: {name: string; dtype: string}[]
  outputs?: {name: string; dtype: string}[]
  /** name -> a local path, or bytes */
  extraData?: Record<string, string | Uint8Array | {body: Body}>
  labels?: Record<string, string>
}

export interface Logger {
  debug(msg: string, fields?: Record<string, JsonValue>): void
  info(msg: string, fields?: Record<string, JsonValue>): void
  warn(msg: string, fields?: Record<string, JsonValue>): void
  error(msg: string, fields?: Record<string, JsonValue>): void
}

function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v)
}

export class Context {
  readonly uid: string
  readonly name: string
  readonly project: string
  readonly params: Readonly<Record<string, JsonValue>>
  readonly inputs: Readonly<Record<string, DataItem>>
  /** Files written here and logged are moved into the store, not copied. */
  readonly artifactPath: string
  readonly logger: Logger
  readonly #channel: EventChannel
  readonly #projectDir: string
  #counter = 0
  /** key -> JSON of the value last logged as a result */
  readonly #results = new Map<string, string>()
  /** log calls still at work (a logDataset the handler did not await), with what they log */
  readonly #inflight = new Map<Promise<void>, string>()

  constructor(spec: HandlerSpec, channel: EventChannel) {
    this.uid = spec.uid
    this.name = spec.name
    this.project = spec.project
    this.params = Object.freeze({...spec.params})
    this.inputs = Object.freeze(
      Object.fromEntries(Object.entries(spec.inputs).map(([k, i]) => [k, new DataItem(k, i.url, i.path, i.meta)])),
    )
    this.artifactPath = spec.stagingDir
    this.#channel = channel
    this.#projectDir = spec.projectDir
    const log = (level: LogLevel) => (msg: string, fields?: Record<string, JsonValue>) =>
      this.#channel.send({t: 'log', level, msg: String(msg), ...(fields ? {fields} : {})})
    this.logger = {debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error')}
  }

  getParam<T = JsonValue>(key: string, defaultValue?: T): T {
    return (key in this.params ? this.params[key] : defaultValue) as T
  }

  /** A secret given to the run (lode run --secret KEY), or undefined. Anything printed or logged that holds it is masked. */
  getSecret(key: string): string | undefined {
    return process.env[secretEnvName(key)]
  }

  /**
   * A model's file, spec and extra data (MLRun's get_model): a model input of this run by its key or address, or any
   * stored model by its store:// URI or KEY[:TAG] (its bytes checked and copied to a temporary folder).
   */
  async getModel(keyOrUri: string): Promise<ModelHandle> {
    const {getModel} = await import('./models.ts')
    return getModel(this.inputs, keyOrUri, this.#projectDir)
  }

  logResult(key: string, value: JsonValue): void {
    if (typeof key !== 'string' || !key) throw new TypeError('logResult: key must be a non-empty string')
    const v = typeof value === 'bigint' ? Number(value) : value
    const sent = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v
    const json = JSON.stringify(sent) as string | undefined
    // undefined, a function or a symbol: JSON has no such value, and the run would fail on a bare TypeError
    if (json === undefined) throw new TypeError(`logResult(${JSON.stringify(key)}): ${value === undefined ? 'undefined' : `a ${typeof value}`} is not a JSON value; log a number, string, boolean, null, array or object`)
    this.#results.set(key, json)
    const bytes = Buffer.byteLength(json)
    // refused here already, so a huge value never crosses to lode; the run's record says why
    if (bytes > MAX_RESULT_BYTES) return this.#channel.send({t: 'warning', message: resultTooLarge(key, bytes)})
    this.#channel.send({t: 'result', key, value: sent})
  }

  /** A returned scalar the handler already logged under the same key, with the same value, is not logged again. */
  #logReturnedResult(key: string, value: JsonValue): void {
    const v = typeof value === 'bigint' ? Number(value) : value
    if (this.#results.get(key) !== JSON.stringify(typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) this.logResult(key, v)
  }

  logResults(results: Record<string, JsonValue>): void {
    for (const [k, v] of Object.entries(results)) this.logResult(k, v)
  }

  setLabel(key: string, value: string): void {
    this.#channel.send({t: 'label', key, value: String(value)})
  }

  progress(fraction: number, message?: string): void {
    const f = Math.max(0, Math.min(1, Number(fraction)))
    this.#channel.send({t: 'progress', fraction: f, ...(message === undefined ? {} : {message})})
  }

  /** `ack` (for `lode log artifact`): a file of the staging area where lode answers once it has copied the file. */
  logArtifact(key: string, src: ArtifactSource, opts: {format?: string; labels?: Record<string, string>; kind?: 'artifact' | 'plot' | 'dir'; ack?: string} = {}): Promise<void> {
    return this.#track(`logArtifact(${JSON.stringify(key)})`, () => this.#logArtifact(key, src, opts))
  }

  async #logArtifact(key: string, src: ArtifactSource, opts: {format?: string; labels?: Record<string, string>; kind?: 'artifact' | 'plot' | 'dir'; ack?: string}): Promise<void> {
    validateKey(key)
    const path = this.#stage(key, src, opts.format)
    const isDir = statSync(path).isDirectory()
    const kind: ArtifactKind = isDir ? 'dir' : (opts.kind ?? 'artifact')
    const format = isDir ? '' : (opts.format ?? extname(path).slice(1).toLowerCase())
    this.#channel.send({t: 'artifact', key, kind, path, format, ...(opts.labels ? {labels: opts.labels} : {}), ...(kind === 'plot' ? {mime: mimeOf(format)} : {}), ...(opts.ack ? {ack: opts.ack} : {})})
  }

  async logPlot(key: string, src: ArtifactSource, opts: {format?: 'svg' | 'png' | 'html'; labels?: Record<string, string>} = {}): Promise<void> {
    const format = opts.format ?? ('localPath' in src ? (extname(src.localPath).slice(1).toLowerCase() as 'svg') : 'svg')
    await this.logArtifact(key, src, {format, labels: opts.labels, kind: 'plot'})
  }

  /** A dataset from a polars DataFrame (written in `format`, statistics computed here) or from a data file. */
  logDataset(key: string, df: pl.DataFrame | {localPath: string}, opts: {format?: DatasetFormat; preview?: number; stats?: boolean; labels?: Record<string, string>} = {}): Promise<void> {
    return this.#track(`logDataset(${JSON.stringify(key)})`, () => this.#logDataset(key, df, opts))
  }

  async #logDataset(key: string, df: pl.DataFrame | {localPath: string}, opts: {format?: DatasetFormat; preview?: number; stats?: boolean; labels?: Record<string, string>}): Promise<void> {
    validateKey(key)
    const preview = opts.preview ?? 20
    const stats = opts.stats ?? true
    const labels = opts.labels ? {labels: opts.labels} : {}
    if ('localPath' in df && typeof df.localPath === 'string') {
      const path = resolve(df.localPath)
      if (!existsSync(path)) throw new Error(`logDataset: no such file: ${df.localPath}`)
      refuseSpecial('logDataset', df.localPath, path)
      const {detectFormat} = await import('../artifacts/format-detect.ts')
      const format = detectFormat(path)
      this.#channel.send({t: 'artifact', key, kind: 'dataset', path, format, targetFormat: opts.format ?? (format === 'tsv' || format === 'json' ? 'csv' : (format as DatasetFormat)), preview, stats, ...labels})
      return
    }
    // a list of rows or a pandas-like object: said plainly, not as a TypeError from deep inside polars
    if (df === null || typeof df !== 'object' || typeof (df as pl.DataFrame).writeParquet !== 'function') {
      const what = df === null ? 'null' : Array.isArray(df) ? 'an array' : typeof df === 'object' ? 'an object' : `a ${typeof df}`
      throw new TypeError(`logDataset(${JSON.stringify(key)}): ${what} is neither a polars DataFrame nor {localPath: PATH}; make a frame with pl.DataFrame(rows)`)
    }
    const format = opts.format ?? 'parquet'
    const [{writeFrame}, {describeFrameAsync}] = await Promise.all([import('../artifacts/formats.ts'), import('../artifacts/dataset.ts')])
    const path = this.#stagingFile(key, format)
    // The statistics run on polars' thread pool while this thread writes the file. writeParquet encodes on this thread
    // with a quarter less CPU than polars' streaming sink: on a busy machine the work done counts more than the threads.
    const described = describeFrameAsync(df as pl.DataFrame, {preview, stats})
    try {
      writeFrame(df as pl.DataFrame, path, format)
    } catch (error) {
      described.catch(() => undefined)
      throw error
    }
    const datasetMeta = await described
    this.#channel.send({t: 'artifact', key, kind: 'dataset', path, format, targetFormat: format, preview, stats, datasetMeta, ...labels})
  }

  /** A model: a directory holding the model file and extra data; lode writes its model.yaml spec. */
  logModel(key: string, opts: LogModelOptions): Promise<void> {
    return this.#track(`logModel(${JSON.stringify(key)})`, () => this.#logModel(key, opts))
  }

  async #logModel(key: string, opts: LogModelOptions): Promise<void> {
    validateKey(key)
    const dir = this.#stagingFile(key, 'model')
    mkdirSync(dir, {recursive: true})
    let modelFile: string | null = null
    if (opts.modelDir) {
      cpSync(resolve(opts.modelDir), dir, {recursive: true, dereference: true})
      modelFile = opts.modelFile ? basename(opts.modelFile) : null
    }
    if (opts.body !== undefined) {
      modelFile = basename(opts.modelFile ?? 'model.bin')
      writeFileSync(join(dir, modelFile), opts.body)
    } else if (opts.modelFile && !opts.modelDir) {
      const src = resolve(opts.modelFile)
      if (!existsSync(src)) throw new Error(`logModel: no such model file: ${opts.modelFile} (pass body to log bytes)`)
      modelFile = basename(src)
      cpSync(src, join(dir, modelFile))
    }
    if (modelFile === null && !opts.modelDir) throw new Error('logModel: give body (with modelFile as its name), modelFile (a path) or modelDir')
    const extra: string[] = []
    for (const [name, value] of Object.entries(opts.extraData ?? {})) {
      const target = join(dir, basename(name))
      if (typeof value === 'string') cpSync(resolve(value), target, {recursive: true, dereference: true})
      else writeFileSync(target, value instanceof Uint8Array ? value : value.body)
      extra.push(basename(name))
    }
    const model: ModelMeta = {
      framework: opts.framework ?? '',
      algorithm: opts.algorithm ?? '',
      modelFile,
      metrics: opts.metrics ?? {},
      parameters: opts.parameters ?? {},
      ...(opts.inputs ? {inputs: opts.inputs} : {}),
      ...(opts.outputs ? {outputs: opts.outputs} : {}),
      extraData: extra,
    }
    this.#channel.send({t: 'artifact', key, kind: 'model', path: dir, format: 'model', model, ...(opts.labels ? {labels: opts.labels} : {})})
  }

  /** The log calls still at work, by what they log; the runner waits for them once the handler has returned. */
  pendingCalls(): {calls: string[]; settled: Promise<unknown>} {
    return {calls: [...this.#inflight.values()], settled: Promise.allSettled(this.#inflight.keys())}
  }

  #track(what: string, work: () => Promise<void>): Promise<void> {
    const p = work()
    this.#inflight.set(p, what)
    const done = () => void this.#inflight.delete(p)
    p.then(done, done)
    return p
  }

  /** Log what a handler returned: scalars as results, DataFrames as datasets. */
  async logReturned(value: unknown, handlerName: string): Promise<void> {
    if (value === undefined || value === null) return
    if (isDataFrame(value)) return this.logDataset(handlerName, value as pl.DataFrame)
    if (isScalar(value)) return this.#logReturnedResult('return', value)
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (isScalar(v) || typeof v === 'bigint') this.#logReturnedResult(k, v as JsonValue)
        else if (isDataFrame(v)) await this.logDataset(k, v as pl.DataFrame)
      }
    }
  }

  #stagingFile(key: string, ext: string): string {
    mkdirSync(this.artifactPath, {recursive: true})
    return join(this.artifactPath, `${keyFileName(key)}.${++this.#counter}.${ext}`)
  }

  #stage(key: string, src: ArtifactSource, format?: string): string {
    if ('localPath' in src && typeof src.localPath === 'string') {
      const path = isAbsolute(src.localPath) ? src.localPath : resolve(src.localPath)
      if (!existsSync(path)) throw new Error(`logArtifact: no such file or directory: ${src.localPath}`)
      refuseSpecial('logArtifact', src.localPath, path)
      return path
    }
    if (!('body' in src)) throw new TypeError('logArtifact: give {body} or {localPath}')
    const path = this.#stagingFile(key, format ?? (typeof src.body === 'string' ? 'txt' : 'bin'))
    writeFileSync(path, src.body)
    return path
  }
}

function isDataFrame(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as {writeParquet?: unknown}).writeParquet === 'function' && 'height' in v
}

export function mimeOf(format: string): string {
  switch (format) {
    case 'svg':
      return 'image/svg+xml'
    case 'png':
      return 'image/png'
    case 'jpg':
    case 'jpeg':
      return 'image/jpeg'
    case 'html':
    case 'htm':
      return 'text/html'
    default:
      return 'application/octet-stream'
  }
}

/** A FIFO would be read forever (waiting for a writer), a device such as /dev/zero never ends: only files and folders are logged. */
function refuseSpecial(call: string, given: string, path: string): void {
  const special = specialKindOf(path)
  if (special) throw new Error(`${call}: ${given} is ${special}, not a file or a folder; write the data to a file first`)
}
