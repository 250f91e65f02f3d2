// Expected values computed with scikit-learn 1.2.1 (sklearn.metrics) on the same inputs.

import {expect} from 'chai'
import {binaryAuc, classificationMetrics, regressionMetrics, rocCurve} from '../ml/metrics.ts'

function closeTo(actual: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(actual).sort()).to.deep.equal(Object.keys(expected).sort())
  for (const [key, value] of Object.entries(expected)) expect(actual[key], key).to.be.closeTo(value, 1e-12)
}

describe('auto_trainer_ts metrics', () => {
  it('scores two classes by the positive (second) class, with ties in the AUC', () => {
    const truth = [0, 0, 1, 1, 1, 0, 1, 0]
    const scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.2, 0.9, 0.6]
    const predicted = [0, 0, 0, 1, 0, 0, 1, 1]
    const proba = scores.map((s) => [1 - s, s])
    closeTo(classificationMetrics(truth, predicted, proba, 2), {accuracy: 0.625, f1: 0.5714285714285715, precision: 0.6666666666666666, recall: 0.5, auc: 0.78125})
  })

  it('macro-averages more classes, and the AUC one-vs-rest', () => {
    const truth = [0, 1, 2, 2, 1, 0, 2]
    const predicted = [0, 2, 2, 2, 1, 0, 1]
    const proba = [[0.8, 0.1, 0.1], [0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3], [0.6, 0.2, 0.2], [0.2, 0.5, 0.3]]
    closeTo(classificationMetrics(truth, predicted, proba, 3), {accuracy: 5 / 7, f1: 0.7222222222222222, precision: 0.7222222222222222, recall: 0.7222222222222222, auc: 0.8916666666666666})
  })

  it('scores regression by mae, rmse and r2', () => {
    closeTo(regressionMetrics([3, -0.5, 2, 7], [2.5, 0, 2, 8]), {mae: 0.5, rmse: 0.6123724356957945, r2: 0.9486081370449679})
  })

  it('has no AUC with a single class present, and a ROC curve from (0,0) to (1,1)', () => {
    expect(binaryAuc([true, true], [0.2, 0.4])).to.be.NaN
    const {fpr, tpr} = rocCurve([false, true, false, true], [0.1, 0.9, 0.5, 0.5])
    expect(fpr).to.deep.equal([0, 0, 0.5, 1])
    expect(tpr).to.deep.equal([0, 0.5, 1, 1])
  })
})
