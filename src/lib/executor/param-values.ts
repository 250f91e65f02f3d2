// What a param value may be: JSON that survives the trip to the handler and into the run record unchanged.
// JSON.parse and YAML accept more: 1e999 becomes Infinity (stored as null), "__proto__" keys vanish or
// change an object's prototype, thousands of nested levels overflow a recursive reader later, and an integer beyond
// 2^53 would be rounded (the parsers hand such a literal over as a BigInt, refused here).

export const MAX_PARAM_DEPTH = 100

/** What is wrong with the value of param `name`, or null. */
export function paramValueProblem(name: string, value: unknown): string | null {
  const walk = (v: unknown, depth: number, at: string): string | null => {
    if (depth > MAX_PARAM_DEPTH) return `param ${name} is nested deeper than ${MAX_PARAM_DEPTH} levels`
    if (typeof v === 'number') return Number.isFinite(v) ? null : `param ${name}${at} is ${v}, not a finite number (JSON has no Infinity or NaN; a literal such as 1e999 overflows)`
    if (typeof v === 'bigint') {
      return Number.isSafeInteger(Number(v)) ? null : `param ${name}${at} is ${v}, an integer beyond 2^53 that handlers would receive rounded (a JavaScript number cannot hold it)`
    }
    if (v === null || typeof v !== 'object') return typeof v === 'function' || typeof v === 'symbol' ? `param ${name}${at} is not a JSON value` : null
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const p = walk(v[i], depth + 1, `${at}[${i}]`)
        if (p) return p
      }
      return null
    }
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return `param ${name}${at} is not a JSON value`
    for (const key of Object.keys(v)) {
      if (key === '__proto__') return `param ${name}${at} has a "__proto__" key, which JavaScript handlers cannot receive as data`
      const p = walk((v as Record<string, unknown>)[key], depth + 1, `${at}.${key}`)
      if (p) return p
    }
    return null
  }
  return walk(value, 0, '')
}

export const PARAM_VALUE_HINT = 'Give plain JSON or YAML data: finite numbers, integers within +-2^53 (quote a number to pass it as text: -p x=\'"9007199254740993"\'), no "__proto__" keys, nesting under 100 levels.'
