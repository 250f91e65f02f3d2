// The iterations a strategy makes of the values to try (MLRun's grid, list and random generators).
import type {HyperOptions, JsonValue} from '../types.ts'

export type IterationParams = Record<string, JsonValue>

/**
 * grid: every combination, the last param varying fastest; list: the i-th value of every param; random: maxIterations
 * draws, each value picked independently with a generator seeded by `seed`, so the same seed repeats the sweep.
 */
export function iterationsOf(o: Pick<HyperOptions, 'strategy' | 'params' | 'maxIterations' | 'seed'>): IterationParams[] {
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
