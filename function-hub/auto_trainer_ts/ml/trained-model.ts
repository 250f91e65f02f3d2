// The model file: which class, its parameters, the feature and label columns, the classes and the fitted
// state. Plain JSON; numbers survive JSON.stringify/parse exactly, so a loaded model predicts identically.

import type {JsonValue} from '../lode-types.ts'
import type {Estimator, Matrix, Task} from './model.ts'
import {resolveModelClass, type ModelClass} from './registry.ts'

export type ClassValue = string | number | boolean

export type TrainedModel = {
  format: 'lode-ml'
  version: 1
  algorithm: string
  task: Task
  parameters: Record<string, JsonValue>
  features: {name: string; dtype: string}[]
  label: {name: string; dtype: string}
  /** classifiers: the class values, in the order of the class indices */
  classes: ClassValue[] | null
  state: JsonValue
}

export interface LoadedModel {
  model: TrainedModel
  modelClass: ModelClass
  estimator: Estimator
}

/** Sorted distinct class values and each row's class index. */
export function encodeClasses(values: ClassValue[]): {classes: ClassValue[]; y: number[]} {
  const classes = [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const index = new Map(classes.map((c, i) => [c, i]))
  return {classes, y: values.map((v) => index.get(v) as number)}
}

/** Class indices of label values for a fitted model; a value the model never saw is an error. */
export function classIndices(model: TrainedModel, values: ClassValue[]): number[] {
  const index = new Map((model.classes ?? []).map((c, i) => [c, i]))
  return values.map((v) => {
    const found = index.get(v)
    if (found === undefined) throw new Error(`label value ${JSON.stringify(v)} is not one of the model's classes (${JSON.stringify(model.classes)})`)
    return found
  })
}

export function serializeModel(model: TrainedModel): string {
  return JSON.stringify(model)
}

export function loadModel(text: string): LoadedModel {
  const model = JSON.parse(text) as TrainedModel
  if (model?.format !== 'lode-ml') throw new Error('not a lode-ml model file (expected "format": "lode-ml")')
  const modelClass = resolveModelClass(model.algorithm)
  return {model, modelClass, estimator: modelClass.build(model.parameters, model.state)}
}

/** Predicted label values, and class probabilities for classifiers. */
export function predictLabels(loaded: LoadedModel, x: Matrix): {indices: number[]; values: ClassValue[]; proba: Matrix | null} {
  const {model, estimator} = loaded
  if (model.task === 'regression') {
    const values = estimator.predict(x)
    return {indices: values, values, proba: null}
  }
  const proba = (estimator.predictProba as (x: Matrix) => Matrix).call(estimator, x)
  const indices = estimator.predict(x)
  return {indices, values: indices.map((i) => (model.classes as ClassValue[])[i] as ClassValue), proba}
}
