// The supported model classes, by scikit-learn's names, with their constructor parameters.

import type {JsonValue} from '../lode-types.ts'
import type {Estimator, Task} from './model.ts'
import {boolParam, choiceParam, intParam, maxFeaturesParam, nonNegativeFloatParam, positiveFloatParam, priorsParam, type ParamSpec} from './params.ts'
import {DecisionTree, type Criterion, type MaxFeatures, type TreeState} from './tree.ts'
import {RandomForest} from './forest.ts'
import {LinearRegression, type LinearRegressionState} from './linear.ts'
import {LogisticRegression, type LogisticRegressionState} from './logistic.ts'
import {KNeighbors, type KNeighborsState} from './knn.ts'
import {GaussianNB, type GaussianNBState} from './naive-bayes.ts'

type Params = Record<string, JsonValue>

export interface ModelClass {
  /** the short class name, e.g. RandomForestClassifier */
  name: string
  /** the scikit-learn module it mirrors, e.g. sklearn.ensemble */
  module: string
  task: Task
  params: Record<string, ParamSpec>
  /** a new, unfitted estimator; state given: the fitted estimator it describes */
  build(params: Params, state?: JsonValue): Estimator
}

const num = (v: JsonValue | undefined): number => v as number
const seedOf = (params: Params): number => (params.random_state === null ? 0 : num(params.random_state))

const treeParams = (criteria: string[], maxFeatures: string | null): Record<string, ParamSpec> => ({
  criterion: choiceParam(criteria[0] as string, criteria),
  max_depth: intParam(null, 1, true),
  min_samples_split: intParam(2, 2),
  min_samples_leaf: intParam(1, 1),
  max_features: maxFeaturesParam(maxFeatures),
  random_state: intParam(null, 0, true),
})

function tree(name: string, task: Task, criteria: string[]): ModelClass {
  return {
    name, module: 'sklearn.tree', task, params: treeParams(criteria, null),
    build: (p, state) => new DecisionTree(task, {
      criterion: normalizeCriterion(p.criterion as string),
      maxDepth: p.max_depth === null ? null : num(p.max_depth),
      minSamplesSplit: num(p.min_samples_split),
      minSamplesLeaf: num(p.min_samples_leaf),
      maxFeatures: p.max_features as MaxFeatures,
      seed: seedOf(p),
    }, (state as TreeState | undefined) ?? null),
  }
}

function forest(name: string, task: Task, criteria: string[], maxFeatures: string | null): ModelClass {
  return {
    name, module: 'sklearn.ensemble', task,
    params: {n_estimators: intParam(100, 1), ...treeParams(criteria, maxFeatures), bootstrap: boolParam(true)},
    build: (p, state) => new RandomForest(task, {
      nEstimators: num(p.n_estimators),
      criterion: normalizeCriterion(p.criterion as string),
      maxDepth: p.max_depth === null ? null : num(p.max_depth),
      minSamplesSplit: num(p.min_samples_split),
      minSamplesLeaf: num(p.min_samples_leaf),
      maxFeatures: p.max_features as MaxFeatures,
      bootstrap: p.bootstrap as boolean,
      seed: seedOf(p),
    }, (state as {trees: TreeState[]} | undefined)?.trees ?? []),
  }
}

function knn(name: string, task: Task): ModelClass {
  return {
    name, module: 'sklearn.neighbors', task,
    params: {n_neighbors: intParam(5, 1), weights: choiceParam('uniform', ['uniform', 'distance']), p: choiceParam(2, [1, 2])},
    build: (p, state) => new KNeighbors(task, {nNeighbors: num(p.n_neighbors), weights: p.weights as 'uniform' | 'distance', p: num(p.p)},
      (state as KNeighborsState | undefined) ?? null),
  }
}

/** scikit-learn's 'mse' is the old name of 'squared_error' */
function normalizeCriterion(criterion: string): Criterion {
  return (criterion === 'mse' ? 'squared_error' : criterion) as Criterion
}

