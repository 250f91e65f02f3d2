// The iterations a strategy makes of the values to try (MLRun's grid, list and random generators).
import {UserError} from '../errors.ts'
import type {HyperOptions, JsonValue} from '../types.ts'

/** More iterations than anyone means to run: a grid that multiplied out of hand. */
export const MAX_ITERATIONS = 100_000

export type IterationParams = Record<string, JsonValue>

/**
 * grid: every combination, the last param varying fastest; list: the i-th value of every param; random: maxIterations
 * draws, each value picked independently with a generator seeded by `seed`, so the same seed repeats the sweep.
 */
export function iterationsOf(o: Pick<HyperOptions, 'strategy' | 'params' | 'maxIterations' | 'seed'>): IterationParams[] {
  // counted before any is made: a grid's product can be astronomical
  const count = iterationCount(o)
  if (count > MAX_ITERATIONS) throw new UserError(`The ${o.strategy} strategy makes ${count} iterations; at most ${MAX_ITERATIONS} are run.`, 'Try fewer values, or --strategy random --max-iterations N.')
  const entries = Object.entries(o.params)
  if (entries.length === 0) return []
  if (o.strategy === 'list') {
    const n = entries[0]![1].length
    return Array.from({length: n}, (_, i) => Object.fromEntries(entries.map(([k, v]) => [k, v[i]!])))
  }
  if (o.strategy === 'random') {
    const next = mulberry32(o.seed ?? 0)
    return Array.from({length: o.maxIterations ?? 1}, () => Object.fromEntries(entries.map(([k, v]) => [k, v[Math.floor(next() * v.length)]!])))
  }
  let combos: IterationParams[] = [{}]
  for (const [k, values] of entries) combos = combos.flatMap((c) => values.map((v) => ({...c, [k]: v})))
  return combos
}

/** How many iterations the strategy makes. */
export function iterationCount(o: Pick<HyperOptions, 'strategy' | 'params' | 'maxIterations'>): number {
  const lengths = Object.values(o.params).map((v) => v.length)
  if (lengths.length === 0) return 0
  if (o.strategy === 'list') return lengths[0]!
  if (o.strategy === 'random') return o.maxIterations ?? 1
  return lengths.reduce((a, b) => a * b, 1)
}

/** A small seeded generator of numbers in [0, 1): the same seed, the same sequence, on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
