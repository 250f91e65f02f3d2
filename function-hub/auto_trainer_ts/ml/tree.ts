// CART decision trees: binary splits on one feature at a threshold, grown greedily.
// Classification uses gini or entropy, regression the squared error. Nodes live in flat arrays.

import type {Estimator, Matrix, Task} from './model.ts'
import {argmax} from './model.ts'
import {createRandom, type Random} from './random.ts'

export type Criterion = 'gini' | 'entropy' | 'squared_error'

export interface TreeOptions {
  criterion: Criterion
  maxDepth: number | null
  minSamplesSplit: number
  minSamplesLeaf: number
  /** features tried at each node (all features when it equals their number) */
  maxFeatures: number
  seed: number
}

/** A fitted tree. left[i] === -1 marks a leaf; value[i] is class probabilities or [mean]. */
export type TreeState = {
  feature: number[]
  threshold: number[]
  left: number[]
  right: number[]
  value: number[][]
  importances: number[]
}

/** Columns of the training matrix, one Float64Array per feature, for fast sorted sweeps. */
export function toColumns(x: Matrix, featureCount: number): Float64Array[] {
  const columns = Array.from({length: featureCount}, () => new Float64Array(x.length))
  x.forEach((row, i) => {
    for (let f = 0; f < featureCount; f++) (columns[f] as Float64Array)[i] = row[f] as number
  })
  return columns
}

/** Grow one tree on the samples listed in `samples` (duplicates allowed, as in a bootstrap). */
export function growTree(columns: Float64Array[], y: ArrayLike<number>, samples: Uint32Array, classCount: number, options: TreeOptions): TreeState {
  const grower = new TreeGrower(columns, y, classCount, options)
  grower.grow(samples, 0)
  const total = grower.importances.reduce((a, b) => a + b, 0)
  return {
    feature: grower.feature,
    threshold: grower.threshold,
    left: grower.left,
    right: grower.right,
    value: grower.value,
    importances: grower.importances.map((v) => (total > 0 ? v / total : 0)),
  }
}

export function predictTreeRow(tree: TreeState, row: readonly number[]): number[] {
  let node = 0
  while ((tree.left[node] as number) !== -1) {
    node = (row[tree.feature[node] as number] as number) <= (tree.threshold[node] as number) ? (tree.left[node] as number) : (tree.right[node] as number)
  }
  return tree.value[node] as number[]
}

interface Split {
  feature: number
  threshold: number
  score: number
}

class TreeGrower {
  readonly feature: number[] = []
  readonly threshold: number[] = []
  readonly left: number[] = []
  readonly right: number[] = []
  readonly value: number[][] = []
  readonly importances: number[]
  private readonly columns: Float64Array[]
  private readonly y: ArrayLike<number>
  private readonly classCount: number
  private readonly options: TreeOptions
  private readonly random: Random

  constructor(columns: Float64Array[], y: ArrayLike<number>, classCount: number, options: TreeOptions) {
    this.columns = columns
    this.y = y
    this.classCount = classCount
    this.options = options
    this.random = createRandom(options.seed)
    this.importances = new Array<number>(columns.length).fill(0)
  }

  grow(samples: Uint32Array, depth: number): number {
    const node = this.feature.length
    const n = samples.length
    const value = this.nodeValue(samples)
    const impurity = this.impurity(value, samples)
    this.feature.push(-1)
    this.threshold.push(0)
    this.left.push(-1)
    this.right.push(-1)
    this.value.push(value)
    const {maxDepth, minSamplesSplit, minSamplesLeaf} = this.options
    if ((maxDepth !== null && depth >= maxDepth) || n < minSamplesSplit || n < 2 * minSamplesLeaf || impurity <= 1e-12) return node
    const split = this.bestSplit(samples)
    if (!split) return node
    const column = this.columns[split.feature] as Float64Array
    const leftSamples = samples.filter((i) => (column[i] as number) <= split.threshold)
    const rightSamples = samples.filter((i) => (column[i] as number) > split.threshold)
    const childImpurity = this.impurity(this.nodeValue(leftSamples), leftSamples) * leftSamples.length + this.impurity(this.nodeValue(rightSamples), rightSamples) * rightSamples.length
    this.importances[split.feature] = (this.importances[split.feature] as number) + n * impurity - childImpurity
    this.feature[node] = split.feature
    this.threshold[node] = split.threshold
    this.left[node] = this.grow(leftSamples, depth + 1)
    this.right[node] = this.grow(rightSamples, depth + 1)
    return node
  }

  /** class probabilities, or [mean] for regression */
  private nodeValue(samples: Uint32Array): number[] {
    if (this.classCount === 0) {
      let sum = 0
      for (const i of samples) sum += this.y[i] as number
      return [samples.length ? sum / samples.length : 0]
    }
    const counts = new Array<number>(this.classCount).fill(0)
    for (const i of samples) counts[this.y[i] as number] = (counts[this.y[i] as number] as number) + 1
    return counts.map((c) => c / samples.length)
  }

  private impurity(value: number[], samples: Uint32Array): number {
    if (this.classCount === 0) {
      const mean = value[0] as number
      let sum = 0
      for (const i of samples) sum += ((this.y[i] as number) - mean) ** 2
      return samples.length ? sum / samples.length : 0
    }
    if (this.options.criterion === 'entropy') return value.reduce((acc, p) => (p > 0 ? acc - p * Math.log2(p) : acc), 0)
    return 1 - value.reduce((acc, p) => acc + p * p, 0)
  }

