// Previews of one artifact version: a dataset's schema, statistics and histograms, a plot inline (sandboxed), a
// model's metrics and files, and links to download the bytes.
import type {ArtifactVersion} from '../../types.ts'
import {histogram} from './charts.ts'
import {embeddedBody, isReport, rawUrl} from './data.ts'
import {fmtSize, fmtValue, h, kvTable} from './dom.ts'

/** HTML and SVG may carry script: shown only in an iframe with every sandbox restriction (no scripts, no same origin). */
function sandboxed(v: ArtifactVersion): HTMLElement {
  const frame = h('iframe', {sandbox: '', class: 'artifact-frame', title: v.key, 'data-artifact-frame': String(v.id), referrerpolicy: 'no-referrer'})
  if (isReport) {
    const body = embeddedBody(v.id)
    if (body === null) return h('p', {class: 'muted'}, '(not embedded in this report)')
    frame.setAttribute('srcdoc', body)
  } else frame.setAttribute('src', rawUrl(v.id)!)
  return frame
}

function isPlotLike(v: ArtifactVersion): 'frame' | 'image' | null {
  const mime = v.meta?.mime ?? ''
  if (mime.startsWith('text/html') || mime === 'image/svg+xml' || ['html', 'htm', 'svg'].includes(v.format)) return 'frame'
  if (mime.startsWith('image/') || ['png', 'jpg', 'jpeg', 'gif'].includes(v.format)) return 'image'
  return null
}

export function downloadLink(v: ArtifactVersion, file?: string): HTMLElement | null {
  const url = rawUrl(v.id, {file, download: true})
  return url ? h('a', {href: url, class: 'download', download: ''}, file ? 'download' : `download (${fmtSize(v.size)})`) : null
}

export function artifactPreview(v: ArtifactVersion): HTMLElement {
  const box = h('div', {class: 'preview', 'data-preview': v.kind})
  const ds = v.meta?.dataset
  if (ds) {
    box.append(h('p', {}, `${ds.rows} rows × ${ds.schema.length} columns`))
    const stats = ds.stats ?? []
    box.append(h('table', {class: 'grid'},
      h('thead', {}, h('tr', {}, ['column', 'dtype', 'count', 'nulls', 'min', 'max', 'mean', 'std', 'distinct'].map((c) => h('th', {}, c)))),
      h('tbody', {}, (stats.length ? stats : ds.schema.map((s) => ({...s, count: '', nulls: ''}))).map((s) => {
        const c = s as unknown as Record<string, unknown>
        return h('tr', {}, ['name', 'dtype', 'count', 'nulls', 'min', 'max', 'mean', 'std', 'distinct'].map((k) => h('td', {}, fmtValue(c[k]))))
      }))))
    const charts = stats.map((c) => histogram(c)).filter((c) => c !== null).slice(0, 12)
    if (charts.length) box.append(h('div', {class: 'charts'}, charts))
    if (ds.preview && ds.preview.rows.length) {
      box.append(h('details', {}, h('summary', {}, `first ${ds.preview.rows.length} rows`), h('table', {class: 'grid'},
        h('thead', {}, h('tr', {}, ds.preview.columns.map((c) => h('th', {}, c)))),
        h('tbody', {}, ds.preview.rows.map((r) => h('tr', {}, r.map((x) => h('td', {}, fmtValue(x)))))))))
    }
  }
  const m = v.meta?.model
  if (m) {
    box.append(kvTable([['framework', m.framework], ['algorithm', m.algorithm], ['model file', m.modelFile]]))
    box.append(h('h3', {}, 'metrics'), kvTable(Object.entries(m.metrics)))
    if (Object.keys(m.parameters).length) box.append(h('details', {}, h('summary', {}, 'parameters'), kvTable(Object.entries(m.parameters))))
  }
  if (v.meta?.files && (v.kind === 'dir' || v.kind === 'model')) {
    box.append(h('h3', {}, 'files'), h('table', {class: 'grid'}, h('tbody', {}, v.meta.files.slice(0, 200).map((f) => h('tr', {}, h('td', {}, f.path), h('td', {}, fmtSize(f.size)), h('td', {}, downloadLink(v, f.path)))))))
  }
  const plot = isPlotLike(v)
  if (plot === 'frame') box.append(sandboxed(v))
  if (plot === 'image') {
    const src = isReport ? embeddedBody(v.id) : rawUrl(v.id)
    if (src) box.append(h('img', {src, alt: v.key, class: 'artifact-image'}))
  }
  return box
}
