// Logistic regression on standardized features with an L2 penalty (scikit-learn's C), fitted with L-BFGS.
// Two classes: one weight vector and the sigmoid; more: one vector per class and the softmax (multinomial).

import type {Estimator, Matrix} from './model.ts'
import {argmax} from './model.ts'
import {minimize} from './lbfgs.ts'
import {applyScaler, fitScaler, type Scaler} from './standardize.ts'

export interface LogisticRegressionParams {
  c: number
  penalty: 'l2' | null
  maxIter: number
  tol: number
  fitIntercept: boolean
}

/** weights: one row per output (1 for two classes, else one per class), intercept last, standardized space */
export type LogisticRegressionState = {weights: number[][]; classCount: number; scaler: Scaler}

export class LogisticRegression implements Estimator {
  readonly task = 'classification' as const
  private readonly params: LogisticRegressionParams
  private fittedState: LogisticRegressionState | null

  constructor(params: LogisticRegressionParams, state: LogisticRegressionState | null = null) {
    this.params = params
    this.fittedState = state
  }

  fit(x: Matrix, y: number[], classCount = 2): void {
    const scaler = fitScaler(x)
    const z = applyScaler(scaler, x)
    const d = x[0]?.length ?? 0
    const outputs = classCount === 2 ? 1 : classCount
    const width = d + 1
    const n = z.length
    const penalty = this.params.penalty === 'l2' ? 1 / (this.params.c * n) : 0
    const fitIntercept = this.params.fitIntercept
    const objective = (w: Float64Array) => {
      const gradient = new Float64Array(w.length)
      let value = 0
      const scores = new Float64Array(outputs)
      z.forEach((row, i) => {
        for (let k = 0; k < outputs; k++) scores[k] = linear(w, k * width, row, d)
        const label = y[i] as number
        if (outputs === 1) {
          const s = scores[0] as number
          const target = label === 1 ? 1 : 0
          value += softplus(s) - target * s
          addRow(gradient, 0, row, d, sigmoid(s) - target)
        } else {
          const max = Math.max(...scores)
          let total = 0
          for (let k = 0; k < outputs; k++) total += Math.exp((scores[k] as number) - max)
          value += max + Math.log(total) - (scores[label] as number)
          for (let k = 0; k < outputs; k++) addRow(gradient, k * width, row, d, Math.exp((scores[k] as number) - max) / total - (k === label ? 1 : 0))
        }
      })
      for (let j = 0; j < w.length; j++) {
        gradient[j] = (gradient[j] as number) / n
        const isIntercept = j % width === d
        if (isIntercept && !fitIntercept) gradient[j] = 0
        if (!isIntercept && penalty > 0) {
          value += (n * penalty * (w[j] as number) ** 2) / 2
          gradient[j] = (gradient[j] as number) + penalty * (w[j] as number)
        }
      }
      return {value: value / n, gradient}
    }
    const w = minimize(objective, new Float64Array(outputs * width), {maxIter: this.params.maxIter, tol: this.params.tol})
    const weights = Array.from({length: outputs}, (_, k) => Array.from(w.subarray(k * width, (k + 1) * width)))
    this.fittedState = {weights, classCount, scaler}
  }

  predictProba(x: Matrix): Matrix {
    const {weights, scaler} = this.fitted()
    const d = x[0]?.length ?? 0
    return applyScaler(scaler, x).map((row) => {
      const scores = weights.map((w) => row.reduce((sum, v, f) => sum + v * (w[f] as number), w[d] as number))
      if (scores.length === 1) {
        const p = sigmoid(scores[0] as number)
        return [1 - p, p]
      }
      const max = Math.max(...scores)
      const exps = scores.map((s) => Math.exp(s - max))
      const total = exps.reduce((a, b) => a + b, 0)
      return exps.map((e) => e / total)
    })
  }

  predict(x: Matrix): number[] {
    return this.predictProba(x).map(argmax)
  }

  featureImportances(): number[] {
    const {weights} = this.fitted()
    const d = (weights[0]?.length ?? 1) - 1
    return Array.from({length: d}, (_, f) => weights.reduce((sum, w) => sum + Math.abs(w[f] as number), 0) / weights.length)
  }

  state(): LogisticRegressionState {
    return this.fitted()
  }

  private fitted(): LogisticRegressionState {
    if (!this.fittedState) throw new Error('the logistic regression is not fitted')
    return this.fittedState
  }
}

function linear(w: Float64Array, offset: number, row: number[], d: number): number {
  let sum = w[offset + d] as number
  for (let f = 0; f < d; f++) sum += (w[offset + f] as number) * (row[f] as number)
  return sum
}

function addRow(gradient: Float64Array, offset: number, row: number[], d: number, factor: number): void {
  for (let f = 0; f < d; f++) gradient[offset + f] = (gradient[offset + f] as number) + factor * (row[f] as number)
  gradient[offset + d] = (gradient[offset + d] as number) + factor
}

function sigmoid(s: number): number {
  return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s))
}

function softplus(s: number): number {
  return s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))
}
