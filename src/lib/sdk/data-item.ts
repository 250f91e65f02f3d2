// What a handler receives for an input: a local file (or directory) plus its metadata.
import type pl from 'nodejs-polars'
import type {JsonValue} from '../types.ts'

// node:fs/promises is loaded on first use: loading it (streams, readline) costs every handler's start a few ms
const fsp = () => process.getBuiltinModule('node:fs/promises')

export class DataItem {
  readonly key: string
  readonly url: string
  readonly meta: Record<string, JsonValue>
  readonly #path: string

  constructor(key: string, url: string, path: string, meta: Record<string, JsonValue> = {}) {
    this.key = key
    this.url = url
    this.#path = path
    this.meta = meta
  }

  /** The local file, or directory for dir and model artifacts. Read-only: copy before changing it. */
  localPath(): string {
    return this.#path
  }

  async get(): Promise<Buffer> {
    return fsp().readFile(this.#path)
  }

  async getText(): Promise<string> {
    return fsp().readFile(this.#path, 'utf8')
  }

  /** A nodejs-polars DataFrame from csv, tsv, parquet, json, ndjson or Arrow IPC, whatever the file is named. */
  async asDf(opts: {format?: string} = {}): Promise<pl.DataFrame> {
    const {readFrame} = await import('../artifacts/formats.ts')
    const format = opts.format ?? (typeof this.meta.format === 'string' && this.meta.format ? this.meta.format : undefined)
    return readFrame(this.#path, format as Parameters<typeof readFrame>[1])
  }

  toString(): string {
    return this.url
  }

  toJSON(): {key: string; url: string; path: string} {
    return {key: this.key, url: this.url, path: this.#path}
  }
}
