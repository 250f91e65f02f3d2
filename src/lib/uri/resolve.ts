// From a reference to what it names in the store: RUN/OUTPUT to the URI its run pinned, a store reference to a version.
import {NotFoundError, UserError} from '../errors.ts'
import type {Store} from '../store/store.ts'
import type {ArtifactVersion} from '../types.ts'
import {withArticle} from '../util/words.ts'
import {isStoreUri, parseArtifactRef, parseRunOutputRef} from './refs.ts'

/** `RUN_PREFIX/OUTPUT`: the URI that run's output is pinned to; null when `ref` does not name a run. */
export function runOutputUri(store: Store, ref: string): string | null {
  const m = parseRunOutputRef(ref)
  if (!m) return null
  let run
  try {
    run = store.runs.resolve(m.run)
  } catch {
    return null // not a run: a key with a '/' in it
  }
  const out = run.outputs[m.output]
  if (typeof out !== 'string' || !isStoreUri(out)) {
    const artifacts = Object.entries(run.outputs).filter(([, v]) => typeof v === 'string' && isStoreUri(v)).map(([k]) => k)
    throw new NotFoundError(`Run ${run.uid.slice(0, 8)} has no artifact output "${m.output}". Its artifact outputs: ${artifacts.join(', ') || '(none)'}.`)
  }
  return out
}

/** A store reference (a URI or a short form) to the version it names, with its metadata: one of another project, or of another category than the URI says, is refused. */
export async function resolveArtifactRef(store: Store, ref: string): Promise<ArtifactVersion> {
  const parsed = parseArtifactRef(ref)
  if (parsed.project && parsed.project !== store.project) {
    throw new UserError(`${ref} belongs to project "${parsed.project}", but this project is "${store.project}".`, 'Run lode from that project, or pass --project DIR.')
  }
  const v = store.artifacts.resolve(parsed, {meta: true})
  if (parsed.category) {
    const expected = parsed.category === 'datasets' ? 'dataset' : parsed.category === 'models' ? 'model' : null
    if (expected && v.kind !== expected) throw new UserError(`${ref} names ${withArticle(parsed.category.slice(0, -1))}, but "${v.key}" is ${withArticle(v.kind)}.`, `Use ${v.uri}`)
  }
  return v
}
