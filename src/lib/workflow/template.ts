// `{{ params.X }}` and `{{ steps.S.outputs.K }}` in step params and inputs: finding references and filling them in.
// A string that is one reference and nothing else keeps the JSON type of the value; inside a longer string it interpolates.
import type {JsonValue} from '../types.ts'

export type TemplateRef =
  | {type: 'param'; name: string}
  | {type: 'output'; step: string; key: string}

/** A reference found in a value, with the field it was found in ("steps.train.inputs.dataset"). */
export interface FoundRef {
  ref: TemplateRef
  field: string
  text: string
}

export interface TemplateProblem {
  field: string
  message: string
}

const REF = /\{\{\s*(.*?)\s*\}\}/g
const WHOLE = /^\{\{\s*(.*?)\s*\}\}$/
const NAME = '[A-Za-z_][A-Za-z0-9_-]*'
// as names are declared: a param name may hold '.', an output key '.' and '/' (a step name neither, so no ambiguity)
const PARAM_NAME = '[A-Za-z_][A-Za-z0-9_.-]*'
const OUTPUT_KEY = '[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*'
const PARAM = new RegExp(`^params\\.(${PARAM_NAME})$`)
const OUTPUT = new RegExp(`^steps\\.(${NAME})\\.outputs\\.(${OUTPUT_KEY})$`)

export function parseRef(expr: string): TemplateRef | null {
  const p = PARAM.exec(expr)
  if (p) return {type: 'param', name: p[1]!}
  const o = OUTPUT.exec(expr)
  if (o) return {type: 'output', step: o[1]!, key: o[2]!}
  return null
}

/** Every reference in `value` (strings, arrays and mappings, recursively). Malformed ones are problems. */
export function findRefs(value: JsonValue | undefined, field: string, problems: TemplateProblem[] = []): FoundRef[] {
  const found: FoundRef[] = []
  const walk = (v: JsonValue | undefined, at: string) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(REF)) {
        const ref = parseRef(m[1]!)
        if (ref) found.push({ref, field: at, text: m[0]})
        else problems.push({field: at, message: `cannot read "${m[0]}": expected {{ params.NAME }} or {{ steps.STEP.outputs.KEY }}`})
      }
      const stray = v.replace(REF, '')
      if (stray.includes('{{') || stray.includes('}}')) problems.push({field: at, message: `unbalanced "{{ }}" in ${JSON.stringify(v)}`})
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${at}[${i}]`))
    } else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) walk(item, `${at}.${k}`)
    }
  }
  walk(value, field)
  return found
}

export type RefLookup = (ref: TemplateRef) => JsonValue | undefined

/** Fill in references. A reference that has no value throws (the DAG check makes that a bug, not a user error). */
export function render(value: JsonValue, lookup: RefLookup): JsonValue {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value)
    if (whole && !whole[1]!.includes('}}')) {
      const ref = parseRef(whole[1]!)
      if (ref) return valueOf(ref, lookup, value)
    }
    return value.replace(REF, (text, expr: string) => {
      const ref = parseRef(expr)
      if (!ref) return text
      const v = valueOf(ref, lookup, text)
      return typeof v === 'string' ? v : JSON.stringify(v)
    })
  }
  if (Array.isArray(value)) return value.map((item) => render(item, lookup))
  // fromEntries defines own properties: a "__proto__" key stays data, never a prototype
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, lookup)]))
  return value
}

function valueOf(ref: TemplateRef, lookup: RefLookup, text: string): JsonValue {
  const v = lookup(ref)
  if (v === undefined) throw new Error(`no value for ${text}`)
  return v
}
