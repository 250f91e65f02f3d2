// `lode push`: objects first (only those the remote lacks, found by one listing), then one pack of records, written
// last and at once: a push cut short leaves uploaded objects (the next push skips them) and no records.
import {createReadStream, statSync} from '../util/fs.ts'
import {Transform} from 'node:stream'
import {IntegrityError, UserError} from '../errors.ts'
import type {Project} from '../project/project.ts'
import {RemoteRecords, type LocalVersion} from '../store/remote-records.ts'
import {RemoteState, type SyncedTag} from '../store/remote-state.ts'
import {randomHex, sha256Hash} from '../util/hash.ts'
import {chooseRemote, layout, remoteId, type RemoteConfig} from './config.ts'
import {mapLimit} from './fetch-object.ts'
import {laterMove, packName, type Pack, type PackTag} from './pack.ts'
import {S3Remote} from './s3.ts'

export interface PushOptions {
  remote?: string
  /** KEY[:TAG|@RUN] references: those versions and the runs that made them */
  refs?: string[]
  /** runs matching a --where expression, with the versions they made */
  where?: string
  onProgress?: (p: PushProgress) => void
}

export interface PushProgress {
  objects: number
  objectsTotal: number
  bytes: number
  bytesTotal: number
}

export interface PushResult {
  remote: string
  url: string
  /** the pack written, null when there was nothing to send */
  pack: string | null
  runs: number
  versions: number
  tags: number
  workflows: number
  objects: {uploaded: number; alreadyThere: number; bytes: number}
  conditionalWrites: boolean | null
}

export async function push(project: Project, o: PushOptions = {}): Promise<PushResult> {
  const r = chooseRemote(project.config, o.remote)
  const rid = remoteId(r)
  const store = project.store
  const records = new RemoteRecords(store)
  const state = RemoteState.open(store.dir)
  try {
    const scope = await select(project, records, o, state.watermark(rid))
    const runs = state.unsent(rid, 'run', scope.runs)
    const unsentVids = new Set(state.unsent(rid, 'version', scope.versions.map((v) => v.vid)))
    const versionRows = scope.versions.filter((v) => unsentVids.has(v.vid))
    const workflows = state.unsent(rid, 'workflow', scope.workflows)
    const inScope = new Set(scope.versions.map((v) => v.vid))
    const tags = tagMoves(records, state.tags(rid), scope.tagKeys, (vid) => inScope.has(vid) || state.has(rid, 'version', vid), state.origin)
    const versions = records.exportVersions(versionRows.map((v) => v.id))
    const result: PushResult = {remote: r.name, url: r.url, pack: null, runs: runs.length, versions: versions.length, tags: tags.length, workflows: workflows.length,
      objects: {uploaded: 0, alreadyThere: 0, bytes: 0}, conditionalWrites: state.conditional(rid) ?? null}
    const settle = () => scope.watermark && state.tx(() => state.setWatermark(rid, scope.watermark!))
    if (!runs.length && !versions.length && !tags.length && !workflows.length) {
      settle()
      return result
    }

    const remote = await S3Remote.open(r)
    try {
      await claimRemote(remote, project.name)
      let conditional = state.conditional(rid)
      if (conditional === undefined) {
        conditional = await probeConditional(remote, state.origin)
        state.tx(() => state.setConditional(rid, conditional!))
      }
      result.conditionalWrites = conditional

      const known = state.objects(rid)
      const all = [...new Set(versions.flatMap((v) => v.objects))]
      const needed = all.filter((s) => !known.has(s))
      result.objects.alreadyThere = all.length
      if (needed.length) {
        const listed = new Map((await remote.list(layout.objects(r))).map((x) => [x.key.slice(layout.objects(r).length).replace('/', ''), x.size]))
        const sizes = localSizes(project, remote, needed.filter((s) => !(listed.has(s) && !project.store.objects.has(s))))
        // an object of another size is one a server that does not write at once left unfinished: sent again
        const there = needed.filter((s) => listed.has(s) && (!sizes.has(s) || listed.get(s) === sizes.get(s)))
        state.tx(() => state.markObjects(rid, there))
        const thereSet = new Set(there)
        const upload = needed.filter((s) => !thereSet.has(s))
        result.objects.alreadyThere = all.length - upload.length
        await uploadObjects(project, remote, state, rid, upload, sizes, result, o.onProgress)
      }

      const pack: Pack = {schema: 1, project: project.name, origin: state.origin, created: Date.now(),
        runs: records.exportRuns(runs), versions, tags, workflows: records.exportWorkflows(workflows)}
      const body = JSON.stringify(pack)
      let name = packName(pack.created, state.origin, randomHex(4))
      // a name is unique by construction; where the server honours If-None-Match it cannot even in theory replace one
      while (!(await remote.put(`${layout.packs(r)}${name}`, body, {ifNoneMatch: conditional, contentType: 'application/json'}))) {
        name = packName(pack.created, state.origin, randomHex(4))
      }
      result.pack = name
      state.tx(() => {
        state.markPack(rid, name)
        state.markRecords(rid, 'run', runs)
        state.markRecords(rid, 'version', versions.map((v) => v.vid))
        state.markRecords(rid, 'workflow', workflows)
        const synced = state.tags(rid)
        for (const t of tags) {
          const had = synced.get(`${t.key}\0${t.tag}`)
          if (!had || laterMove(t, had)) state.setTag(rid, t)
        }
      })
      settle()
      return result
    } finally {
      remote.close()
    }
  } finally {
    state.close()
  }
}

