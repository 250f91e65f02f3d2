// Memoization: a step's key over its code, handler, params and input contents; outputs that still verify; what changed.
import {existsSync, readFileSync, statSync, writeFileSync} from '../util/fs.ts'
import {join} from 'node:path'
import {inputTarget} from '../executor/resolve-inputs.ts'
import {resolveArtifactRef} from '../uri/resolve.ts'
import type {Store} from '../store/store.ts'
import type {MemoInputs} from '../store/workflows.ts'
import type {JsonValue, Run} from '../types.ts'
import {isStoreUri, parseArtifactRef} from '../uri/refs.ts'
import {hashBytes, randomHex} from '../util/hash.ts'

/** JSON with mapping keys sorted, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

export function memoKey(m: MemoInputs): string {
  return hashBytes(canonicalJson({v: 1, kind: m.kind, code: m.codeHash, handler: m.handler, params: m.params, inputs: m.inputs, outputs: [...m.outputs].sort(), ...(m.hyper === undefined ? {} : {hyper: m.hyper}), ...(m.secrets === undefined ? {} : {secrets: m.secrets})}))
}

/**
 * The content hash of what an input names: a store version's sha256, or a file's (cached by path, size, mtime and
 * inode, so unchanged large files are not reread). null when it cannot be told: the step then simply runs, and the
 * executor reports the problem.
 */
export async function inputContentHash(store: Store, url: string, cwd: string): Promise<string | null> {
  try {
    const target = inputTarget(store, url, cwd)
    if ('file' in target) return (await store.hashInputPath(target.file)).sha256
    return (await resolveArtifactRef(store, target.artifact)).sha256
  } catch {
    return null
  }
}

/**
 * A step's secrets as they count for its memo key: a changed value must run the step again, yet the record must not
 * let anyone test guesses of the value. Each is an HMAC under a random key kept in the store folder only (never
 * pushed). null when that key cannot be read or made (a store that is not ours to write): the step then simply runs.
 */
export function secretDigests(store: Store, secrets: Record<string, string>): Record<string, string> | null {
  const names = Object.keys(secrets).sort()
  if (names.length === 0) return {}
  const key = memoSecretKey(store)
  if (key === null) return null
  const {createHmac} = process.getBuiltinModule('node:crypto')
  return Object.fromEntries(names.map((name) => [name, createHmac('sha256', key).update(`${name}\0${secrets[name]}`).digest('hex')]))
}

function memoSecretKey(store: Store): string | null {
  const file = join(store.dir, 'memo-secret-key')
  try {
    return readFileSync(file, 'utf8').trim() || null
  } catch {
    // first use: made once; a second lode making it at the same time loses the race and reads the winner's
  }
  try {
    writeFileSync(file, `${randomHex(32)}\n`, {flag: 'wx', mode: 0o600})
  } catch {
    // there already, or not ours to write
  }
  try {
    return readFileSync(file, 'utf8').trim() || null
  } catch {
    return null
  }
}

/**
 * Whether a completed run's outputs can be reused: every store:// output's version exists and its objects are present
 * (a file object with the right size). No rehash: `lode artifacts verify` does that. Returns null when they verify,
 * else the reason.
 */
export function outputsProblem(store: Store, run: Run): string | null {
  for (const [key, value] of Object.entries(run.outputs)) {
    if (typeof value !== 'string' || !isStoreUri(value)) continue
    // a sweep's outputs are pinned to its best iteration's versions: the URI names the run that logged them
    const ref = refOfUri(value, key)
    const row = store.artifacts.newestLoggedBy(ref.producer ?? run.uid, ref.key)
    if (!row) return `output ${key} (${value}) was deleted`
    if (row.kind === 'dir' || row.kind === 'model') {
      for (const sha of store.artifacts.objectsOf(row.id)) if (!store.objects.has(sha)) return `output ${key}: a file of ${value} is missing from the store`
    } else {
      const path = store.objects.path(row.sha256)
      if (!existsSync(path)) return `output ${key}: the bytes of ${value} are missing from the store`
      if (statSync(path).size !== row.size) return `output ${key}: the bytes of ${value} are corrupt (size changed)`
    }
  }
  return null
}

/** store://models/proj/cancer#1@uid -> cancer (and uid) */
function refOfUri(uri: string, fallback: string): {key: string; producer?: string} {
  try {
    return parseArtifactRef(uri)
  } catch {
    return {key: fallback}
  }
}

/** Why a step's memo inputs differ from an earlier run's: "params.n changed (100 -> 50)", "input dataset changed", ... */
export function describeChanges(before: MemoInputs, now: MemoInputs): string[] {
  const reasons: string[] = []
  if (before.kind !== now.kind) reasons.push(`function kind changed (${before.kind} -> ${now.kind})`)
  if (before.codeHash !== now.codeHash) reasons.push('code changed')
  if (before.handler !== now.handler) reasons.push(`handler changed (${before.handler ?? '(default)'} -> ${now.handler ?? '(default)'})`)
  for (const k of union(before.params, now.params)) {
    const a = before.params[k]
    const b = now.params[k]
    if (canonicalJson(a) === canonicalJson(b)) continue
    if (a === undefined) reasons.push(`params.${k} added (${show(b)})`)
    else if (b === undefined) reasons.push(`params.${k} removed (was ${show(a)})`)
    else reasons.push(`params.${k} changed (${show(a)} -> ${show(b)})`)
  }
  for (const k of union(before.inputs, now.inputs)) {
    if (before.inputs[k] === now.inputs[k]) continue
    if (before.inputs[k] === undefined) reasons.push(`input ${k} added`)
    else if (now.inputs[k] === undefined) reasons.push(`input ${k} removed`)
    else reasons.push(`input ${k} changed`)
  }
  if (canonicalJson([...before.outputs].sort()) !== canonicalJson([...now.outputs].sort())) reasons.push(`outputs changed ([${before.outputs.join(', ')}] -> [${now.outputs.join(', ')}])`)
  for (const k of union(before.secrets ?? {}, now.secrets ?? {})) {
    const a = before.secrets?.[k]
    const b = now.secrets?.[k]
    if (a === b) continue
    reasons.push(a === undefined ? `secret ${k} added` : b === undefined ? `secret ${k} removed` : `secret ${k} changed`)
  }
  if (canonicalJson(before.hyper ?? null) !== canonicalJson(now.hyper ?? null)) reasons.push(`hyperparams or hyper_options changed (${show(before.hyper ?? null)} -> ${show(now.hyper ?? null)})`)
  return reasons
}

function union(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
}

function show(v: JsonValue | undefined): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}
