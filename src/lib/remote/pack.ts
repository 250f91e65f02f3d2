// A pack: the immutable document one push writes, holding the records it adds. Packs are never rewritten: each has a
// unique name (time, clone, random), so concurrent pushes cannot overwrite one another, and a reader merges them all.
import {IntegrityError} from '../errors.ts'
import {ARTIFACT_KINDS} from '../types.ts'

const SHA = /^[0-9a-f]{64}$/
/** run and workflow ids: hex, as lode makes them (they name folders under .lode/runs) */
const ID = /^[0-9a-f]{8,64}$/
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/

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
  // what a pack says becomes records and folder names here: anything not of the expected shape is refused
  for (const v of pack.versions) {
    if (typeof v.key !== 'string' || !SHA.test(String(v.sha256)) || !Array.isArray(v.objects) || v.objects.some((o) => !SHA.test(String(o)))) throw damaged(name, 'a version lacks its key, sha256 or objects')
    if (!(ARTIFACT_KINDS as readonly string[]).includes(v.kind) || !Number.isInteger(v.iter) || !Number.isSafeInteger(v.size) || !Number.isSafeInteger(v.created)) throw damaged(name, `version ${JSON.stringify(v.key)} has a bad kind, iteration, size or time`)
    if (v.producer !== null && !ID.test(String(v.producer))) throw damaged(name, `version ${JSON.stringify(v.key)} names a malformed run`)
  }
  for (const r of pack.runs) if (!r.row || !ID.test(String(r.row.uid)) || !Array.isArray(r.inputs)) throw damaged(name, 'a run lacks its uid, or it is malformed')
  for (const w of pack.workflows) if (!w.row || !ID.test(String(w.row.id)) || !Array.isArray(w.steps)) throw damaged(name, 'a workflow lacks its id, or it is malformed')
  for (const t of pack.tags) {
    if (typeof t.key !== 'string' || typeof t.tag !== 'string' || !TAG.test(t.tag) || t.tag === 'latest' || !Number.isSafeInteger(t.ts) || typeof t.origin !== 'string') throw damaged(name, 'a tag move is malformed')
  }
  return pack
}

function damaged(name: string, why: string): IntegrityError {
  return new IntegrityError(`The remote's record pack ${name} is damaged: ${why}. Nothing from it was merged.`, 'Push again from a clone that has those records; remove the damaged pack from the bucket.')
}
