// The plots of a scored model: confusion matrix (classifiers), ROC curve (binary classifiers),
// feature importance (trees and forests: impurity decrease; linear models: |coefficient| on standardized features).

import type {Scored} from '../ml/scoring.ts'
import type {LoadedModel} from '../ml/trained-model.ts'
import {confusionMatrix, rocCurve} from '../ml/metrics.ts'
import {confusionMatrixSvg} from './confusion.ts'
import {featureImportanceSvg} from './importance.ts'
import {rocCurveSvg} from './roc.ts'

export function modelPlots(loaded: LoadedModel, scored: Scored): {key: string; svg: string}[] {
  const {model, estimator} = loaded
  const plots: {key: string; svg: string}[] = []
  if (model.task === 'classification' && model.classes) {
    const names = model.classes.map(String)
    plots.push({key: 'confusion-matrix', svg: confusionMatrixSvg(confusionMatrix(scored.truth, scored.predicted, names.length), names)})
    if (names.length === 2 && scored.proba) {
      const {fpr, tpr} = rocCurve(scored.truth.map((t) => t === 1), scored.proba.map((p) => p[1] as number))
      plots.push({key: 'roc-curve', svg: rocCurveSvg(fpr, tpr, scored.metrics.auc ?? Number.NaN)})
    }
  }
  if (estimator.featureImportances) {
    const linear = model.algorithm === 'LogisticRegression' || model.algorithm === 'LinearRegression'
    plots.push({
      key: 'feature-importance',
      svg: featureImportanceSvg(model.features.map((f) => f.name), estimator.featureImportances(), linear ? '|coefficient| (standardized)' : 'mean impurity decrease'),
    })
  }
  return plots
}
