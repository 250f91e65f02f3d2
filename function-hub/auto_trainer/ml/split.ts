// Seeded train/test split; stratified by class for classification so both sides keep the class balance.

import {createRandom, shuffle} from './random.ts'

export interface Split {
  train: number[]
  test: number[]
}

/** testSize: a fraction in (0, 1) or a row count >= 1. strata: class index per row, or null for a plain shuffle. */
export function trainTestSplit(rowCount: number, testSize: number, seed: number, strata: number[] | null): Split {
  const testCount = testSize >= 1 ? Math.floor(testSize) : Math.ceil(testSize * rowCount)
  if (!(testSize > 0) || testCount < 1 || testCount >= rowCount) {
    throw new Error(`train_test_split_size ${testSize} leaves no rows for training or testing (${rowCount} rows)`)
  }
  const random = createRandom(seed)
  if (!strata) {
    const order = shuffle(Array.from({length: rowCount}, (_, i) => i), random)
    return {test: order.slice(0, testCount).sort((a, b) => a - b), train: order.slice(testCount).sort((a, b) => a - b)}
  }
  const groups = new Map<number, number[]>()
  strata.forEach((c, i) => groups.set(c, [...(groups.get(c) ?? []), i]))
  const fraction = testCount / rowCount
  const test: number[] = []
  const train: number[] = []
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const members = shuffle(groups.get(key) as number[], random)
    // a class with one row stays in training
    const take = members.length < 2 ? 0 : Math.min(members.length - 1, Math.round(members.length * fraction))
    test.push(...members.slice(0, take))
    train.push(...members.slice(take))
  }
  return {test: test.sort((a, b) => a - b), train: train.sort((a, b) => a - b)}
}
