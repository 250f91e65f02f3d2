// `lode report`: one HTML file with the run, compare and artifact pages of chosen runs. The page's script and styles
// are inlined and the API's answers embedded as JSON, so it opens from a file, offline, as a CI artifact.
import {dirname, join, resolve} from 'node:path'
import {UserError} from '../errors.ts'
import {isDirectory, writeFileAtomic} from '../project/project-file.ts'
import {checkOutputTarget} from '../util/output-target.ts'
import {pickRuns} from '../runs/select.ts'
import type {Store} from '../store/store.ts'
import type {ArtifactVersion, Run} from '../types.ts'
import * as api from './api.ts'
import {loadAssets} from './assets.ts'

/** Bodies of HTML, SVG and images up to this size are embedded (shown sandboxed); larger ones are left out. */
export const EMBED_MAX = 2 * 1024 * 1024

/** No request ever leaves the file; its own script and styles are the only ones that run. */
const REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; base-uri 'none'; form-action 'none'"

function embedKind(v: ArtifactVersion): 'text' | 'image' | null {
  const mime = v.meta?.mime ?? ''
  if (mime.startsWith('text/html') || mime === 'image/svg+xml' || ['html', 'htm', 'svg'].includes(v.format)) return 'text'
  if (mime.startsWith('image/') || ['png', 'jpg', 'jpeg', 'gif'].includes(v.format)) return 'image'
  return null
}

/** JSON inside a <script> element: nothing in it can close the element or start a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

export async function reportData(store: Store, runs: Run[]): Promise<Record<string, unknown>> {
  const data: Record<string, unknown> = {}
  data['/api/runs'] = {total: runs.length, offset: 0, runs: runs.map(api.runRow)}
  const artifacts: ArtifactVersion[] = []
  for (const r of runs) {
    const detail = api.apiRun(store, r.uid)
    data[`/api/runs/${r.uid}`] = detail
    data[`/api/runs/${r.uid}/log`] = api.apiRunLog(store, r.uid, new URLSearchParams())
    artifacts.push(...detail.artifacts)
  }
  if (runs.length >= 2) data['/api/compare'] = api.apiCompare(store, new URLSearchParams({uids: runs.map((r) => r.uid).join(',')}))
  data['/api/artifacts'] = {artifacts}
  for (const v of artifacts) {
    data[`/api/artifacts/${v.id}`] = api.apiArtifact(store, String(v.id))
    data[`/api/artifacts/${v.id}/lineage`] = api.apiLineage(store, String(v.id))
    const kind = embedKind(v)
    if (kind && v.size <= EMBED_MAX) {
      const bytes = await store.objects.readVerified(v.sha256)
      data[`raw:${v.id}`] = kind === 'text' ? bytes.toString('utf8') : `data:${v.meta?.mime ?? `image/${v.format === 'jpg' ? 'jpeg' : v.format}`};base64,${bytes.toString('base64')}`
    }
  }
  return data
}

export function reportHtml(data: Record<string, unknown>, title: string): string {
  const assets = loadAssets()
  const safeTitle = title.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)
  return assets.html
    .replace('<title>lode</title>', `<title>lode</title>\n<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">\n<meta name="description" content="${safeTitle}">`)
    .replace('<link rel="stylesheet" href="app.css">', () => `<style>\n${assets.css}</style>`)
    .replace('<script src="app.js"></script>', () => `<script id="lode-data" type="application/json">${scriptJson(data)}</script>\n<script>${assets.js.replace(/<\/script/gi, '<\\/script')}</script>`)
}

export async function writeReport(store: Store, pick: {uids: string[]; where?: string; limit: number}, output: string): Promise<{path: string; runs: string[]; bytes: number}> {
  const runs = pick.uids.length === 0 && pick.where === undefined ? store.runs.list({limit: pick.limit}) : pickRuns(store, pick, 'report')
  const html = reportHtml(await reportData(store, runs), `${runs.length} runs of ${store.project}`)
  const path = resolve(output)
  if (isDirectory(path)) throw new UserError(`-o ${output} is a folder; give the name of the HTML file to write.`, `Try: lode report -o ${join(output, 'report.html')}`)
  if (!isDirectory(dirname(path))) throw new UserError(`-o ${output}: the folder ${dirname(path)} does not exist.`, 'Create it first, or write the report elsewhere.')
  checkOutputTarget(store.dir, path)
  writeFileAtomic(path, html)
  return {path, runs: runs.map((r) => r.uid), bytes: Buffer.byteLength(html)}
}
