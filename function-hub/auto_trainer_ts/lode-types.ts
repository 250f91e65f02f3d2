// The part of lode's handler SDK (see the 'lode' package: Context, DataItem) that this function uses.
// Declared here so the function type-checks on its own; the runtime objects come from lode's runner.

import type pl from 'nodejs-polars'

export type JsonValue = string | number | boolean | null | JsonValue[] | {[key: string]: JsonValue}

export interface DataItem {
  readonly key: string
  readonly url: string
  readonly meta: Record<string, JsonValue>
  localPath(): string
  getText(): Promise<string>
  asDf(opts?: {format?: string}): Promise<pl.DataFrame>
}

export interface Context {
  readonly logger: {
    info(msg: string, fields?: Record<string, JsonValue>): void
    warn(msg: string, fields?: Record<string, JsonValue>): void
  }
  logResult(key: string, value: JsonValue): void
  logResults(results: Record<string, JsonValue>): void
  progress(fraction: number, message?: string): void
  logPlot(key: string, src: {body: string | Uint8Array}, opts?: {format?: 'svg' | 'png' | 'html'; labels?: Record<string, string>}): Promise<void>
  logDataset(key: string, df: pl.DataFrame, opts?: {format?: 'parquet' | 'csv' | 'ndjson' | 'ipc'; labels?: Record<string, string>}): Promise<void>
  logModel(key: string, opts: {
    body?: string | Uint8Array
    modelFile?: string
    framework?: string
    algorithm?: string
    metrics?: Record<string, number>
    parameters?: Record<string, JsonValue>
    inputs?: {name: string; dtype: string}[]
    outputs?: {name: string; dtype: string}[]
    labels?: Record<string, string>
  }): Promise<void>
}
