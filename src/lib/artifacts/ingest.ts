// The one ingestion path for every runtime: staged files become content-addressed objects with their metadata.
import {cp, existsSync, realpathSync, rm, statSync, writeFileSync, type Stats} from '../util/fs.ts'
import {specialKind} from '../util/file-kind.ts'
import {dirname, join, relative, resolve, sep} from 'node:path'
import {UserError} from '../errors.ts'
import type {Store} from '../store/store.ts'
import type {PendingFolders, Prehashed, PutResult} from '../store/objects.ts'
import type {NewVersion} from '../store/artifacts.ts'
import type {ArtifactEvent, ArtifactMeta} from '../types.ts'
import {MODEL_SPEC_FILE, modelSpecYaml} from './model.ts'

/**
 * Inside the run's staging area for real, so lode may move it: the staging folder is the one lode made in the store
 * (not a symlink put in its place, nor under a folder of the store replaced by one), and no symlink in the path leads
 * out of it. Anything else is the user's, wherever it is: copied, never moved or written to.
 */
export function isInside(path: string, stagingDir: string, storeDir: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync.native(p)
    } catch {
      return null
    }
  }
  const staging = real(stagingDir)
  const store = real(storeDir)
  const file = real(path)
  if (!staging || !store || !file || staging !== join(store, relative(resolve(storeDir), resolve(stagingDir)))) return false
  const rel = relative(staging, file)
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep)
}

function sparesOf(put: {sha256: string; spare?: string}): Record<string, string> {
  return put.spare ? {[put.sha256]: put.spare} : {}
}

/** The paths that more than one artifact names: the same path, or one inside another's folder. */
export function sharedPaths(events: Pick<ArtifactEvent, 'path'>[]): Set<string> {
  const paths = events.map((e) => resolve(e.path))
  const all = new Set(paths)
  const shared = new Set<string>()
  const seen = new Set<string>()
  for (const path of paths) {
    if (seen.has(path)) shared.add(path)
    seen.add(path)
    for (let parent = dirname(path); parent !== dirname(parent); parent = dirname(parent)) {
      if (!all.has(parent)) continue
      shared.add(path)
      shared.add(parent)
    }
  }
  return shared
}

/** The last event per (key, iter) wins: logging a key twice in one run replaces it. */
export function latestPerKey(events: ArtifactEvent[]): ArtifactEvent[] {
  const byKey = new Map<string, ArtifactEvent>()
  for (const e of events) {
    const id = `${e.key}#${e.iter ?? 0}`
    byKey.delete(id)
    byKey.set(id, e)
  }
  return [...byKey.values()]
}

/** What was done with logged files while the handler ran (src/lib/executor/early-store.ts). */
export interface EarlyWork {
  /** a staged file's early hash */
  known(path: string): Promise<Prehashed | null>
  /** the copy taken at once for an event with `ack` */
  taken(ack: string): PutResult | Error | undefined
}

/**
 * Store the bytes of one staged artifact and describe it. Metadata is committed later, with the run. With `pending`,
 * the folders of new objects are fsynced by the caller (ObjectStore.syncFolders) before it commits.
 */
/** A FIFO would be read forever (waiting for a writer), a device such as /dev/zero never ends: only files and folders are stored. */
export function refuseSpecial(e: Pick<ArtifactEvent, 'key' | 'path'>, st: Stats): void {
  const special = specialKind(st)
  if (special) throw new UserError(`Artifact "${e.key}": ${e.path} is ${special}, not a file or a folder; only files and folders are stored.`)
}

/**
 * `copy`: another artifact of the run names the same staged file or folder (or one inside it, or one holding it): moving
 * it into the store would take it from under the other, so it is copied.
 */
