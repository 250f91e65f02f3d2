// One training: choose the columns, split, fit, score the held-out rows. No I/O; the handler logs the outcome.

import type pl from 'nodejs-polars'
import type {JsonValue} from '../lode-types.ts'
import {dtypeName, featureMatrix, labelValues, numericLabels, requireColumns} from '../frame.ts'
import {resolveModelClass, resolveParams} from './registry.ts'
import {scoreModel, type Scored} from './scoring.ts'
import {trainTestSplit, type Split} from './split.ts'
import {encodeClasses, type ClassValue, type LoadedModel, type TrainedModel} from './trained-model.ts'

export interface TrainOptions {
  modelClass: string
  label: string
  dropColumns: string[]
  /** fraction in (0, 1) or a row count */
  testSize: number
  randomState: number
  /** constructor parameters by scikit-learn's names (CLASS_ prefix removed) */
  classParams: Record<string, JsonValue>
}

export interface TrainOutcome {
  loaded: LoadedModel
  split: Split
  test: Scored
}

export function trainModel(df: pl.DataFrame, options: TrainOptions): TrainOutcome {
  const modelClass = resolveModelClass(options.modelClass)
  const parameters = resolveParams(modelClass, options.classParams, options.randomState)
  requireColumns(df, [options.label], 'label column')
  requireColumns(df, options.dropColumns, 'drop_columns')
  const features = df.columns.filter((c) => c !== options.label && !options.dropColumns.includes(c))
  if (features.length === 0) throw new Error('no feature columns left after removing the label and drop_columns')
  const x = featureMatrix(df, features)
  const raw: ClassValue[] = modelClass.task === 'regression' ? numericLabels(df, options.label) : labelValues(df, options.label)
  const {classes, y} = modelClass.task === 'classification' ? encodeClasses(raw) : {classes: null, y: raw as number[]}
  if (classes && classes.length < 2) throw new Error(`the label "${options.label}" has a single class (${JSON.stringify(classes[0])}); a classifier needs two or more`)
  const split = trainTestSplit(df.height, options.testSize, options.randomState, classes ? y : null)
  const estimator = modelClass.build(parameters)
  estimator.fit(split.train.map((i) => x[i]!), split.train.map((i) => y[i]!), classes?.length ?? 0)
  const model: TrainedModel = {
    format: 'lode-ml',
    version: 1,
    algorithm: modelClass.name,
    task: modelClass.task,
    parameters,
    features: features.map((name) => ({name, dtype: dtypeName(df.getColumn(name))})),
    label: {name: options.label, dtype: dtypeName(df.getColumn(options.label))},
    classes,
    state: estimator.state(),
  }
  const loaded = {model, modelClass, estimator}
  const test = scoreModel(loaded, split.test.map((i) => x[i]!), split.test.map((i) => raw[i]!))
  return {loaded, split, test}
}
