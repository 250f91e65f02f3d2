// Scores: accuracy, precision, recall, f1 and ROC AUC for classifiers; mae, rmse and r2 for regressors.
// Two classes: precision/recall/f1 of the second (positive) class. More: macro averages, AUC one-vs-rest.

export type Metrics = Record<string, number>

export function classificationMetrics(truth: number[], predicted: number[], proba: number[][], classCount: number): Metrics {
  const matrix = confusionMatrix(truth, predicted, classCount)
  const accuracy = truth.filter((t, i) => t === predicted[i]).length / truth.length
  const perClass = Array.from({length: classCount}, (_, c) => {
    const tp = matrix[c]![c]!
    const predictedC = matrix.reduce((sum, row) => sum + row[c]!, 0)
    const actualC = matrix[c]!.reduce((a, b) => a + b, 0)
    const precision = predictedC ? tp / predictedC : 0
    const recall = actualC ? tp / actualC : 0
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
    return {precision, recall, f1}
  })
  const pick = (key: 'precision' | 'recall' | 'f1') =>
    classCount === 2 ? perClass[1]![key] : perClass.reduce((sum, m) => sum + m[key], 0) / classCount
  return {accuracy, f1: pick('f1'), precision: pick('precision'), recall: pick('recall'), auc: aucScore(truth, proba, classCount)}
}

/** rows: true class, columns: predicted class */
export function confusionMatrix(truth: number[], predicted: number[], classCount: number): number[][] {
  const matrix = Array.from({length: classCount}, () => new Array<number>(classCount).fill(0))
  truth.forEach((t, i) => (matrix[t]![predicted[i]!] = matrix[t]![predicted[i]!]! + 1))
  return matrix
}

/** Binary: AUC of the positive class; multiclass: macro one-vs-rest over the classes present. NaN when undefined. */
export function aucScore(truth: number[], proba: number[][], classCount: number): number {
  if (classCount === 2) return binaryAuc(truth.map((t) => t === 1), proba.map((p) => p[1]!))
  const scores: number[] = []
  for (let c = 0; c < classCount; c++) {
    const auc = binaryAuc(truth.map((t) => t === c), proba.map((p) => p[c]!))
    if (!Number.isNaN(auc)) scores.push(auc)
  }
  return scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : Number.NaN
}

/** The Mann-Whitney statistic with average ranks for ties. */
export function binaryAuc(positive: boolean[], score: number[]): number {
  const order = score.map((s, i) => ({s, p: positive[i]!})).sort((a, b) => a.s - b.s)
  const positives = order.filter((o) => o.p).length
  const negatives = order.length - positives
  if (positives === 0 || negatives === 0) return Number.NaN
  let rankSum = 0
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j < order.length && order[j]!.s === order[i]!.s) j++
    const averageRank = (i + 1 + j) / 2
    for (let k = i; k < j; k++) if (order[k]!.p) rankSum += averageRank
    i = j
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

/** Points of the ROC curve (false positive rate, true positive rate), one per distinct threshold. */
export function rocCurve(positive: boolean[], score: number[]): {fpr: number[]; tpr: number[]} {
  const order = score.map((s, i) => ({s, p: positive[i]!})).sort((a, b) => b.s - a.s)
  const positives = order.filter((o) => o.p).length || 1
  const negatives = order.length - order.filter((o) => o.p).length || 1
  const fpr = [0]
  const tpr = [0]
  let tp = 0
  let fp = 0
  order.forEach((o, i) => {
    if (o.p) tp++
    else fp++
    if (i === order.length - 1 || order[i + 1]!.s !== o.s) {
      fpr.push(fp / negatives)
      tpr.push(tp / positives)
    }
  })
  return {fpr, tpr}
}

export function regressionMetrics(truth: number[], predicted: number[]): Metrics {
  const n = truth.length
  const mean = truth.reduce((a, b) => a + b, 0) / n
  let absolute = 0
  let squared = 0
  let total = 0
  truth.forEach((t, i) => {
    absolute += Math.abs(t - predicted[i]!)
    squared += (t - predicted[i]!) ** 2
    total += (t - mean) ** 2
  })
  return {mae: absolute / n, rmse: Math.sqrt(squared / n), r2: total > 0 ? 1 - squared / total : 0}
}
