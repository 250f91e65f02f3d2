// A stand-in for lode's handler Context that records what a handler logs, and DataItems over real files.
// The model DataItem is laid out as the SDK stores a model: a directory with model.yaml and the model file.

import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import pl from 'nodejs-polars'
import {stringify} from 'yaml'
import type {Context, DataItem, JsonValue} from '../lode-types.ts'

type ModelOptions = Parameters<Context['logModel']>[1]

export class RecordingContext implements Context {
  readonly results: Record<string, JsonValue> = {}
  readonly plots = new Map<string, string>()
  readonly datasets = new Map<string, {df: pl.DataFrame; format?: string}>()
  readonly models = new Map<string, ModelOptions>()
  readonly messages: string[] = []
  readonly logger = {
    info: (msg: string) => void this.messages.push(msg),
    warn: (msg: string) => void this.messages.push(msg),
  }

  logResult(key: string, value: JsonValue): void {
    this.results[key] = value
  }

  logResults(results: Record<string, JsonValue>): void {
    Object.assign(this.results, results)
  }

  progress(): void {}

  async logPlot(key: string, src: {body: string | Uint8Array}): Promise<void> {
    this.plots.set(key, String(src.body))
  }

  async logDataset(key: string, df: pl.DataFrame, opts?: {format?: string}): Promise<void> {
    this.datasets.set(key, {df, format: opts?.format})
  }

  async logModel(key: string, opts: ModelOptions): Promise<void> {
    this.models.set(key, opts)
  }
}

export function fileItem(path: string, meta: Record<string, JsonValue> = {}): DataItem {
  return {
    key: path,
    url: path,
    meta,
    localPath: () => path,
    getText: async () => (await import('node:fs/promises')).readFile(path, 'utf8'),
    asDf: async () => (path.endsWith('.parquet') ? pl.readParquet(path) : pl.readCSV(path)),
  }
}

/** Writes a logged model as a model artifact directory and returns the DataItem a later run would get. */
export function modelItem(options: ModelOptions, yamlSpec = true): DataItem {
  const dir = mkdtempSync(join(tmpdir(), 'lode-model-'))
  mkdirSync(dir, {recursive: true})
  const fileName = options.modelFile ?? 'model.json'
  writeFileSync(join(dir, fileName), options.body ?? '')
  if (yamlSpec) writeFileSync(join(dir, 'model.yaml'), stringify({framework: options.framework, algorithm: options.algorithm, model_file: fileName, metrics: options.metrics}))
  return {...fileItem(dir, {kind: 'model', model: {modelFile: fileName, framework: options.framework ?? ''}}), asDf: async () => { throw new Error('a model is not a data frame') }}
}

/** A frame as a DataItem in memory: no file round trip for a million rows. */
export function memoryItem(df: pl.DataFrame): DataItem {
  return {key: 'dataset', url: 'memory', meta: {}, localPath: () => '', getText: async () => '', asDf: async () => df}
}

/** Writes a frame as a CSV file in a temp dir and returns it as a DataItem. */
export function frameItem(df: pl.DataFrame): DataItem {
  const path = join(mkdtempSync(join(tmpdir(), 'lode-data-')), 'data.csv')
  df.writeCSV(path)
  return fileItem(path)
}
