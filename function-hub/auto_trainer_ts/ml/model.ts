// What every estimator implements. Features arrive row-major (one array per sample).
// Classifiers see labels as class indices 0..k-1; the registry maps them to the original class values.

import type {JsonValue} from '../lode-types.ts'

export type Task = 'classification' | 'regression'
export type Matrix = number[][]

export interface Estimator {
  readonly task: Task
  /** y: class indices for classifiers (with the number of classes), targets for regressors */
  fit(x: Matrix, y: number[], classCount?: number): void
  /** class indices for classifiers, values for regressors */
  predict(x: Matrix): number[]
  /** classifiers: one row of class probabilities per sample */
  predictProba?(x: Matrix): Matrix
  /** one non-negative weight per feature, when the model has them */
  featureImportances?(): number[]
  /** the fitted state, plain JSON; the estimator's load function restores it exactly */
  state(): JsonValue
}

export function argmax(values: readonly number[]): number {
  let best = 0
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i
  return best
}
