// Constructor parameters by scikit-learn's names: each has a default and a parser that accepts the value
// as JSON or as the string a command line may pass ("50", "true", "none"), and rejects anything else.

import type {JsonValue} from '../lode-types.ts'

export interface ParamSpec {
  default: JsonValue
  /** what the parameter accepts, for error messages and docs */
  accepts: string
  parse(value: JsonValue): JsonValue
}

function coerce(value: JsonValue): JsonValue {
  if (typeof value !== 'string') return value
  const text = value.trim()
  if (/^(none|null)$/i.test(text)) return null
  if (/^true$/i.test(text)) return true
  if (/^false$/i.test(text)) return false
  if (text !== '' && Number.isFinite(Number(text))) return Number(text)
  return text
}

function spec(defaultValue: JsonValue, accepts: string, valid: (v: JsonValue) => boolean): ParamSpec {
  return {
    default: defaultValue,
    accepts,
    parse(value) {
      const parsed = coerce(value)
      if (!valid(parsed)) throw new Error(`expected ${accepts}, got ${JSON.stringify(value)}`)
      return parsed
    },
  }
}

export const intParam = (defaultValue: number | null, min: number, nullable = false): ParamSpec =>
  spec(defaultValue, `an integer >= ${min}${nullable ? ' or null' : ''}`, (v) => (v === null ? nullable : Number.isInteger(v) && (v as number) >= min))

export const positiveFloatParam = (defaultValue: number): ParamSpec =>
  spec(defaultValue, 'a number > 0', (v) => typeof v === 'number' && Number.isFinite(v) && v > 0)

export const nonNegativeFloatParam = (defaultValue: number): ParamSpec =>
  spec(defaultValue, 'a number >= 0', (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)

export const boolParam = (defaultValue: boolean): ParamSpec => spec(defaultValue, 'true or false', (v) => typeof v === 'boolean')

export const choiceParam = (defaultValue: string | number | null, choices: (string | number | null)[]): ParamSpec =>
  spec(defaultValue, `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`, (v) => choices.includes(v as string | number | null))

export const maxFeaturesParam = (defaultValue: string | null): ParamSpec =>
  spec(defaultValue, '"sqrt", "log2", null, an integer >= 1 or a fraction in (0, 1)', (v) =>
    v === null || v === 'sqrt' || v === 'log2' || (typeof v === 'number' && ((Number.isInteger(v) && v >= 1) || (v > 0 && v < 1))))

export const priorsParam = (): ParamSpec =>
  spec(null, 'null or a list of class probabilities summing to 1', (v) =>
    v === null || (Array.isArray(v) && v.every((p) => typeof p === 'number' && p > 0) && Math.abs((v as number[]).reduce((a, b) => a + b, 0) - 1) < 1e-6))
