// Plain-text renderings of the hub for `lode hub ls`, `show` and `pull`. Hub text comes from whoever publishes the hub:
// its control characters and bidi overrides are shown escaped, never obeyed (--json prints it exactly).
import {formatHubRef} from '../uri/refs.ts'
import {escapeControls as esc} from '../views/format.ts'
import {handlerSections, table} from './param-docs.ts'
import type {FunctionSpec, HubFunction} from './types.ts'

export interface HubListRow {
  name: string
  latest: string
  kind: string
  description: string
  categories: string[]
  versions: string[]
  hub: string
}

export function hubListRows(functions: readonly HubFunction[]): HubListRow[] {
  return functions.map((f) => ({
    name: f.name,
    latest: f.latest,
    kind: f.kind,
    description: f.description,
    categories: f.categories,
    versions: f.versions.map((v) => v.version),
    hub: f.versions[0]!.hub,
  }))
}

export function formatHubList(rows: readonly HubListRow[]): string {
  if (rows.length === 0) return 'No hub functions found.\n'
  const cut = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s)
  const cells = rows.map((r) => [esc(r.name), esc(r.latest), esc(r.kind), cut(esc(r.description)), esc(r.versions.join(', '))])
  return `${table([['NAME', 'LATEST', 'KIND', 'DESCRIPTION', 'VERSIONS'], ...cells], 0).join('\n')}\n`
}

export interface HubShowResult {
  name: string
  version: string
  sha256: string
  kind: string
  description: string
  categories: string[]
  license: string | null
  source: string
  defaultHandler: string
  handlers: FunctionSpec['handlers']
  versions: {version: string; sha256: string; hub: string}[]
  readme: string | null
  hub: string
}

export function formatHubShow(r: HubShowResult): string {
  const lines = [
    esc(`${formatHubRef(r)}  (${r.kind})`),
    esc(r.description, {multiline: true}),
    '',
    ...table([
      ['categories', r.categories.join(', ') || '-'],
      ['versions', r.versions.map((v) => v.version).join(', ')],
      ['sha256', r.sha256],
      ['source', r.source],
      ['license', r.license ?? '-'],
      ['hub', r.hub],
    ].map(([k, v]) => [k!, esc(v!)]), 0),
  ]
  for (const h of r.handlers) {
    lines.push('', esc(`HANDLER ${h.name}${h.name === r.defaultHandler ? ' (default)' : ''}`))
    if (h.doc) lines.push(`  ${esc(h.doc.trim(), {multiline: true}).replace(/\n/g, '\n  ')}`)
    lines.push(...handlerSections(h).map((l) => (l ? `  ${l}` : l)))
  }
  if (r.readme) lines.push('', 'README', '', esc(r.readme.trimEnd(), {multiline: true}))
  return `${lines.join('\n')}\n`
}

/** What `lode hub pull` says it did. */
export function formatPullResult(r: {changed: boolean; source: string; path: string; previous: string | null; version: string; name: string}): string {
  return esc(r.changed
    ? `Pulled ${r.source} into ${r.path}${r.previous && r.previous !== r.version ? ` (was ${r.previous})` : ''}. Run it with: lode run ${r.name}`
    : `${r.source} is already in ${r.path}; nothing to do.`)
}

/** A warning about a hub source (a function that cannot be read), which may quote its text. */
export function formatHubWarning(message: string): string {
  return `Warning: ${esc(message, {multiline: true})}`
}
