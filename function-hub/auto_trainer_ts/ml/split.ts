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
    return {test: ascending(order.slice(0, testCount)), train: ascending(order.slice(testCount))}
  }
  const groups = new Map<number, number[]>()
  strata.forEach((c, i) => {
    const members = groups.get(c)
    if (members) members.push(i)
    else groups.set(c, [i])
  })
  const fraction = testCount / rowCount
  const test: number[] = []
  const train: number[] = []
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const members = shuffle(groups.get(key) as number[], random)
    // a class with one row stays in training
    const take = members.length < 2 ? 0 : Math.min(members.length - 1, Math.round(members.length * fraction))
    // one row at a time: spreading a class of a million rows into push() overflows the call stack
    for (let i = 0; i < members.length; i++) (i < take ? test : train).push(members[i] as number)
  }
  return {test: ascending(test), train: ascending(train)}
}

/** Row indices in order: a typed array sorts numbers natively, far faster than a comparator on a million rows. */
function ascending(indices: number[]): number[] {
  return Array.from(Int32Array.from(indices).sort())
}
