// `lode pull`: the packs this clone has not merged, merged in name (time) order; tags settled by their latest move.
import {UserError} from '../errors.ts'
import type {Project} from '../project/project.ts'
import {RemoteRecords} from '../store/remote-records.ts'
import {RemoteState} from '../store/remote-state.ts'
import {chooseRemote, layout, remoteId} from './config.ts'
import {mapLimit} from './fetch-object.ts'
import {laterMove, parsePack, type Pack, type PackTag} from './pack.ts'
import {readMarker} from './push.ts'
import {S3Remote} from './s3.ts'

/** How long a pack that does not parse may be one still being written. */
const YOUNG_MS = 120_000

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

export interface PullResult {
  remote: string
  url: string
  packs: number
  runs: number
  versions: number
  workflows: number
  tags: number
}

export async function pull(project: Project, o: {remote?: string} = {}): Promise<PullResult> {
  project.store.assertWritable()
  const r = chooseRemote(project.config, o.remote)
  const rid = remoteId(r)
  const state = RemoteState.open(project.store.dir)
  const remote = await S3Remote.open(r)
  try {
    const result: PullResult = {remote: r.name, url: r.url, packs: 0, runs: 0, versions: 0, workflows: 0, tags: 0}
    const prefix = layout.packs(r)
    const seen = state.seenPacks(rid)
    const listed = (await remote.list(prefix)).filter((x) => {
      const n = x.key.slice(prefix.length)
      return n.endsWith('.json') && !n.includes('/') && !seen.has(n)
    }).sort((x, y) => (x.key < y.key ? -1 : 1))
    const names = listed.map((x) => x.key.slice(prefix.length))
    if (names.length === 0) return result
    const marker = await remote.getBytes(layout.marker(r))
    if (marker) {
      const {project: holds} = readMarker(marker.toString('utf8'), r)
      if (holds !== project.name) throw new UserError(`${r.url} holds project "${holds}", not "${project.name}": nothing was pulled.`, `Clone it instead: lode clone ${r.url} DIR${r.endpoint ? ` --endpoint ${r.endpoint}` : ''}`)
    }
    const packs = await mapLimit(listed, 8, async (x, i) => {
      const body = await remote.getBytes(x.key)
      if (body === null) return null
      const text = body.toString('utf8')
      // a server that does not write objects at once (some S3-compatible ones) may show a pack still being written:
      // a young one cut short (not whole JSON) is left for the next pull
      if (Date.now() - x.modified < YOUNG_MS && !isJson(text)) return null
      return parsePack(text, names[i]!)
    })
    const records = new RemoteRecords(project.store)
    const got = packs.filter((p): p is Pack => p !== null)
    project.store.db.tx(() => {
      for (const pack of got) {
        if (pack.project !== project.name) throw new UserError(`A pack on ${r.url} belongs to project "${pack.project}", not "${project.name}": nothing was pulled.`)
        const added = records.merge(pack)
        result.runs += added.runs.length
        result.versions += added.versions.length
        result.workflows += added.workflows.length
      }
      result.tags = settleTags(records, state, rid, got.flatMap((p) => p.tags))
    })
    state.tx(() => {
      for (const pack of got) {
        state.markRecords(rid, 'run', pack.runs.map((x) => String(x.row.uid)))
        state.markRecords(rid, 'version', pack.versions.map((v) => v.vid))
        state.markRecords(rid, 'workflow', pack.workflows.map((w) => String(w.row.id)))
        state.markObjects(rid, pack.versions.flatMap((v) => v.objects))
      }
      names.forEach((n, i) => packs[i] && state.markPack(rid, n))
    })
    result.packs = got.length
    return result
  } finally {
    remote.close()
    state.close()
  }
}

/**
 * The winning move of each tag (greatest time, then clone) is applied unless this clone moved the tag itself since
 * it last synced: then its own move stands, and its next push (a later move) wins everywhere. Every move stays in
 * the packs, so none is lost. Returns the number of tags changed here.
 */
function settleTags(records: RemoteRecords, state: RemoteState, rid: string, moves: PackTag[]): number {
  const winners = new Map<string, PackTag>()
  for (const m of moves) {
    const id = `${m.key}\0${m.tag}`
    const best = winners.get(id)
    if (!best || laterMove(m, best)) winners.set(id, m)
  }
  const synced = state.tags(rid)
  let changed = 0
  for (const [id, m] of winners) {
    const had = synced.get(id)
    if (had && !laterMove(m, had)) continue
    const here = records.tagTarget(m.key, m.tag)
    if (here === (had?.vid ?? null) && here !== m.vid) {
      if (records.applyTag(m.key, m.tag, m.vid, m.sha256)) changed++
    }
    state.tx(() => state.setTag(rid, m))
  }
  return changed
}