export const MODEL_CLASSES: readonly ModelClass[] = [
  forest('RandomForestClassifier', 'classification', ['gini', 'entropy'], 'sqrt'),
  forest('RandomForestRegressor', 'regression', ['squared_error', 'mse'], null),
  tree('DecisionTreeClassifier', 'classification', ['gini', 'entropy']),
  tree('DecisionTreeRegressor', 'regression', ['squared_error', 'mse']),
  {
    name: 'LogisticRegression', module: 'sklearn.linear_model', task: 'classification',
    params: {
      C: positiveFloatParam(1),
      penalty: choiceParam('l2', ['l2', null]),
      max_iter: intParam(100, 1),
      tol: nonNegativeFloatParam(1e-4),
      fit_intercept: boolParam(true),
      random_state: intParam(null, 0, true),
    },
    build: (p, state) => new LogisticRegression({c: num(p.C), penalty: p.penalty as 'l2' | null, maxIter: num(p.max_iter), tol: num(p.tol), fitIntercept: p.fit_intercept as boolean},
      (state as LogisticRegressionState | undefined) ?? null),
  },
  {
    name: 'LinearRegression', module: 'sklearn.linear_model', task: 'regression',
    params: {fit_intercept: boolParam(true)},
    build: (p, state) => new LinearRegression({fitIntercept: p.fit_intercept as boolean}, (state as LinearRegressionState | undefined) ?? null),
  },
  knn('KNeighborsClassifier', 'classification'),
  knn('KNeighborsRegressor', 'regression'),
  {
    name: 'GaussianNB', module: 'sklearn.naive_bayes', task: 'classification',
    params: {var_smoothing: nonNegativeFloatParam(1e-9), priors: priorsParam()},
    build: (p, state) => new GaussianNB({varSmoothing: num(p.var_smoothing), priors: p.priors as number[] | null}, (state as GaussianNBState | undefined) ?? null),
  },
]

export const SUPPORTED_CLASSES = MODEL_CLASSES.map((c) => `${c.module}.${c.name}`)

/**
 * Accepts the short class name, lode.<name>, or the scikit-learn path the class mirrors, with or without `sklearn.`
 * (sklearn.ensemble.RandomForestClassifier, ensemble.RandomForestClassifier). Any other dotted path names another
 * library's class (xgboost.RandomForestClassifier): refused, never stood in for by a learner of the same short name.
 */
export function resolveModelClass(modelClass: string): ModelClass {
  const path = modelClass.trim()
  const dot = path.lastIndexOf('.')
  const prefix = dot < 0 ? '' : path.slice(0, dot)
  const short = path.slice(dot + 1)
  const found = MODEL_CLASSES.find((c) => c.name === short) ?? MODEL_CLASSES.find((c) => c.name.toLowerCase() === short.toLowerCase())
  if (!found) throw new Error(`unknown model_class "${modelClass}"; supported: ${SUPPORTED_CLASSES.join(', ')}. Any importable scikit-learn (or xgboost) class: hub://auto_trainer`)
  if (prefix && prefix !== 'lode' && prefix !== found.module && `sklearn.${prefix}` !== found.module) {
    throw new Error(`model_class "${modelClass}" is not one of the TypeScript learners of auto_trainer_ts, which mirror scikit-learn's classes only (${found.name} is ${found.module}.${found.name}). To train ${path} itself, use hub://auto_trainer (scikit-learn in Python).`)
  }
  return found
}

/**
 * The effective constructor parameters: defaults, overridden by the given ones (CLASS_ prefix removed).
 * random_state, when the class takes one and it was not given, comes from the run's random_state.
 */
export function resolveParams(modelClass: ModelClass, given: Params, randomState: number | null): Params {
  const accepted = Object.keys(modelClass.params)
  const effective: Params = {}
  for (const [name, spec] of Object.entries(modelClass.params)) effective[name] = spec.default
  if ('random_state' in modelClass.params) effective.random_state = randomState
  for (const [name, value] of Object.entries(given)) {
    const spec = modelClass.params[name]
    if (!spec) throw new Error(`${modelClass.name} has no parameter "${name}"; accepted: ${accepted.join(', ')}`)
    try {
      effective[name] = spec.parse(value)
    } catch (error) {
      throw new Error(`${modelClass.name} parameter ${name}: ${(error as Error).message}`)
    }
  }
  return effective
}
