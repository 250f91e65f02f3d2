// Plain-text renderings of the hub for `lode hub ls` and `lode hub show`.
import {formatHubRef} from '../uri/refs.ts'
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
  return `${table([['NAME', 'LATEST', 'KIND', 'DESCRIPTION', 'VERSIONS'], ...rows.map((r) => [r.name, r.latest, r.kind, cut(r.description), r.versions.join(', ')])], 0).join('\n')}\n`
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
    `${formatHubRef(r)}  (${r.kind})`,
    r.description,
    '',
    ...table([
      ['categories', r.categories.join(', ') || '-'],
      ['versions', r.versions.map((v) => v.version).join(', ')],
      ['sha256', r.sha256],
      ['source', r.source],
      ['license', r.license ?? '-'],
      ['hub', r.hub],
    ], 0),
  ]
  for (const h of r.handlers) {
    lines.push('', `HANDLER ${h.name}${h.name === r.defaultHandler ? ' (default)' : ''}`)
    if (h.doc) lines.push(`  ${h.doc.trim().replace(/\n/g, '\n  ')}`)
    lines.push(...handlerSections(h).map((l) => (l ? `  ${l}` : l)))
  }
  if (r.readme) lines.push('', 'README', '', r.readme.trimEnd())
  return `${lines.join('\n')}\n`
}