export async function ingestArtifact(store: Store, e: ArtifactEvent, producer: string, stagingDir: string, pending?: PendingFolders, early?: EarlyWork, {copy = false}: {copy?: boolean} = {}): Promise<NewVersion> {
  const taken = e.ack === undefined ? undefined : early?.taken(e.ack)
  if (taken instanceof Error) throw taken
  if (taken && e.kind !== 'dataset') {
    return {key: e.key, kind: e.kind, iter: e.iter ?? 0, producer, labels: e.labels ?? {}, ...(e.tag ? {tags: [e.tag]} : {}), sha256: taken.sha256, size: taken.size, format: e.format ?? '', meta: e.mime ? {mime: e.mime} : {}, objects: [taken.sha256], spares: sparesOf(taken)}
  }
  if (!existsSync(e.path)) throw new UserError(`Artifact "${e.key}": the logged path ${e.path} no longer exists.`)
  const move = !copy && isInside(e.path, stagingDir, store.dir)
  const base = {key: e.key, kind: e.kind, iter: e.iter ?? 0, producer, labels: e.labels ?? {}, ...(e.tag ? {tags: [e.tag]} : {})}
  const st = statSync(e.path)
  const isDir = st.isDirectory()
  refuseSpecial(e, st)

  if (e.kind === 'model') {
    if (!isDir) throw new UserError(`Model "${e.key}": expected a staged directory.`)
    const model = e.model ?? {framework: '', algorithm: '', modelFile: null, metrics: {}, parameters: {}, extraData: []}
    // model.yaml is written into the folder stored: a folder that is not lode's is copied first, never written to
    const folder = move ? e.path : store.objects.tmpPath('model')
    if (!move) await cp(e.path, folder, {recursive: true})
    let put
    try {
      writeFileSync(join(folder, MODEL_SPEC_FILE), modelSpecYaml(e.key, model))
      put = await store.objects.putDir(folder, {move: true, pending})
    } finally {
      if (!move) await rm(folder, {recursive: true, force: true})
    }
    return {...base, sha256: put.sha256, size: put.size, format: 'model', meta: {model, files: put.files}, objects: [put.sha256, ...put.files.map((f) => f.sha256)], spares: put.spares}
  }

  if (isDir || e.kind === 'dir') {
    if (!isDir) throw new UserError(`Artifact "${e.key}" is logged as a dir but ${e.path} is a file.`)
    const put = await store.objects.putDir(e.path, {move, pending})
    return {...base, kind: 'dir', sha256: put.sha256, size: put.size, format: '', meta: {files: put.files}, objects: [put.sha256, ...put.files.map((f) => f.sha256)], spares: put.spares}
  }

  const known = move && early ? await early.known(e.path) : null
  if (e.kind === 'dataset') return ingestDataset(store, e, base, move, pending, known)

  const put = await store.objects.putFile(e.path, {move, pending, known})
  const meta: ArtifactMeta = e.mime ? {mime: e.mime} : {}
  return {...base, sha256: put.sha256, size: put.size, format: e.format ?? '', meta, objects: [put.sha256], spares: sparesOf(put)}
}

async function ingestDataset(store: Store, e: ArtifactEvent, base: Pick<NewVersion, 'key' | 'kind' | 'iter' | 'producer' | 'labels' | 'tags'>, move: boolean, pending?: PendingFolders, known?: Prehashed | null): Promise<NewVersion> {
  const {detectFormat, convertFile} = await import('./formats.ts')
  const format = e.format || detectFormat(e.path)
  const target = e.targetFormat ?? (['parquet', 'csv', 'ndjson', 'ipc'].includes(format) ? format : 'parquet')
  let path = e.path
  let owned = move
  let tmp: string | null = null
  let frame = null
  if (format !== target) {
    tmp = store.objects.tmpPath(`dataset.${target}`)
    frame = convertFile(e.path, format, tmp, target as never, e.schema)
    path = tmp
    owned = true
  }
  let spare: string | undefined
  try {
    let dataset = e.datasetMeta
    if (!dataset || format !== target) {
      const [{describeFrameAsync}, {readFrame}] = await Promise.all([import('./dataset.ts'), import('./formats.ts')])
      dataset = await describeFrameAsync(frame ?? readFrame(path, target, e.schema), {preview: e.preview ?? 20, stats: e.stats ?? true})
    }
    const put = await store.objects.putFile(path, {move: owned, pending, known: path === e.path ? known : null})
    spare = put.spare
    return {...base, sha256: put.sha256, size: put.size, format: target, meta: {dataset}, objects: [put.sha256], spares: sparesOf(put)}
  } finally {
    // the converted copy is gone (moved into the store) unless it became the spare, kept until the commit
    if (tmp && spare !== tmp) await rm(tmp, {force: true})
  }
}
