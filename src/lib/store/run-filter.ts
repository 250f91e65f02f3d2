// A query expression (src/lib/query) as SQL over the runs table, aliased r: every value is a bound parameter, and
// field names come only from the grammar's closed set, so nothing a user types becomes SQL text.
import type {Field} from '../query/fields.ts'
import type {Expr, Operand} from '../query/parse.ts'

export interface SqlPart {
  sql: string
  params: (string | number | null)[]
}

const COLUMNS: Record<Extract<Field, {kind: 'column'}>['name'], string> = {
  uid: 'r.uid', name: 'r.name', state: 'r.state', kind: 'r.kind', function: 'r.function', created: 'r.created', started: 'r.started',
  ended: 'r.ended', duration: '(r.ended - r.started)', exit_code: 'r.exit_code', step: 'r.step',
  parent: 'r.parent_uid', iter: 'r.iter',
}

export function fieldSql(f: Field): SqlPart {
  if (f.kind === 'column') return {sql: COLUMNS[f.name], params: []}
  // the JSON path is bound too: '$."key"."sub"' (keys with a double quote are refused by the grammar)
  return {sql: `json_extract(r.${f.map}, ?)`, params: ['$' + f.path.map((k) => `."${k}"`).join('')]}
}

export function whereSql(e: Expr): SqlPart {
  switch (e.kind) {
    case 'and':
    case 'or': {
      const l = whereSql(e.left)
      const r = whereSql(e.right)
      return {sql: `(${l.sql} ${e.kind.toUpperCase()} ${r.sql})`, params: [...l.params, ...r.params]}
    }
    case 'not': {
      const inner = whereSql(e.expr)
      // a comparison with a missing field is false, not unknown, so that "not" turns it true (as evaluate.ts does)
      return {sql: `(NOT coalesce(${inner.sql}, 0))`, params: inner.params}
    }
    case 'compare': {
      const l = operandSql(e.left)
      const r = operandSql(e.right)
      const op = e.op === '==' ? 'IS' : e.op === '!=' ? 'IS NOT' : e.op
      return {sql: `(${l.sql} ${op} ${r.sql})`, params: [...l.params, ...r.params]}
    }
  }
}

function operandSql(o: Operand): SqlPart {
  if ('field' in o) return fieldSql(o.field)
  const v = o.value
  return {sql: '?', params: [typeof v === 'boolean' ? (v ? 1 : 0) : v]}
}

/** A top-level param or result, which the run_values table holds (migration 14) with the value json_extract gives. */
export function valueKey(f: Field): {map: 'params' | 'results'; key: string} | undefined {
  return f.kind === 'json' && f.map !== 'labels' && f.path.length === 1 ? {map: f.map, key: f.path[0]!} : undefined
}

export interface ValueRange {
  map: 'params' | 'results'
  key: string
  op: '=' | '<' | '<=' | '>' | '>='
  value: string | number
}

const FLIP = {'<': '>', '<=': '>=', '>': '<', '>=': '<='} as const

/**
 * Comparisons of a top-level param or result with a value that the whole expression needs true (joined to the rest
 * by "and" only): a run matches only if run_values holds a row in that range, so the rows can narrow a scan.
 */
export function valueRanges(e: Expr): ValueRange[] {
  if (e.kind === 'and') return [...valueRanges(e.left), ...valueRanges(e.right)]
  if (e.kind !== 'compare' || e.op === '!=') return []
  const [fieldSide, valueSide, flip] = 'field' in e.left ? [e.left, e.right, false] : [e.right, e.left, true]
  if (!('field' in fieldSide) || !('value' in valueSide) || valueSide.value === null) return []
  const v = valueKey(fieldSide.field)
  if (!v) return []
  const op = e.op === '==' ? '=' : flip ? FLIP[e.op] : e.op
  const value = typeof valueSide.value === 'boolean' ? (valueSide.value ? 1 : 0) : valueSide.value
  return [{...v, op, value}]
}

/** Runs without the field sort last either way. */
export function orderSql(f: Field, desc: boolean): SqlPart {
  const {sql, params} = fieldSql(f)
  return {sql: `${sql} IS NULL, ${sql} ${desc ? 'DESC' : 'ASC'}`, params: [...params, ...params]}
}
