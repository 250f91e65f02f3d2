// What changed between two versions of an artifact: datasets by schema and statistics, models by spec,
// directories by file hashes, single files by hash and size. Pure functions over stored metadata.
import {isDeepStrictEqual} from 'node:util'
import type {ColumnStats, DatasetMeta, DirEntry, JsonValue, ModelMeta} from '../types.ts'

export interface Change<T> {
  a: T
  b: T
}

/** One statistic in both versions; delta = b - a when both are numbers, else null. */
export interface StatDelta extends Change<number | string | null> {
  delta: number | null
}

export const DIFFED_STATS = ['count', 'nulls', 'mean', 'std', 'min', 'max', 'distinct'] as const
export type DiffedStat = (typeof DIFFED_STATS)[number]

export interface ColumnDiff {
  name: string
  /** the statistics either version has, in DIFFED_STATS order */
  stats: Partial<Record<DiffedStat, StatDelta>>
  /** whether any statistic differs */
  changed: boolean
}

export interface DatasetDiff {
  kind: 'dataset'
  schema: {
    added: {name: string; dtype: string}[]
    removed: {name: string; dtype: string}[]
    typeChanged: {name: string; a: string; b: string}[]
  }
  rows: {a: number; b: number; delta: number}
  /** columns present in both versions, in the order of b */
  columns: ColumnDiff[]
}

export interface ModelDiff {
  kind: 'model'
  framework: Change<string> | null
  algorithm: Change<string> | null
  modelFile: Change<string | null> | null
  metrics: {
    added: Record<string, number>
    removed: Record<string, number>
    changed: {name: string; a: number; b: number; delta: number}[]
    unchanged: string[]
  }
  parameters: {
    added: Record<string, JsonValue>
    removed: Record<string, JsonValue>
    changed: {name: string; a: JsonValue; b: JsonValue}[]
    unchanged: string[]
  }
}

export interface FileRef {
  path: string
  sha256: string
  size: number
}

export interface FilesDiff {
  kind: 'files'
  added: FileRef[]
  removed: FileRef[]
  changed: {path: string; a: {sha256: string; size: number}; b: {sha256: string; size: number}; sizeDelta: number}[]
  unchanged: number
}

export interface BlobDiff {
  kind: 'blob'
  same: boolean
  a: {sha256: string; size: number}
  b: {sha256: string; size: number}
  sizeDelta: number
}

export type DiffResult = DatasetDiff | ModelDiff | FilesDiff | BlobDiff

function statDelta(a: unknown, b: unknown): StatDelta {
  const value = (v: unknown): number | string | null => (typeof v === 'number' || typeof v === 'string' ? v : null)
  const va = value(a)
  const vb = value(b)
  return {a: va, b: vb, delta: typeof va === 'number' && typeof vb === 'number' ? vb - va : null}
}

function diffColumn(name: string, a: ColumnStats | undefined, b: ColumnStats | undefined): ColumnDiff {
  const stats: ColumnDiff['stats'] = {}
  let changed = false
  for (const stat of DIFFED_STATS) {
    const va = a?.[stat]
    const vb = b?.[stat]
    if (va === undefined && vb === undefined) continue
    const d = statDelta(va, vb)
    stats[stat] = d
    if (d.a !== d.b) changed = true
  }
  return {name, stats, changed}
}

export function diffDatasets(a: DatasetMeta, b: DatasetMeta): DatasetDiff {
  const typesA = new Map(a.schema.map((c) => [c.name, c.dtype]))
  const typesB = new Map(b.schema.map((c) => [c.name, c.dtype]))
  const statsA = new Map((a.stats ?? []).map((s) => [s.name, s]))
  const statsB = new Map((b.stats ?? []).map((s) => [s.name, s]))
  const common = b.schema.filter((c) => typesA.has(c.name))
  return {
    kind: 'dataset',
    schema: {
      added: b.schema.filter((c) => !typesA.has(c.name)),
      removed: a.schema.filter((c) => !typesB.has(c.name)),
      typeChanged: common
        .filter((c) => typesA.get(c.name) !== c.dtype)
        .map((c) => ({name: c.name, a: typesA.get(c.name) ?? '', b: c.dtype})),
    },
    rows: {a: a.rows, b: b.rows, delta: b.rows - a.rows},
    columns: common.map((c) => diffColumn(c.name, statsA.get(c.name), statsB.get(c.name))),
  }
}

function changeOf<T>(a: T, b: T): Change<T> | null {
  return a === b ? null : {a, b}
}

export function diffModels(a: ModelMeta, b: ModelMeta): ModelDiff {
  const metrics: ModelDiff['metrics'] = {added: {}, removed: {}, changed: [], unchanged: []}
  for (const [name, vb] of Object.entries(b.metrics)) {
    const va = a.metrics[name]
    if (va === undefined) metrics.added[name] = vb
    else if (va === vb) metrics.unchanged.push(name)
    else metrics.changed.push({name, a: va, b: vb, delta: vb - va})
  }
  for (const [name, va] of Object.entries(a.metrics)) if (!(name in b.metrics)) metrics.removed[name] = va

  const parameters: ModelDiff['parameters'] = {added: {}, removed: {}, changed: [], unchanged: []}
  for (const [name, vb] of Object.entries(b.parameters)) {
    if (!(name in a.parameters)) parameters.added[name] = vb
    else if (isDeepStrictEqual(a.parameters[name], vb)) parameters.unchanged.push(name)
    else parameters.changed.push({name, a: a.parameters[name] ?? null, b: vb})
  }
  for (const [name, va] of Object.entries(a.parameters)) if (!(name in b.parameters)) parameters.removed[name] = va

  return {
    kind: 'model',
    framework: changeOf(a.framework, b.framework),
    algorithm: changeOf(a.algorithm, b.algorithm),
    modelFile: changeOf(a.modelFile, b.modelFile),
    metrics,
    parameters,
  }
}

export function diffFiles(a: DirEntry[], b: DirEntry[]): FilesDiff {
  const byPathA = new Map(a.map((f) => [f.path, f]))
  const byPathB = new Map(b.map((f) => [f.path, f]))
  const ref = (f: DirEntry): FileRef => ({path: f.path, sha256: f.sha256, size: f.size})
  const result: FilesDiff = {kind: 'files', added: [], removed: [], changed: [], unchanged: 0}
  for (const fb of b) {
    const fa = byPathA.get(fb.path)
    if (!fa) result.added.push(ref(fb))
    else if (fa.sha256 === fb.sha256) result.unchanged++
    else
      result.changed.push({
        path: fb.path,
        a: {sha256: fa.sha256, size: fa.size},
        b: {sha256: fb.sha256, size: fb.size},
        sizeDelta: fb.size - fa.size,
      })
  }
  for (const fa of a) if (!byPathB.has(fa.path)) result.removed.push(ref(fa))
  const byPath = (x: {path: string}, y: {path: string}) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0)
  result.added.sort(byPath)
  result.removed.sort(byPath)
  result.changed.sort(byPath)
  return result
}

export function diffBlobs(a: {sha256: string; size: number}, b: {sha256: string; size: number}): BlobDiff {
  return {
    kind: 'blob',
    same: a.sha256 === b.sha256,
    a: {sha256: a.sha256, size: a.size},
    b: {sha256: b.sha256, size: b.size},
    sizeDelta: b.size - a.size,
  }
}

export {formatDiff} from './diff-format.ts'
