// JSON.parse that keeps integers beyond Number.MAX_SAFE_INTEGER exact. A double rounds them (2**64 would come back
// as 18446744073709552000), so such an integer becomes the string of its digits, as written: still valid JSON
// wherever lode prints or stores it. Other values are what JSON.parse gives.

// Any unsafe integer has at least 16 digits in a row; lines without them (nearly all) skip the slower reviver.
const LONG_DIGITS = /\d{16}/
const INTEGER = /^-?\d+$/

export function parseJsonExact(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text)
  return JSON.parse(text, keepExactIntegers as (key: string, value: unknown) => unknown)
}

/** The reviver's third argument (Node >= 21: the source text of a primitive) holds the digits the double lost. */
function keepExactIntegers(_key: string, value: unknown, context?: {source?: string}): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && INTEGER.test(context.source)) {
    return context.source
  }
  return value
}
