// Every reference a user or a record gives, parsed and formatted in one place:
//   store://artifacts|datasets|models/<project>/<key>[#<iter>][:<tag>][@<run-uid>], and KEY, KEY:TAG, KEY@RUN, KEY#ITER
//   RUN/OUTPUT (a run's output, by a uid prefix of 4+ hex digits)
//   hub://<name>[:<version>]
//   FILE#HANDLER (a function and its handler)
//   a run or workflow id, or a unique prefix of one
// What they name in the store is looked up in resolve.ts.
import {UserError} from '../errors.ts'
import {quoteName} from '../util/excerpt.ts'
import {VERSION_PATTERN} from '../hub/semver.ts'
import type {ArtifactKind} from '../types.ts'

export interface ParsedArtifactRef {
  project?: string
  /** the category named in a store:// URI */
  category?: 'artifacts' | 'datasets' | 'models'
  key: string
  iter?: number
  tag?: string
  producer?: string
}

const CATEGORIES = ['artifacts', 'datasets', 'models'] as const

export function categoryOf(kind: ArtifactKind): 'artifacts' | 'datasets' | 'models' {
  return kind === 'dataset' ? 'datasets' : kind === 'model' ? 'models' : 'artifacts'
}

/** The URI pinned to one exact version: never a moving tag. */
export function versionUri(project: string, v: {kind: ArtifactKind; key: string; iter: number; producer: string | null; version: number}): string {
  const pin = v.producer ? {producer: v.producer} : {tag: `v${v.version}`}
  return formatArtifactRef({project, category: categoryOf(v.kind), key: v.key, ...(v.iter ? {iter: v.iter} : {}), ...pin})
}

export function isStoreUri(s: string): boolean {
  return s.startsWith('store://')
}

const EXAMPLES = 'store://datasets/<project>/<key>[#<iter>][:<tag>][@<run-uid>], or KEY, KEY:TAG, KEY@RUN'

/** Parse a store:// URI or a short form (KEY, KEY:TAG, KEY@RUN_PREFIX, KEY#ITER). */
export function parseArtifactRef(text: string): ParsedArtifactRef {
  const input = text.trim()
  if (!input) throw new UserError('Empty artifact reference.', `Use ${EXAMPLES}`)
  let rest = input
  const out: ParsedArtifactRef = {key: ''}
  if (input.includes('://') || /^store:\//i.test(input)) {
    const m = /^store:\/\/([^/]+)\/([^/]+)\/(.+)$/.exec(input)
    if (!m) throw new UserError(`Malformed store URI ${quoteName(text, 100)}.`, `Use ${EXAMPLES}`)
    const category = m[1]!
    if (!(CATEGORIES as readonly string[]).includes(category)) {
      throw new UserError(`Unknown store URI category "${category}" in ${quoteName(text, 100)}: expected artifacts, datasets or models.`, `Use ${EXAMPLES}`)
    }
    out.category = category as ParsedArtifactRef['category']
    out.project = m[2]!
    rest = m[3]!
  }
  const at = rest.lastIndexOf('@')
  if (at >= 0) {
    out.producer = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!/^[0-9a-fA-F]{1,32}$/.test(out.producer)) {
      throw new UserError(`Malformed run uid ${quoteName(out.producer, 40)} after '@' in ${quoteName(text, 100)}.`, `Use ${EXAMPLES}`)
    }
  }
  const colon = rest.lastIndexOf(':')
  if (colon >= 0) {
    out.tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(out.tag)) throw new UserError(`Malformed tag ${quoteName(out.tag, 40)} in ${quoteName(text, 100)}.`, `Use ${EXAMPLES}`)
  }
  const hash = rest.lastIndexOf('#')
  if (hash >= 0) {
    const iter = rest.slice(hash + 1)
    if (!/^\d+$/.test(iter)) throw new UserError(`Malformed iteration ${quoteName(`#${iter}`, 40)} in ${quoteName(text, 100)}: expected a number.`, `Use ${EXAMPLES}`)
    if (!Number.isSafeInteger(Number(iter))) throw new UserError(`Iteration ${quoteName(`#${iter}`, 40)} in ${quoteName(text, 100)} is past any iteration a sweep runs.`, `Use ${EXAMPLES}`)
    out.iter = Number(iter)
    rest = rest.slice(0, hash)
  }
  if (!rest) throw new UserError(`No key in artifact reference ${quoteName(text, 100)}.`, `Use ${EXAMPLES}`)
  out.key = rest
  return out
}

/** An artifact reference as text: the inverse of parseArtifactRef (a store:// URI when project and category are given). */
export function formatArtifactRef(ref: ParsedArtifactRef): string {
  const base = ref.project ? `store://${ref.category ?? 'artifacts'}/${ref.project}/${ref.key}` : ref.key
  return `${base}${ref.iter === undefined ? '' : `#${ref.iter}`}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.producer === undefined ? '' : `@${ref.producer}`}`
}

/** `RUN/OUTPUT`: a uid prefix (4 to 32 hex digits) and an output key; null when the text has not that shape. */
export function parseRunOutputRef(text: string): {run: string; output: string} | null {
  if (text.includes('://')) return null
  const m = /^([0-9a-f]{4,32})\/(.+)$/.exec(text)
  return m ? {run: m[1]!, output: m[2]!} : null
}

export function formatRunOutputRef(ref: {run: string; output: string}): string {
  return `${ref.run}/${ref.output}`
}

/** A run or workflow id, or a prefix of one, lower-cased; null when it is not 1 to 32 hex digits. */
export function parseIdPrefix(text: string): string | null {
  const prefix = text.trim().toLowerCase()
  return /^[0-9a-f]{1,32}$/.test(prefix) ? prefix : null
}

export function isHubRef(text: string): boolean {
  return text.startsWith('hub://')
}

/** What the hub commands take (NAME[:VERSION]) as a hub:// reference. */
export function toHubRef(text: string): string {
  return isHubRef(text) ? text : `hub://${text}`
}

/** `hub://name[:version]`, or `name[:version]` as the hub commands take it. */
export function parseHubRef(ref: string): {name: string; version: string | undefined} {
  const body = isHubRef(ref) ? ref.slice('hub://'.length) : ref
  const match = /^([a-z][a-z0-9_-]*)(?::([^:]+))?$/i.exec(body)
  if (!match) throw new UserError(`Not a hub function reference: ${JSON.stringify(ref)}`, 'Use hub://NAME or hub://NAME:VERSION, e.g. hub://auto_trainer:1.0.0')
  const version = match[2]
  if (version !== undefined && !VERSION_PATTERN.test(version)) {
    throw new UserError(`Not a version: ${JSON.stringify(version)} in ${JSON.stringify(ref)}`, 'Hub versions are x.y.z, e.g. hub://auto_trainer:1.0.0')
  }
  return {name: match[1]!, version}
}

export function formatHubRef(ref: {name: string; version?: string}): string {
  return ref.version === undefined ? `hub://${ref.name}` : `hub://${ref.name}:${ref.version}`
}

/** `FILE#HANDLER` (or a lode.yaml function with a handler): the part before the last '#' and the handler after it (null when none is named). */
export function parseFunctionRef(ref: string): {target: string; handler: string | null} {
  const hash = ref.lastIndexOf('#')
  return hash > 0 ? {target: ref.slice(0, hash), handler: ref.slice(hash + 1) || null} : {target: ref, handler: null}
}

export function formatFunctionRef(ref: {target: string; handler: string | null}): string {
  return ref.handler ? `${ref.target}#${ref.handler}` : ref.target
}
