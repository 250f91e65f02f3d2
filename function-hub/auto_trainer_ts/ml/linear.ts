// Ordinary least squares through the normal equations on standardized features, with a tiny ridge term
// so that collinear features (common in real data) still give a unique, stable solution.

import type {Estimator, Matrix} from './model.ts'
import {solve} from './linalg.ts'
import {applyScaler, fitScaler, type Scaler} from './standardize.ts'

export interface LinearRegressionParams {
  fitIntercept: boolean
}

/** coef: per feature, in the units of the original features; standardizedCoef: per standardized feature */
export type LinearRegressionState = {coef: number[]; intercept: number; standardizedCoef: number[]; scaler: Scaler}

const RIDGE = 1e-8

export class LinearRegression implements Estimator {
  readonly task = 'regression' as const
  private readonly params: LinearRegressionParams
  private fittedState: LinearRegressionState | null

  constructor(params: LinearRegressionParams, state: LinearRegressionState | null = null) {
    this.params = params
    this.fittedState = state
  }

  fit(x: Matrix, y: number[]): void {
    const n = x.length
    const d = x[0]?.length ?? 0
    const scaler = this.params.fitIntercept ? fitScaler(x) : {mean: new Array<number>(d).fill(0), scale: fitScaler(x).scale}
    const z = applyScaler(scaler, x)
    const yMean = this.params.fitIntercept ? y.reduce((a, b) => a + b, 0) / n : 0
    const gram = Array.from({length: d}, () => new Array<number>(d).fill(0))
    const rhs = new Array<number>(d).fill(0)
    z.forEach((row, i) => {
      const target = (y[i] as number) - yMean
      for (let a = 0; a < d; a++) {
        const va = row[a] as number
        rhs[a] = (rhs[a] as number) + va * target
        const g = gram[a] as number[]
        for (let b = a; b < d; b++) g[b] = (g[b] as number) + va * (row[b] as number)
      }
    })
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < a; b++) gram[a]![b] = gram[b]![a]!
      gram[a]![a] = gram[a]![a]! + RIDGE * n
    }
    const standardizedCoef = solve(gram, rhs)
    const coef = standardizedCoef.map((c, f) => c / (scaler.scale[f] as number))
    const intercept = yMean - coef.reduce((sum, c, f) => sum + c * (scaler.mean[f] as number), 0)
    this.fittedState = {coef, intercept, standardizedCoef, scaler}
  }

  predict(x: Matrix): number[] {
    const {coef, intercept} = this.fitted()
    return x.map((row) => row.reduce((sum, v, f) => sum + v * (coef[f] as number), intercept))
  }

  featureImportances(): number[] {
    return this.fitted().standardizedCoef.map(Math.abs)
  }

  state(): LinearRegressionState {
    return this.fitted()
  }

  private fitted(): LinearRegressionState {
    if (!this.fittedState) throw new Error('the linear regression is not fitted')
    return this.fittedState
  }
}
