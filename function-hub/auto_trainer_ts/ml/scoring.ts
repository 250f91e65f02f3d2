// Predictions of a fitted model on rows whose label is known, and the metrics they give.

import type {Matrix} from './model.ts'
import {classificationMetrics, regressionMetrics, type Metrics} from './metrics.ts'
import {classIndices, predictLabels, type ClassValue, type LoadedModel} from './trained-model.ts'

export interface Scored {
  /** class indices (classifiers) or values (regressors) */
  truth: number[]
  predicted: number[]
  proba: Matrix | null
  metrics: Metrics
}

export function scoreModel(loaded: LoadedModel, x: Matrix, labels: ClassValue[]): Scored {
  const {indices, proba} = predictLabels(loaded, x)
  if (loaded.model.task === 'regression') {
    const truth = labels as number[]
    return {truth, predicted: indices, proba: null, metrics: regressionMetrics(truth, indices)}
  }
  const truth = classIndices(loaded.model, labels)
  const classCount = loaded.model.classes?.length ?? 0
  return {truth, predicted: indices, proba, metrics: finite(classificationMetrics(truth, indices, proba as Matrix, classCount))}
}

/** Results must be JSON: a metric that is undefined on these rows (AUC with one class present) is left out. */
function finite(metrics: Metrics): Metrics {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)))
}
