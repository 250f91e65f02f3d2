// Random forests: trees grown on bootstrap samples with a random subset of features tried at each node.
// Classifiers average the trees' class probabilities (as scikit-learn does); regressors average predictions.

import type {Estimator, Matrix, Task} from './model.ts'
import {argmax} from './model.ts'
import {createRandom} from './random.ts'
import {growTree, predictTreeRow, resolveMaxFeatures, toColumns, type Criterion, type MaxFeatures, type TreeState} from './tree.ts'

export interface RandomForestParams {
  nEstimators: number
  criterion: Criterion
  maxDepth: number | null
  minSamplesSplit: number
  minSamplesLeaf: number
  maxFeatures: MaxFeatures
  bootstrap: boolean
  seed: number
}

export class RandomForest implements Estimator {
  readonly task: Task
  private readonly params: RandomForestParams
  private trees: TreeState[]

  constructor(task: Task, params: RandomForestParams, trees: TreeState[] = []) {
    this.task = task
    this.params = params
    this.trees = trees
  }

  fit(x: Matrix, y: number[], classCount = 0): void {
    const n = x.length
    const featureCount = x[0]?.length ?? 0
    const columns = toColumns(x, featureCount)
    const labels = Float64Array.from(y)
    const random = createRandom(this.params.seed)
    const maxFeatures = resolveMaxFeatures(this.params.maxFeatures, featureCount)
    this.trees = []
    for (let t = 0; t < this.params.nEstimators; t++) {
      const treeSeed = random.seed()
      const samples = new Uint32Array(n)
      if (this.params.bootstrap) {
        const draw = createRandom(treeSeed ^ 0x5bd1e995)
        for (let i = 0; i < n; i++) samples[i] = draw.int(n)
      } else {
        for (let i = 0; i < n; i++) samples[i] = i
      }
      this.trees.push(growTree(columns, labels, samples, this.task === 'classification' ? classCount : 0, {
        criterion: this.params.criterion,
        maxDepth: this.params.maxDepth,
        minSamplesSplit: this.params.minSamplesSplit,
        minSamplesLeaf: this.params.minSamplesLeaf,
        maxFeatures,
        seed: treeSeed,
      }))
    }
  }

  predict(x: Matrix): number[] {
    if (this.task === 'classification') return this.predictProba(x).map(argmax)
    const trees = this.fitted()
    return x.map((row) => trees.reduce((sum, tree) => sum + (predictTreeRow(tree, row)[0] as number), 0) / trees.length)
  }

  predictProba(x: Matrix): Matrix {
    const trees = this.fitted()
    return x.map((row) => {
      const mean = predictTreeRow(trees[0] as TreeState, row).map(() => 0)
      for (const tree of trees) predictTreeRow(tree, row).forEach((p, c) => (mean[c] = (mean[c] as number) + p))
      return mean.map((s) => s / trees.length)
    })
  }

  featureImportances(): number[] {
    const trees = this.fitted()
    const sums = (trees[0] as TreeState).importances.map(() => 0)
    for (const tree of trees) tree.importances.forEach((v, f) => (sums[f] = (sums[f] as number) + v))
    const total = sums.reduce((a, b) => a + b, 0)
    return sums.map((s) => (total > 0 ? s / total : 0))
  }

  state(): {trees: TreeState[]} {
    return {trees: this.fitted()}
  }

  private fitted(): TreeState[] {
    if (this.trees.length === 0) throw new Error('the random forest is not fitted')
    return this.trees
  }
}