  private bestSplit(samples: Uint32Array): Split | null {
    const featureCount = this.columns.length
    const order = Array.from({length: featureCount}, (_, f) => f)
    let best: Split | null = null
    let tried = 0
    // Draw features without replacement until maxFeatures non-constant ones were tried (as scikit-learn does).
    for (let k = 0; k < featureCount && tried < this.options.maxFeatures; k++) {
      const j = k + this.random.int(featureCount - k)
      const f = order[j] as number
      order[j] = order[k] as number
      order[k] = f
      const column = this.columns[f] as Float64Array
      const sorted = samples.slice().sort((a, b) => (column[a] as number) - (column[b] as number))
      if (column[sorted[0] as number] === column[sorted[sorted.length - 1] as number]) continue
      tried++
      const split = this.classCount === 0 ? this.sweepRegression(column, sorted) : this.sweepClassification(column, sorted)
      if (split && (!best || split.score > best.score)) best = {...split, feature: f}
    }
    return best
  }

  /** Best threshold on one sorted feature; score = the (negated, shifted) weighted child impurity, higher is better. */
  private sweepClassification(column: Float64Array, sorted: Uint32Array): Omit<Split, 'feature'> | null {
    const n = sorted.length
    const k = this.classCount
    const leftCounts = new Float64Array(k)
    const rightCounts = new Float64Array(k)
    for (const i of sorted) rightCounts[this.y[i] as number]! += 1
    let squaresLeft = 0
    let squaresRight = 0
    for (let c = 0; c < k; c++) squaresRight += (rightCounts[c] as number) ** 2
    const entropy = this.options.criterion === 'entropy'
    const minLeaf = this.options.minSamplesLeaf
    let best: Omit<Split, 'feature'> | null = null
    for (let p = 0; p < n - 1; p++) {
      const c = this.y[sorted[p] as number] as number
      squaresLeft += 2 * (leftCounts[c] as number) + 1
      squaresRight -= 2 * (rightCounts[c] as number) - 1
      leftCounts[c]! += 1
      rightCounts[c]! -= 1
      const v = column[sorted[p] as number] as number
      const next = column[sorted[p + 1] as number] as number
      if (v === next) continue
      const nLeft = p + 1
      const nRight = n - nLeft
      if (nLeft < minLeaf || nRight < minLeaf) continue
      const score = entropy ? -(weightedEntropy(leftCounts, nLeft) + weightedEntropy(rightCounts, nRight)) : squaresLeft / nLeft + squaresRight / nRight
      if (!best || score > best.score) best = {threshold: midpoint(v, next), score}
    }
    return best
  }

  private sweepRegression(column: Float64Array, sorted: Uint32Array): Omit<Split, 'feature'> | null {
    const n = sorted.length
    let total = 0
    for (const i of sorted) total += this.y[i] as number
    const minLeaf = this.options.minSamplesLeaf
    let sumLeft = 0
    let best: Omit<Split, 'feature'> | null = null
    for (let p = 0; p < n - 1; p++) {
      sumLeft += this.y[sorted[p] as number] as number
      const v = column[sorted[p] as number] as number
      const next = column[sorted[p + 1] as number] as number
      if (v === next) continue
      const nLeft = p + 1
      const nRight = n - nLeft
      if (nLeft < minLeaf || nRight < minLeaf) continue
      const sumRight = total - sumLeft
      const score = (sumLeft * sumLeft) / nLeft + (sumRight * sumRight) / nRight
      if (!best || score > best.score) best = {threshold: midpoint(v, next), score}
    }
    return best
  }
}

function weightedEntropy(counts: Float64Array, n: number): number {
  let h = 0
  for (const c of counts) if (c > 0) h -= c * Math.log2(c / n)
  return h
}

function midpoint(a: number, b: number): number {
  const m = a / 2 + b / 2
  return m >= b ? a : m
}

export interface DecisionTreeParams {
  criterion: Criterion
  maxDepth: number | null
  minSamplesSplit: number
  minSamplesLeaf: number
  maxFeatures: MaxFeatures
  seed: number
}

/** scikit-learn's max_features: null = all, 'sqrt', 'log2', an integer count (>= 1) or a fraction in (0, 1). */
export type MaxFeatures = number | 'sqrt' | 'log2' | null

export function resolveMaxFeatures(spec: MaxFeatures, featureCount: number): number {
  if (spec === null) return featureCount
  if (spec === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(featureCount)))
  if (spec === 'log2') return Math.max(1, Math.floor(Math.log2(featureCount)))
  if (Number.isInteger(spec) && spec >= 1) return Math.min(featureCount, spec)
  return Math.max(1, Math.floor(spec * featureCount))
}

export class DecisionTree implements Estimator {
  readonly task: Task
  private readonly params: DecisionTreeParams
  private tree: TreeState | null

  constructor(task: Task, params: DecisionTreeParams, tree: TreeState | null = null) {
    this.task = task
    this.params = params
    this.tree = tree
  }

  fit(x: Matrix, y: number[], classCount = 0): void {
    const featureCount = x[0]?.length ?? 0
    const samples = Uint32Array.from(x.keys())
    this.tree = growTree(toColumns(x, featureCount), y, samples, this.task === 'classification' ? classCount : 0, {
      ...this.params,
      maxFeatures: resolveMaxFeatures(this.params.maxFeatures, featureCount),
    })
  }

  predict(x: Matrix): number[] {
    const tree = this.fitted()
    return x.map((row) => {
      const value = predictTreeRow(tree, row)
      return this.task === 'classification' ? argmax(value) : (value[0] as number)
    })
  }

  predictProba(x: Matrix): Matrix {
    const tree = this.fitted()
    return x.map((row) => predictTreeRow(tree, row).slice())
  }

  featureImportances(): number[] {
    return this.fitted().importances.slice()
  }

  state(): TreeState {
    return this.fitted()
  }

  private fitted(): TreeState {
    if (!this.tree) throw new Error('the decision tree is not fitted')
    return this.tree
  }
}
