// An expression evaluated over one run held in memory, with the SQL's meaning (store/run-filter.ts): a missing
// field is null, == and != treat null as a value, an ordering comparison with null is false, and true/false
// compare as 1/0.
import type {JsonValue, Run} from '../types.ts'
import type {Field} from './fields.ts'
import type {Expr, Literal, Operand} from './parse.ts'

export type RunFields = Pick<Run, 'results' | 'params' | 'labels'> & Partial<Run>

export function fieldValue(run: RunFields, f: Field): JsonValue | undefined {
  if (f.kind === 'json') {
    let v: JsonValue | undefined = run[f.map] as Record<string, JsonValue>
    for (const k of f.path) v = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, k) ? v[k] : undefined
    return v
  }
  if (f.name === 'duration') return run.started == null || run.ended == null ? null : run.ended - run.started
  if (f.name === 'exit_code') return run.exitCode ?? null
  return (run[f.name] as JsonValue | undefined) ?? null
}

export function evaluate(expr: Expr, run: RunFields): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluate(expr.left, run) && evaluate(expr.right, run)
    case 'or':
      return evaluate(expr.left, run) || evaluate(expr.right, run)
    case 'not':
      return !evaluate(expr.expr, run)
    case 'compare': {
      const a = scalar(operand(expr.left, run))
      const b = scalar(operand(expr.right, run))
      if (expr.op === '==' || expr.op === '!=') return (a === b) === (expr.op === '==')
      if (a === null || b === null) return false
      const c = order(a, b)
      return expr.op === '<' ? c < 0 : expr.op === '<=' ? c <= 0 : expr.op === '>' ? c > 0 : c >= 0
    }
  }
}

function operand(o: Operand, run: RunFields): JsonValue | undefined {
  return 'field' in o ? fieldValue(run, o.field) : o.value
}

/** Objects and arrays are compared as their JSON text, as SQLite's json_extract returns them. */
function scalar(v: JsonValue | undefined): Exclude<Literal, boolean> {
  if (v === undefined || v === null) return null
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'object') return JSON.stringify(v)
  return v
}

/** SQLite's order: numbers before text. */
function order(a: number | string, b: number | string): number {
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}