interface Scope {
  runs: string[]
  versions: LocalVersion[]
  workflows: string[]
  /** the keys whose tags this push sends (null: every key) */
  tagKeys: Set<string> | null
  /** where a whole push that succeeds leaves off */
  watermark?: {versionId: number; ended: number}
}

const RUNNING = new Set(['created', 'running'])

/** Runs that end this long after they were last seen running still count as new to the next push. */
const ENDED_MARGIN_MS = 10 * 60_000

/**
 * What the push covers: everything (newer than the last whole push), some versions (and the runs that made them), or
 * the runs a --where selects. A version of a run still going is left for a later push.
 */
async function select(project: Project, records: RemoteRecords, o: PushOptions, mark: {versionId: number; ended: number}): Promise<Scope> {
  const sendable = (v: LocalVersion) => v.runState === null || !RUNNING.has(v.runState)
  if (o.refs?.length && o.where !== undefined) throw new UserError('Give artifact references or --runs, not both.', 'Try: lode push model:prod, or lode push --runs \'state == "completed"\'')
  if (o.refs?.length) {
    const {resolveRef} = await import('../artifacts/get-command.ts')
    const ids = new Set<number>()
    for (const ref of o.refs) ids.add((await resolveRef(project.store, ref)).id)
    const versions = records.versions().filter((v) => ids.has(v.id))
    if (versions.some((v) => !sendable(v))) throw new UserError('A version you named was made by a run that has not ended yet: push it when the run is over.')
    const runs = [...new Set(versions.filter((v) => v.runState !== null).map((v) => v.producer!))]
    return {runs, versions, workflows: [], tagKeys: new Set(versions.map((v) => v.key))}
  }
  if (o.where !== undefined) {
    const {pickRuns} = await import('../runs/select.ts')
    const runs = pickRuns(project.store, {uids: [], where: o.where, limit: 1_000_000_000}, 'push --runs').filter((x) => !RUNNING.has(x.state)).map((x) => x.uid)
    const chosen = new Set(runs)
    const versions = records.versions().filter((v) => v.producer !== null && chosen.has(v.producer))
    return {runs, versions, workflows: [], tagKeys: new Set(versions.map((v) => v.key))}
  }
  const now = Date.now()
  const maxId = records.maxVersionId()
  const newer = records.versions(mark.versionId)
  const versions = newer.filter(sendable)
  // the next whole push starts above the versions sent now, but not above one whose run is still going
  const waiting = newer.filter((v) => !sendable(v)).map((v) => v.id)
  const versionId = waiting.length ? Math.min(...waiting) - 1 : maxId
  return {runs: records.endedRuns(mark.ended), versions, workflows: records.endedWorkflows(mark.ended), tagKeys: null,
    watermark: {versionId, ended: now - ENDED_MARGIN_MS}}
}

/** Tag moves the remote has not seen: every user tag here that differs from what was last synced, and tags removed here. */
function tagMoves(records: RemoteRecords, synced: Map<string, SyncedTag>, keys: Set<string> | null, pushable: (vid: string) => boolean, origin: string): PackTag[] {
  const ts = Date.now()
  const out: PackTag[] = []
  const here = new Set<string>()
  for (const t of records.userTags()) {
    if (keys && !keys.has(t.key)) continue
    here.add(`${t.key}\0${t.tag}`)
    const had = synced.get(`${t.key}\0${t.tag}`)
    if (had?.vid === t.vid || !pushable(t.vid)) continue
    out.push({key: t.key, tag: t.tag, vid: t.vid, sha256: t.sha256, ts, origin})
  }
  for (const [id, had] of synced) {
    if (here.has(id) || had.vid === null || (keys && !keys.has(had.key))) continue
    out.push({key: had.key, tag: had.tag, vid: null, sha256: null, ts, origin})
  }
  return out
}

