// Removing versions, collecting garbage, verifying bytes. Metadata first, then bytes no version references.
import {existsSync, lstatSync, readdir, rm, statSync} from '../util/fs.ts'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {UserError} from '../errors.ts'
import {isProcessAlive} from '../runs/liveness.ts'
import type {Store} from '../store/store.ts'
import {LIVE_STATES, type ArtifactVersion} from '../types.ts'

/** Objects younger than this may belong to an ingestion still in progress; gc leaves them. */
const GRACE_MS = 60 * 60 * 1000

export interface RemoveResult {
  removed: {key: string; version: number; uri: string}[]
  protected: {key: string; version: number; tags: string[]}[]
  /** versions a running run reads or a resumable workflow will reuse: kept, even with --force */
  inUse: {key: string; version: number; by: string[]}[]
  freedBytes: number
  objectsRemoved: number
}

function userTags(v: ArtifactVersion): string[] {
  return v.tags.filter((t) => t !== 'latest')
}

/**
 * Version id -> who still needs it: runs not ended that read it (a run whose lode died on this host does not count),
 * and resumable workflows that will reuse it. Read inside the transaction that deletes, so no run starts in between.
 */
function versionsInUse(store: Store): Map<number, string[]> {
  const host = hostname()
  const inUse = new Map<number, string[]>()
  for (const h of store.artifacts.holders()) {
    let by: string
    if (h.run) {
      if (h.run.host === host && (h.run.pid === null || !isProcessAlive(h.run.pid))) continue
      by = `run ${h.run.uid.slice(0, 8)} (${h.run.name})`
    } else {
      by = `workflow ${h.workflow!.id.slice(0, 8)} (${h.workflow!.name}), which can be resumed`
    }
    const list = inUse.get(h.id) ?? []
    if (!list.includes(by)) list.push(by)
    inUse.set(h.id, list)
  }
  return inUse
}

export async function removeVersions(store: Store, versions: ArtifactVersion[], opts: {force?: boolean}): Promise<RemoveResult> {
  const prot = versions.filter((v) => userTags(v).length > 0 && !opts.force)
  const {doomed, held, candidates} = store.db.tx(() => {
    const inUse = versionsInUse(store)
    const held = versions.filter((v) => inUse.has(v.id)).map((v) => ({key: v.key, version: v.version, by: inUse.get(v.id)!}))
    const doomed = versions.filter((v) => !prot.includes(v) && !inUse.has(v.id))
    const candidates = new Set(doomed.flatMap((v) => store.artifacts.objectsOf(v.id)))
    store.artifacts.deleteVersions(doomed.map((v) => v.id))
    return {doomed, held, candidates}
  })
  const {freedBytes, objectsRemoved} = await deleteUnreferenced(store, candidates, {graceMs: 0})
  return {
    removed: doomed.map((v) => ({key: v.key, version: v.version, uri: v.uri})),
    protected: prot.filter((v) => !held.some((h) => h.key === v.key && h.version === v.version)).map((v) => ({key: v.key, version: v.version, tags: userTags(v)})),
    inUse: held,
    freedBytes,
    objectsRemoved,
  }
}

/**
 * Objects no version references, deleted under the write lock: a run committing a version meanwhile waits, then
 * finds any object it needs that was deleted and puts its own copy back (ObjectStore.restoreMissing).
 */
async function deleteUnreferenced(store: Store, candidates: Iterable<string>, opts: {graceMs: number; dryRun?: boolean; without?: Set<number>}): Promise<{freedBytes: number; objectsRemoved: number; objectsKept: number}> {
  return store.db.tx(() => {
    // `without`: versions a dry run only pretends to have deleted
    const referenced = opts.without?.size
      ? new Set(store.artifacts.objectRefs().filter((r) => !opts.without!.has(r.artifactId)).map((r) => r.sha256))
      : store.artifacts.referencedObjects()
    let freedBytes = 0
    let objectsRemoved = 0
    let objectsKept = 0
    const now = Date.now()
    for (const sha of candidates) {
      if (referenced.has(sha)) continue
      const path = store.objects.path(sha)
      let st
      try {
        st = statSync(path)
      } catch {
        continue
      }
      if (opts.graceMs && now - st.ctimeMs < opts.graceMs) {
        objectsKept++
        continue
      }
      freedBytes += st.size
      objectsRemoved++
      if (!opts.dryRun) store.objects.remove(sha)
    }
    return {freedBytes, objectsRemoved, objectsKept}
  })
}

export interface GcResult {
  dryRun: boolean
  versionsRemoved: {key: string; version: number}[]
  objectsRemoved: number
  /** unreferenced objects written in the last hour, kept (an ingestion may still need them) */
  objectsKept: number
  freedBytes: number
  tempRemoved: string[]
}

