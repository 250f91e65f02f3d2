// Gaussian naive Bayes: per class, a normal distribution per feature; variances smoothed by
// var_smoothing times the largest feature variance, as in scikit-learn.

import type {Estimator, Matrix} from './model.ts'
import {argmax} from './model.ts'

export interface GaussianNBParams {
  varSmoothing: number
  priors: number[] | null
}

export type GaussianNBState = {means: number[][]; variances: number[][]; priors: number[]}

export class GaussianNB implements Estimator {
  readonly task = 'classification' as const
  private readonly params: GaussianNBParams
  private fittedState: GaussianNBState | null

  constructor(params: GaussianNBParams, state: GaussianNBState | null = null) {
    this.params = params
    this.fittedState = state
  }

  fit(x: Matrix, y: number[], classCount = 2): void {
    const d = x[0]?.length ?? 0
    const counts = new Array<number>(classCount).fill(0)
    const means = Array.from({length: classCount}, () => new Array<number>(d).fill(0))
    const variances = Array.from({length: classCount}, () => new Array<number>(d).fill(0))
    y.forEach((c) => (counts[c] = (counts[c] as number) + 1))
    x.forEach((row, i) => row.forEach((v, f) => (means[y[i] as number]![f] = means[y[i] as number]![f]! + v / counts[y[i] as number]!)))
    x.forEach((row, i) => row.forEach((v, f) => {
      const c = y[i] as number
      variances[c]![f] = variances[c]![f]! + (v - means[c]![f]!) ** 2 / counts[c]!
    }))
    let largest = 0
    for (let f = 0; f < d; f++) {
      const mean = x.reduce((sum, row) => sum + (row[f] as number), 0) / x.length
      largest = Math.max(largest, x.reduce((sum, row) => sum + ((row[f] as number) - mean) ** 2, 0) / x.length)
    }
    const epsilon = this.params.varSmoothing * largest
    const priors = this.params.priors ?? counts.map((c) => c / y.length)
    if (priors.length !== classCount) throw new Error(`priors has ${priors.length} values but the label has ${classCount} classes`)
    this.fittedState = {means, variances: variances.map((row) => row.map((v) => v + epsilon)), priors}
  }

  predictProba(x: Matrix): Matrix {
    const {means, variances, priors} = this.fitted()
    return x.map((row) => {
      const logs = priors.map((prior, c) => {
        let log = Math.log(prior)
        row.forEach((v, f) => {
          const variance = variances[c]![f]!
          log -= 0.5 * Math.log(2 * Math.PI * variance) + (v - means[c]![f]!) ** 2 / (2 * variance)
        })
        return log
      })
      const max = Math.max(...logs)
      const exps = logs.map((l) => Math.exp(l - max))
      const total = exps.reduce((a, b) => a + b, 0)
      return exps.map((e) => e / total)
    })
  }

  predict(x: Matrix): number[] {
    return this.predictProba(x).map(argmax)
  }

  state(): GaussianNBState {
    return this.fitted()
  }

  private fitted(): GaussianNBState {
    if (!this.fittedState) throw new Error('the naive Bayes model is not fitted')
    return this.fittedState
  }
}