/** The remote's marker names the project it holds: a push never mixes two projects' records. */
async function claimRemote(remote: S3Remote, project: string): Promise<void> {
  const key = layout.marker(remote.config)
  const text = await remote.getBytes(key)
  if (text === null) {
    await remote.put(key, JSON.stringify({schema: 1, project}), {contentType: 'application/json'})
    return
  }
  let marker: {project: string}
  try {
    marker = readMarker(text.toString('utf8'), remote.config)
  } catch {
    // another clone may be writing it this moment, on a server that does not write objects at once: read it again
    await new Promise((resolve) => setTimeout(resolve, 500))
    marker = readMarker((await remote.getBytes(key))?.toString('utf8') ?? '', remote.config)
  }
  if (marker.project !== project) {
    throw new UserError(`${remote.config.url} holds project "${marker.project}", not "${project}": nothing was pushed.`, 'Push to another prefix (lode remote add NAME s3://BUCKET/OTHER), or clone that project: lode clone URL DIR')
  }
}

export function readMarker(text: string, r: RemoteConfig): {project: string} {
  try {
    const m = JSON.parse(text) as {project?: unknown}
    if (typeof m.project === 'string') return {project: m.project}
  } catch {
    /* reported below */
  }
  throw new IntegrityError(`${r.url}: lode-remote.json is damaged.`, 'It should read {"schema": 1, "project": NAME}: write it back, or remove it and push again.')
}

/** Whether the server refuses a second If-None-Match: * write of one key (S3 does since 2024; some servers ignore it). */
async function probeConditional(remote: S3Remote, origin: string): Promise<boolean> {
  const key = layout.probe(remote.config, `${origin}-${randomHex(4)}`)
  try {
    await remote.put(key, 'probe', {ifNoneMatch: true})
    return !(await remote.put(key, 'probe', {ifNoneMatch: true}))
  } finally {
    await remote.remove(key).catch(() => undefined)
  }
}

/** The size of each object here; one that is not here (nor, as the listing said, on the remote) cannot be pushed. */
function localSizes(project: Project, remote: S3Remote, shas: string[]): Map<string, number> {
  const sizes = new Map<string, number>()
  for (const sha of shas) {
    try {
      sizes.set(sha, statSync(project.store.objects.path(sha)).size)
    } catch {
      throw new IntegrityError(`Object ${sha.slice(0, 12)} is not stored here, and ${remote.config.url} does not have it: nothing was pushed.`,
        'Fetch it from the remote it came from (lode artifacts verify --fetch), or push only other artifacts.')
    }
  }
  return sizes
}

async function uploadObjects(project: Project, remote: S3Remote, state: RemoteState, rid: string, shas: string[], sizes: Map<string, number>, result: PushResult, onProgress?: (p: PushProgress) => void): Promise<void> {
  const progress: PushProgress = {objects: 0, objectsTotal: shas.length, bytes: 0, bytesTotal: shas.reduce((n, s) => n + sizes.get(s)!, 0)}
  onProgress?.(progress)
  // the largest first: they take longest, and small ones then fill the gaps
  const order = [...shas].sort((a, b) => sizes.get(b)! - sizes.get(a)!)
  await mapLimit(order, 4, async (sha) => {
    const size = sizes.get(sha)!
    const check = verifyingStream(sha)
    const body = createReadStream(project.store.objects.path(sha)).pipe(check)
    await remote.upload(layout.object(remote.config, sha), body, size, (n) => {
      progress.bytes += n
      onProgress?.(progress)
    })
    state.tx(() => state.markObjects(rid, [sha]))
    progress.objects++
    result.objects.uploaded++
    result.objects.bytes += size
    onProgress?.(progress)
  })
}

/** Passes bytes through, and fails at the end when they are not what their sha256 says: corrupt bytes are never sent. */
function verifyingStream(sha256: string): Transform {
  const hash = sha256Hash()
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      done(null, chunk)
    },
    flush(done) {
      const actual = hash.digest('hex')
      done(actual === sha256 ? null : new IntegrityError(`Object ${sha256.slice(0, 12)} is corrupt here: its bytes no longer match their sha256. It was not pushed.`))
    },
  })
}