export async function collectGarbage(store: Store, opts: {keepLast?: number; dryRun?: boolean; includeInputs?: boolean}): Promise<GcResult> {
  const dryRun = Boolean(opts.dryRun)
  const doomed = opts.keepLast === undefined ? [] : store.db.tx(() => {
    const inUse = versionsInUse(store)
    const beyond = versionsBeyond(store, opts.keepLast!, Boolean(opts.includeInputs)).filter((v) => !inUse.has(v.id))
    if (!dryRun) store.artifacts.deleteVersions(beyond.map((v) => v.id))
    return beyond
  })
  const {freedBytes, objectsRemoved, objectsKept} = await deleteUnreferenced(store, await store.objects.list(), {
    graceMs: GRACE_MS, dryRun, without: dryRun ? new Set(doomed.map((v) => v.id)) : undefined,
  })
  const tempRemoved = await cleanTemp(store, dryRun)
  return {dryRun, versionsRemoved: doomed.map(({key, version}) => ({key, version})), objectsRemoved, objectsKept, freedBytes, tempRemoved}
}

/** Untagged versions beyond the newest `keepLast` of each key, but never one a run read unless asked. */
function versionsBeyond(store: Store, keepLast: number, includeInputs: boolean): {id: number; key: string; version: number}[] {
  if (keepLast < 1) throw new UserError('--keep-last must be at least 1.')
  const usedAsInput = store.runs.inputArtifactIds()
  const tagged = store.artifacts.userTaggedIds()
  const perKey = new Map<string, number>()
  return store.artifacts.allIds().filter((r) => {
    const n = (perKey.get(r.key) ?? 0) + 1
    perKey.set(r.key, n)
    return n > keepLast && !tagged.has(r.id) && (includeInputs || !usedAsInput.has(r.id))
  })
}

/** Temp files of lode processes that are gone, and staging folders of runs that ended. */
async function cleanTemp(store: Store, dryRun: boolean): Promise<string[]> {
  const removed: string[] = []
  const tmp = join(store.dir, 'tmp')
  // a folder of the store replaced by a symlink is not followed: what it leads to is not lode's to delete
  for (const name of isRealDir(tmp) ? await readdir(tmp) : []) {
    const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(name)?.[1] ?? NaN)
    if (Number.isInteger(pid) && isProcessAlive(pid)) continue
    removed.push(join('tmp', name))
    if (!dryRun) await rm(join(tmp, name), {recursive: true, force: true})
  }
  const runsDir = join(store.dir, 'runs')
  for (const uid of isRealDir(runsDir) ? await readdir(runsDir) : []) {
    if (!isRealDir(join(runsDir, uid))) continue
    for (const sub of ['staging', 'inputs']) {
      const dir = join(runsDir, uid, sub)
      if (!existsSync(dir)) continue
      const run = store.runs.get(uid)
      if (run && LIVE_STATES.includes(run.state) && (run.job || (run.pid !== null && isProcessAlive(run.pid)))) continue
      // a run still resolving its inputs has a folder but no record yet
      if (!run && Date.now() - statSync(dir).mtimeMs < GRACE_MS) continue
      removed.push(join('runs', uid, sub))
      if (!dryRun) await rm(dir, {recursive: true, force: true})
    }
  }
  return removed
}

/** A folder itself, not a symlink to one. */
function isRealDir(path: string): boolean {
  return lstatSync(path, {throwIfNoEntry: false})?.isDirectory() === true
}

export interface VerifyProblem {
  sha256: string
  status: 'missing' | 'corrupt'
  /** why --fetch could not bring it (bytes on the remote that do not match) */
  fetchError?: string
  artifacts: {key: string; version: number; uri: string}[]
}

export async function verifyStore(store: Store, versions?: ArtifactVersion[], opts: {fetch?: boolean} = {}): Promise<{checked: number; problems: VerifyProblem[]}> {
  const rows = versions
    ? versions.flatMap((v) => store.artifacts.objectsOf(v.id).map((sha) => ({sha256: sha, artifactId: v.id})))
    : store.artifacts.objectRefs()
  const bySha = new Map<string, number[]>()
  for (const r of rows) bySha.set(r.sha256, [...(bySha.get(r.sha256) ?? []), r.artifactId])
  const problems: VerifyProblem[] = []
  for (const [sha, ids] of bySha) {
    // --fetch: bytes only on a remote are fetched (refused when they do not match: then still missing here)
    const fetchError = opts.fetch ? await store.objects.ensureLocal([sha]).then(() => undefined, (error: unknown) => (error as Error).message) : undefined
    const status = await store.objects.verify(sha)
    if (status === 'ok') continue
    problems.push({
      sha256: sha,
      status,
      ...(fetchError ? {fetchError} : {}),
      artifacts: ids.map((id) => store.artifacts.get(id)).filter((v): v is ArtifactVersion => Boolean(v)).map((v) => ({key: v.key, version: v.version, uri: v.uri})),
    })
  }
  return {checked: bySha.size, problems}
}
