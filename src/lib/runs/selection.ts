// --where, --sort and --columns read into the query grammar's terms, before anything is opened.
import {UserError} from '../errors.ts'
import type {Field} from '../query/fields.ts'
import {parseExpression, parseField, type Expr} from '../query/parse.ts'

export interface RunSelection {
  where?: Expr
  sort?: {field: Field; desc: boolean}
  columns: Field[]
}

export function parseRunSelection(f: {where?: string; sort?: string; columns?: string}): RunSelection {
  const where = f.where === undefined ? undefined : parseExpression(f.where, {source: '--where'})
  let sort: RunSelection['sort']
  if (f.sort !== undefined) {
    const desc = f.sort.startsWith('-')
    sort = {field: parseField(desc ? f.sort.slice(1) : f.sort, '--sort'), desc}
  }
  const names = f.columns === undefined ? [] : splitFields(f.columns).map((c) => c.trim()).filter((c) => c !== '')
  if (f.columns !== undefined && names.length === 0) throw new UserError('--columns is empty.', 'Name fields separated by commas, e.g. --columns params.lr,results.accuracy')
  if (names.length > 20) throw new UserError(`--columns names ${names.length} fields; at most 20 fit a table.`, 'Use --json (or lode runs export) for every field.')
  return {where, sort, columns: names.map((n) => parseField(n, '--columns'))}
}

/** `a,b` into fields at the commas outside quotes: a quoted key (`results."x,y"`) may hold one. */
function splitFields(text: string): string[] {
  const out: string[] = []
  let quote: string | null = null
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote !== null) {
      if (c === '\\') i++
      else if (c === quote) quote = null
    } else if (c === '"' || c === "'") {
      quote = c
    } else if (c === ',') {
      out.push(text.slice(start, i))
      start = i + 1
    }
  }
  out.push(text.slice(start))
  return out
}
