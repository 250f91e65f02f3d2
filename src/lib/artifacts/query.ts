// Listing and showing artifact versions for the CLI.
import {UserError} from '../errors.ts'
import type {ArtifactQuery} from '../store/artifacts.ts'
import type {Store} from '../store/store.ts'
import {ARTIFACT_KINDS, type ArtifactKind, type ArtifactVersion} from '../types.ts'
import {formatTable, humanAge, humanSize, parseDuration} from '../util/format.ts'

export function buildArtifactQuery(f: {glob?: string; kind?: string; tag?: string; labels?: Record<string, string>; producer?: string; since?: string; allVersions?: boolean; limit?: number}): ArtifactQuery {
  if (f.kind && !ARTIFACT_KINDS.includes(f.kind as ArtifactKind)) throw new UserError(`Unknown kind "${f.kind}": one of ${ARTIFACT_KINDS.join(', ')}.`)
  let sinceMs: number | undefined
  if (f.since) {
    const ms = parseDuration(f.since)
    if (ms === null) throw new UserError(`Malformed --since "${f.since}": use a duration such as 90s, 15m, 2h, 7d or 1w.`)
    sinceMs = Date.now() - ms
  }
  // what a run produced is wanted whether or not a later run logged the same keys since
  const allVersions = f.allVersions || Boolean(f.producer)
  return {glob: f.glob, kind: f.kind as ArtifactKind | undefined, tag: f.tag, labels: f.labels, producer: f.producer, sinceMs, allVersions, limit: f.limit}
}

export function listArtifacts(store: Store, q: ArtifactQuery): ArtifactVersion[] {
  return store.artifacts.list(q)
}

export function formatArtifactsTable(versions: ArtifactVersion[], filtered = false): string {
  if (versions.length === 0) return filtered ? 'No artifacts match these filters (without --all-versions, only the latest version of each key is listed).' : 'No artifacts yet. Handlers log them with ctx.logArtifact / logDataset / logModel.'
  const now = Date.now()
  return formatTable(
    ['KEY', 'KIND', 'VERSION', 'TAGS', 'SIZE', 'PRODUCER', 'AGE'],
    versions.map((v) => [v.key, v.kind, `v${v.version}${v.iter ? `#${v.iter}` : ''}`, v.tags.join(',') || '-', humanSize(v.size), v.producer ? v.producer.slice(0, 8) : '-', humanAge(now - v.created)]),
  )
}
