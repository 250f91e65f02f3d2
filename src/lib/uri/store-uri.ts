// store:// addresses: store://artifacts|datasets|models/<project>/<key>[#<iter>][:<tag>][@<run-uid>], and short forms.
import {UserError} from '../errors.ts'
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
  const base = `store://${categoryOf(v.kind)}/${project}/${v.key}`
  const iter = v.iter ? `#${v.iter}` : ''
  return v.producer ? `${base}${iter}@${v.producer}` : `${base}${iter}:v${v.version}`
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
    if (!m) throw new UserError(`Malformed store URI ${JSON.stringify(text)}.`, `Use ${EXAMPLES}`)
    const category = m[1]!
    if (!(CATEGORIES as readonly string[]).includes(category)) {
      throw new UserError(`Unknown store URI category "${category}" in ${JSON.stringify(text)}: expected artifacts, datasets or models.`, `Use ${EXAMPLES}`)
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
      throw new UserError(`Malformed run uid "${out.producer}" after '@' in ${JSON.stringify(text)}.`, `Use ${EXAMPLES}`)
    }
  }
  const colon = rest.lastIndexOf(':')
  if (colon >= 0) {
    out.tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(out.tag)) throw new UserError(`Malformed tag "${out.tag}" in ${JSON.stringify(text)}.`, `Use ${EXAMPLES}`)
  }
  const hash = rest.lastIndexOf('#')
  if (hash >= 0) {
    const iter = rest.slice(hash + 1)
    if (!/^\d+$/.test(iter)) throw new UserError(`Malformed iteration "#${iter}" in ${JSON.stringify(text)}: expected a number.`, `Use ${EXAMPLES}`)
    out.iter = Number(iter)
    rest = rest.slice(0, hash)
  }
  if (!rest) throw new UserError(`No key in artifact reference ${JSON.stringify(text)}.`, `Use ${EXAMPLES}`)
  out.key = rest
  return out
}
