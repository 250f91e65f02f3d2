// `lode predict`: a data file through the same model loading and workers as `lode serve`, in one process.
// The input's columns are kept; the predictions (and with --proba, one proba_<class> column a class) are added.
import {existsSync, renameSync, rmSync} from '../util/fs.ts'
import {basename, dirname, join, resolve} from 'node:path'
import pl from 'nodejs-polars'
import {LodeError, NotFoundError, UserError} from '../errors.ts'
import {abortOnSignals} from '../executor/interrupt.ts'
import {formatFromExtension, readFrame, writeFrameAsync} from '../artifacts/formats.ts'
import {columnKind, dtypeName} from '../artifacts/dtypes.ts'
import type {Project} from '../project/project.ts'
import {randomHex} from '../util/hash.ts'
import {checkOutputTarget} from '../util/output-target.ts'
import {loadModel} from './load-model.ts'
import {ModelError, type ModelInfo, type Prediction, WorkerLostError} from './types.ts'

/** Rows a message to a worker carries: large enough to amortize the pipe, small enough to keep both workers busy. */
const CHUNK_ROWS = 10_000

export interface PredictFlags {
  input: string
  output: string
  workers: number
  python?: string
  proba: boolean
  'result-column': string
}

export interface PredictResult {
  model: string
  uri: string
  input: string
  output: string
  rows: number
  features: string[]
}

export async function predictFile(project: Project, ref: string, f: PredictFlags): Promise<PredictResult> {
  const input = resolve(f.input)
  if (!existsSync(input)) throw new NotFoundError(`No such input file: ${f.input}`)
  const output = resolve(f.output)
  const format = formatFromExtension(output)
  if (!format) throw new UserError(`Cannot tell the format of "${f.output}" from its extension.`, 'Name the output .parquet, .csv, .tsv, .ndjson, .json or .ipc')
  if (!existsSync(dirname(output))) throw new NotFoundError(`The output's folder ${dirname(output)} does not exist.`)
  checkOutputTarget(project.store.dir, output)
  const df = readFrame(input)
  const interrupt = abortOnSignals()
  const loaded = await loadModel(project.store, ref, {cwd: project.dir, workers: f.workers, python: f.python})
  try {
    const info = loaded.predictor.info
    if (f.proba && !info.hasProba) throw new UserError(`${info.name} (${info.algorithm}) gives no class probabilities.`, 'Leave out --proba.')
    const features = featureColumns(df, info, f.input)
    // an added column replaces an input column of its name (an earlier prediction), but never a feature
    const addedNames = [f['result-column'], ...(f.proba ? (info.classes ?? []).map((c) => `proba_${String(c)}`) : [])]
    const clash = addedNames.find((n) => features.includes(n))
    if (clash !== undefined) {
      throw new UserError(`The output column "${clash}" would replace the model's feature column of that name in ${f.input}.`,
        clash === f['result-column'] ? 'Name the predictions column otherwise: --result-column NAME' : 'Rename that column of the input.')
    }
    const rows = matrix(df, features, f.input)
    const chunks: Promise<Prediction>[] = []
    for (let at = 0; at < rows.length; at += CHUNK_ROWS) chunks.push(loaded.predictor.predict(rows.slice(at, at + CHUNK_ROWS), f.proba))
    const parts = await Promise.race([Promise.all(chunks), aborted(interrupt.signal)]).catch((error: unknown) => {
      // the model raised, answered what cannot be used, or its worker died: the model's failure, not lode's
      if (error instanceof ModelError || error instanceof WorkerLostError) {
        throw new LodeError('external', `The model ${info.name} could not predict ${f.input}: ${error.message}`,
          {hint: 'No predictions were written. Check the input\'s values, or the model (it answers the same in lode serve).'})
      }
      throw error
    })
    const predicted = parts.flatMap((p) => p.predict)
    const added = [pl.Series(f['result-column'], predicted)]
    if (f.proba) (info.classes ?? []).forEach((c, k) => added.push(pl.Series(`proba_${String(c)}`, parts.flatMap((p) => (p.proba ?? []).map((r) => r[k] ?? null)), pl.Float64)))
    const names = new Set(added.map((s) => s.name))
    const kept = df.columns.filter((c) => !names.has(c))
    const result = (kept.length === df.width ? df : df.select(...kept)).withColumns(...added)
    const tmp = join(dirname(output), `.${basename(output)}.tmp-${process.pid}-${randomHex(4)}`)
    try {
      await writeFrameAsync(result, tmp, format)
      renameSync(tmp, output)
    } catch (error) {
      rmSync(tmp, {force: true})
      throw new UserError(`Cannot write ${f.output}: ${(error as Error).message}`, 'Check that its folder is writable.')
    }
    return {model: info.name, uri: info.uri, input, output, rows: rows.length, features}
  } finally {
    interrupt.dispose()
    await loaded.close()
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new LodeError('aborted', `aborted (${String(signal.reason)}): no predictions written`)), {once: true}))
}

/** The model's features by name when it has names, else every numeric column (as many as the model takes). */
function featureColumns(df: pl.DataFrame, info: ModelInfo, file: string): string[] {
  if (info.featureNames) {
    const missing = info.featureNames.filter((n) => !df.columns.includes(n))
    if (missing.length) {
      const shown = missing.slice(0, 8).map((m) => `"${m}"`).join(', ') + (missing.length > 8 ? `, ... ${missing.length - 8} more` : '')
      throw new UserError(`${file} lacks ${missing.length} of the model's ${info.featureNames.length} feature columns: ${shown}.`, `The model was trained on: ${info.featureNames.slice(0, 8).join(', ')}${info.featureNames.length > 8 ? ', ...' : ''}`)
    }
    return info.featureNames
  }
  const numeric = df.columns.filter((c) => columnKind(df.getColumn(c).dtype) === 'numeric' || columnKind(df.getColumn(c).dtype) === 'boolean')
  if (info.features !== null && numeric.length !== info.features) {
    throw new UserError(`The model takes ${info.features} features, but ${file} has ${numeric.length} numeric columns (${numeric.slice(0, 8).join(', ')}).`,
      'Leave only the feature columns in the file, in the order the model was trained on.')
  }
  return numeric
}

/** The feature columns as rows of numbers; a text column or an empty cell is the user's to fix. */
function matrix(df: pl.DataFrame, features: string[], file: string): number[][] {
  const columns = features.map((name) => {
    const s = df.getColumn(name)
    const kind = columnKind(s.dtype)
    if (s.length > 0 && s.nullCount() === s.length) throw new UserError(`Column "${name}" of ${file} has no values; the model needs a number in every row.`, 'Fill it, or predict from a file that has it.')
    if (kind !== 'numeric' && kind !== 'boolean') throw new UserError(`Column "${name}" of ${file} holds ${dtypeName(s.dtype)} values, not numbers: the model takes numbers.`)
    if (s.nullCount() > 0) throw new UserError(`Column "${name}" of ${file} has ${s.nullCount()} empty values; the model needs a number in every row.`, 'Fill or drop those rows first.')
    return Array.from(s.cast(pl.Float64).toArray() as ArrayLike<number>)
  })
  const rows: number[][] = new Array(df.height)
  for (let r = 0; r < df.height; r++) rows[r] = columns.map((c) => c[r]!)
  return rows
}
