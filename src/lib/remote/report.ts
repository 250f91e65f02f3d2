// What push and pull say: one summary line, and on a terminal a progress line redrawn in place on stderr.
import {humanSize} from '../util/format.ts'
import type {PullResult} from './pull.ts'
import type {PushProgress, PushResult} from './push.ts'

export function pushSummary(r: PushResult): string {
  if (!r.pack) return `Everything is on ${r.remote} already (${r.url}).`
  const o = r.objects
  return `Pushed to ${r.remote}: ${r.runs} runs, ${r.versions} versions, ${r.tags} tag moves, ${r.workflows} workflows; ` +
    `${o.uploaded} objects uploaded (${humanSize(o.bytes)}), ${o.alreadyThere} already there.`
}

export function pullSummary(r: PullResult): string {
  if (!r.packs) return `Up to date with ${r.remote} (${r.url}).`
  return `Pulled from ${r.remote}: ${r.runs} runs, ${r.versions} versions, ${r.workflows} workflows, ${r.tags} tags changed (from ${r.packs} packs).`
}

/** A progress line on a terminal (not under --json or CI), at most 10 redraws a second. */
export function pushProgress(stream: NodeJS.WriteStream, json: boolean): {update: (p: PushProgress) => void; done: () => void} {
  const live = Boolean(stream.isTTY) && !json && !process.env.CI
  let last = 0
  let shown = false
  const draw = (p: PushProgress) => {
    stream.write(`\r\x1b[2Kpush: ${p.objects}/${p.objectsTotal} objects, ${humanSize(p.bytes)} of ${humanSize(p.bytesTotal)}`)
    shown = true
  }
  let latest: PushProgress | null = null
  return {
    update: (p) => {
      latest = p
      if (!live || Date.now() - last < 100) return
      last = Date.now()
      draw(p)
    },
    done: () => {
      if (!live || !shown) return
      if (latest) draw(latest)
      stream.write('\n')
    },
  }
}
