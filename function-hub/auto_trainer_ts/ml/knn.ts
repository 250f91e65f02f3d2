// k nearest neighbours on standardized features. The fitted state is the scaled training set.

import type {Estimator, Matrix, Task} from './model.ts'
import {argmax} from './model.ts'
import {applyScaler, fitScaler, type Scaler} from './standardize.ts'

export interface KNeighborsParams {
  nNeighbors: number
  weights: 'uniform' | 'distance'
  /** Minkowski power: 1 = manhattan, 2 = euclidean */
  p: number
}

export type KNeighborsState = {x: number[][]; y: number[]; classCount: number; scaler: Scaler}

export class KNeighbors implements Estimator {
  readonly task: Task
  private readonly params: KNeighborsParams
  private fittedState: KNeighborsState | null

  constructor(task: Task, params: KNeighborsParams, state: KNeighborsState | null = null) {
    this.task = task
    this.params = params
    this.fittedState = state
  }

  fit(x: Matrix, y: number[], classCount = 0): void {
    if (x.length < this.params.nNeighbors) throw new Error(`n_neighbors (${this.params.nNeighbors}) is larger than the ${x.length} training rows`)
    const scaler = fitScaler(x)
    this.fittedState = {x: applyScaler(scaler, x), y: y.slice(), classCount: this.task === 'classification' ? classCount : 0, scaler}
  }

  predict(x: Matrix): number[] {
    if (this.task === 'classification') return this.predictProba(x).map(argmax)
    return this.neighbours(x).map((found) => {
      const total = found.reduce((sum, nb) => sum + nb.weight, 0)
      return found.reduce((sum, nb) => sum + nb.weight * nb.target, 0) / total
    })
  }

  predictProba(x: Matrix): Matrix {
    const {classCount} = this.fitted()
    return this.neighbours(x).map((found) => {
      const votes = new Array<number>(classCount).fill(0)
      for (const nb of found) votes[nb.target] = (votes[nb.target] as number) + nb.weight
      const total = votes.reduce((a, b) => a + b, 0)
      return votes.map((v) => v / total)
    })
  }

  state(): KNeighborsState {
    return this.fitted()
  }

  private neighbours(x: Matrix): {target: number; weight: number}[][] {
    const {x: train, y, scaler} = this.fitted()
    const {nNeighbors, p, weights} = this.params
    return applyScaler(scaler, x).map((row) => {
      const distances = train.map((other, i) => ({i, d: distance(row, other, p)}))
      distances.sort((a, b) => a.d - b.d || a.i - b.i)
      const nearest = distances.slice(0, nNeighbors)
      const exact = nearest.filter((nb) => nb.d === 0)
      // With distance weights an exact match decides alone, as in scikit-learn.
      const chosen = weights === 'distance' && exact.length > 0 ? exact : nearest
      return chosen.map((nb) => ({target: y[nb.i] as number, weight: weights === 'distance' && nb.d > 0 ? 1 / nb.d : 1}))
    })
  }

  private fitted(): KNeighborsState {
    if (!this.fittedState) throw new Error('the nearest-neighbours model is not fitted')
    return this.fittedState
  }
}

function distance(a: number[], b: number[], p: number): number {
  let sum = 0
  for (let f = 0; f < a.length; f++) sum += Math.abs((a[f] as number) - (b[f] as number)) ** p
  return sum ** (1 / p)
}
