// `lode artifacts get`: body, metadata, preview or lineage of one version.
import type {Store} from '../store/store.ts'
import type {ArtifactVersion, JsonValue} from '../types.ts'
import {resolveArtifactRef, runOutputUri} from '../uri/resolve.ts'
import {formatTable, humanSize} from '../util/format.ts'
import {UserError} from '../errors.ts'
import {writeBody} from './fetch.ts'
import {formatLineage, lineageOf} from './lineage.ts'
import {withArticle} from '../util/words.ts'
import {escapeControls as esc} from '../views/format.ts'

/** A store reference or RUN_PREFIX/OUTPUT, resolved to one version. */
export async function resolveRef(store: Store, ref: string): Promise<ArtifactVersion> {
  return resolveArtifactRef(store, runOutputUri(store, ref) ?? ref)
}

export async function getArtifact(store: Store, ref: string, o: {output?: string; format?: string; meta?: boolean; preview?: number; lineage?: boolean; json: boolean; color: boolean}): Promise<{text?: string; note?: string; data: Record<string, unknown>}> {
  const v = await resolveRef(store, ref)
  if (o.output !== undefined) {
    const written = o.format ? await writeConverted(store, v, o.output, o.format) : await writeBody(store, v, o.output)
    return {note: written.path === '-' ? undefined : `Wrote ${v.key} v${v.version} (${humanSize(written.bytes)}) to ${written.path}`, data: {artifact: strip(v), path: written.path, bytes: written.bytes}}
  }
  if (o.lineage) {
    const l = lineageOf(store, v)
    return {text: formatLineage(l), data: {artifact: strip(v), upstream: l.upstream, downstream: l.downstream}}
  }
  if (o.preview !== undefined) {
    const preview = v.meta?.dataset?.preview
    if (v.kind !== 'dataset' || !preview) throw new UserError(`${v.key} is ${withArticle(v.kind)}, not a dataset with a preview.`, `See its metadata: lode artifacts get ${v.key} --meta`)
    const rows = preview.rows.slice(0, o.preview)
    const total = v.meta?.dataset?.rows ?? rows.length
    const more = o.preview > preview.rows.length && preview.rows.length < total ? `\n(only the first ${preview.rows.length} rows are kept as a preview; fetch the body with -o for all ${v.meta?.dataset?.rows} rows)` : ''
    return {text: formatTable(preview.columns.map((c) => esc(c)), rows.map((r) => r.map(cell))) + `\n${rows.length} of ${v.meta?.dataset?.rows} rows${more}`, data: {artifact: strip(v), columns: preview.columns, rows}}
  }
  return {text: await formatMeta(store, v, o.color), data: {artifact: v}}
}

/** A dataset's rows in another format (for a reader without parquet, e.g. Python without pyarrow), from verified bytes. */
async function writeConverted(store: Store, v: ArtifactVersion, dest: string, format: string): Promise<{path: string; bytes: number}> {
  if (v.kind !== 'dataset') throw new UserError(`--format converts datasets; ${v.key} is ${withArticle(v.kind)}.`, `Fetch its bytes as they are: lode artifacts get ${v.key} -o ${dest}`)
  if (dest === '-') throw new UserError('--format writes a file: give -o PATH.')
  const [{convertFile}, {stat}, {dirname, join, resolve}, {defaultFileName, checkOutputTarget, cannotWrite}, {mkdirsSync}] = await Promise.all([
    import('./formats.ts'), import('node:fs/promises'), import('node:path'), import('./fetch.ts'), import('../util/fs.ts'),
  ])
  let target = resolve(dest)
  if (await stat(target).then((s) => s.isDirectory(), () => false)) target = join(target, defaultFileName({...v, format}))
  checkOutputTarget(store, target)
  const source = await store.objects.assertIntact(v.sha256)
  try {
    mkdirsSync(dirname(target))
    convertFile(source, v.format, target, format as Parameters<typeof convertFile>[3])
  } catch (error) {
    throw cannotWrite(target, error)
  }
  return {path: target, bytes: (await stat(target)).size}
}

function cell(v: JsonValue): string {
  if (v === null) return 'null'
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)))
  return esc(typeof v === 'string' ? v : JSON.stringify(v))
}

function strip(v: ArtifactVersion): ArtifactVersion {
  const {meta: _meta, ...rest} = v
  return rest as ArtifactVersion
}

async function formatMeta(store: Store, v: ArtifactVersion, color: boolean): Promise<string> {
  const lines = [
    `key       ${v.key}`,
    `kind      ${v.kind}`,
    `version   v${v.version}${v.iter ? ` (iteration ${v.iter})` : ''}`,
    `tags      ${v.tags.join(', ') || '-'}`,
    `uri       ${v.uri}`,
    `sha256    ${v.sha256}`,
    `size      ${humanSize(v.size)} (${v.size} bytes)`,
    `format    ${esc(v.format) || '-'}`,
    `producer  ${v.producer ?? '-'}`,
    `created   ${new Date(v.created).toISOString()}`,
  ]
  if (Object.keys(v.labels).length) lines.push(`labels    ${Object.entries(v.labels).map(([k, x]) => esc(`${k}=${x}`)).join(' ')}`)
  if (v.meta?.mime) lines.push(`mime      ${esc(v.meta.mime)}`)
  const ds = v.meta?.dataset
  if (ds) {
    lines.push('', `dataset   ${ds.rows} rows x ${ds.schema.length} columns`)
    const {formatDatasetMeta} = await import('../views/dataset-meta.ts')
    lines.push(formatDatasetMeta(ds, {color}))
  }
  const m = v.meta?.model
  if (m) {
    lines.push('', esc(`model     ${m.algorithm || '-'} (${m.framework || 'unknown framework'}), file ${m.modelFile ?? '-'}`))
    if (Object.keys(m.metrics).length) lines.push(`metrics   ${Object.entries(m.metrics).map(([k, x]) => `${esc(k)}=${cell(x)}`).join('  ')}`)
    if (Object.keys(m.parameters).length) lines.push(`params    ${Object.entries(m.parameters).map(([k, x]) => `${esc(k)}=${cell(x)}`).join('  ')}`)
    if (m.extraData.length) lines.push(`extra     ${esc(m.extraData.join(', '))}`)
  }
  if (v.meta?.files && (v.kind === 'dir' || v.kind === 'model')) {
    lines.push('', 'files')
    for (const f of v.meta.files.slice(0, 50)) lines.push(`  ${esc(f.path)}  ${humanSize(f.size)}  ${f.sha256.slice(0, 12)}`)
    if (v.meta.files.length > 50) lines.push(`  ... ${v.meta.files.length - 50} more`)
  }
  const consumers = store.runs.consumersOf(v.id, v.sha256)
  if (consumers.length) lines.push('', `read by   ${consumers.map((c) => `${c.uid.slice(0, 8)} (${esc(c.name)})`).join(', ')}`)
  return lines.join('\n')
}
