// A pack: the immutable document one push writes, holding the records it adds. Packs are never rewritten: each has a
// unique name (time, clone, random), so concurrent pushes cannot overwrite one another, and a reader merges them all.
import {IntegrityError} from '../errors.ts'

export type JsonRow = Record<string, string | number | null>

export interface PackRun {
  /** the run's columns, as stored */
  row: JsonRow
  /** what it read: the version (by vid) where the input came from the store */
  inputs: {key: string; vid: string | null; sha256: string; url: string}[]
}

export interface PackVersion {
  vid: string
  key: string
  kind: string
  iter: number
  sha256: string
  size: number
  format: string
  producer: string | null
  created: number
  labels: string
  meta: string | null
  /** every object the version needs */
  objects: string[]
}

/** A tag moved (or removed: vid null) by one clone at `ts`. The move with the greatest (ts, origin) wins. */
export interface PackTag {
  key: string
  tag: string
  vid: string | null
  sha256: string | null
  ts: number
  origin: string
}

export interface PackWorkflow {
  row: JsonRow
  steps: JsonRow[]
}

export interface Pack {
  schema: 1
  project: string
  origin: string
  created: number
  runs: PackRun[]
  versions: PackVersion[]
  tags: PackTag[]
  workflows: PackWorkflow[]
}

/** The total order of tag moves every clone applies the same way. */
export function laterMove(a: {ts: number; origin: string; vid: string | null}, b: {ts: number; origin: string; vid: string | null}): boolean {
  if (a.ts !== b.ts) return a.ts > b.ts
  if (a.origin !== b.origin) return a.origin > b.origin
  return (a.vid ?? '') > (b.vid ?? '')
}

export function packName(created: number, origin: string, random: string): string {
  return `${String(created).padStart(14, '0')}-${origin}-${random}.json`
}

export function parsePack(text: string, name: string): Pack {
  let pack: Pack
  try {
    pack = JSON.parse(text) as Pack
  } catch {
    throw damaged(name, 'it is not JSON')
  }
  if (!pack || typeof pack !== 'object' || pack.schema !== 1) throw damaged(name, `its schema is ${JSON.stringify((pack as {schema?: unknown} | null)?.schema)}, not 1 (a newer lode wrote it?)`)
  for (const list of ['runs', 'versions', 'tags', 'workflows'] as const) {
    if (!Array.isArray(pack[list])) throw damaged(name, `"${list}" is not a list`)
  }
  for (const v of pack.versions) {
    if (typeof v.key !== 'string' || !/^[0-9a-f]{64}$/.test(String(v.sha256)) || !Array.isArray(v.objects) || v.objects.some((o) => !/^[0-9a-f]{64}$/.test(String(o)))) throw damaged(name, 'a version lacks its key, sha256 or objects')
  }
  for (const r of pack.runs) if (!r.row || typeof r.row.uid !== 'string' || !Array.isArray(r.inputs)) throw damaged(name, 'a run lacks its uid')
  return pack
}

function damaged(name: string, why: string): IntegrityError {
  return new IntegrityError(`The remote's record pack ${name} is damaged: ${why}. Nothing from it was merged.`, 'Push again from a clone that has those records; remove the damaged pack from the bucket.')
}
