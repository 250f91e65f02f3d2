// Hub function auto_trainer_ts: train, evaluate and predict with scikit-learn style models written in TypeScript (no Python).

import pl from 'nodejs-polars'
import type {Context, DataItem, JsonValue} from './lode-types.ts'
import {columnList, featureMatrix, labelColumn, labelValues, numericLabels, takeRows} from './frame.ts'
import {trainModel} from './ml/training.ts'
import {scoreModel, type Scored} from './ml/scoring.ts'
import {predictLabels, serializeModel, type LoadedModel} from './ml/trained-model.ts'
import {readModelArtifact} from './model-artifact.ts'
import {modelPlots} from './plots/model-plots.ts'

export interface TrainArgs {
  dataset?: DataItem
  model_class?: string
  label_columns?: string | string[]
  drop_columns?: string | string[]
  train_test_split_size?: number
  model_name?: string
  random_state?: number | null
  /** CLASS_<name>: constructor parameters */
  [classParam: `CLASS_${string}`]: JsonValue | undefined
}

export async function train(ctx: Context, args: TrainArgs): Promise<void> {
  const {dataset, model_class, label_columns, drop_columns, train_test_split_size = 0.2, model_name = 'model', random_state = 42} = args
  if (!model_class) throw new Error('model_class is required, e.g. sklearn.ensemble.RandomForestClassifier')
  const df = await requireInput(dataset, 'dataset').asDf()
  const classParams: Record<string, JsonValue> = {}
  for (const [key, value] of Object.entries(args)) if (key.startsWith('CLASS_') && value !== undefined) classParams[key.slice(6)] = value as JsonValue
  ctx.logger.info('training', {model_class, rows: df.height, columns: df.width})
  ctx.progress(0.1, 'fitting')
  const outcome = trainModel(df, {
    modelClass: model_class,
    label: labelColumn(label_columns),
    dropColumns: columnList(drop_columns),
    testSize: Number(train_test_split_size),
    randomState: random_state === null ? Date.now() % 2 ** 31 : Number(random_state),
    classParams,
  })
  ctx.progress(0.8, 'logging')
  const {model} = outcome.loaded
  const metrics = outcome.test.metrics
  // The key is `model`, as MLRun's pipelines expect (`outputs=['model']`); model_name names the model itself.
  await ctx.logModel('model', {
    body: serializeModel(model),
    modelFile: `${model_name}.json`,
    framework: 'lode-ml',
    algorithm: model.algorithm,
    metrics,
    parameters: model.parameters,
    inputs: model.features,
    outputs: [model.label],
    labels: {framework: 'lode-ml', algorithm: model.algorithm, task: model.task, model_name},
  })
  ctx.logResults(metrics)
  const columns = [...model.features.map((f) => f.name), model.label.name]
  await ctx.logDataset('test_set', takeRows(df.select(...columns), outcome.split.test))
  await logPlots(ctx, outcome.loaded, outcome.test)
  ctx.logger.info('trained', {algorithm: model.algorithm, ...metrics})
}

export interface EvaluateArgs {
  model?: DataItem
  dataset?: DataItem
  label_columns?: string | string[]
  drop_columns?: string | string[]
}

export async function evaluate(ctx: Context, args: EvaluateArgs): Promise<void> {
  const loaded = await readModelArtifact(requireInput(args.model, 'model'))
  const df = dropPresent(await requireInput(args.dataset, 'dataset').asDf(), columnList(args.drop_columns))
  const label = labelColumn(args.label_columns, loaded.model.label.name)
  const x = featureMatrix(df, loaded.model.features.map((f) => f.name))
  const labels = loaded.model.task === 'regression' ? numericLabels(df, label) : labelValues(df, label)
  const scored = scoreModel(loaded, x, labels)
  ctx.logResults(scored.metrics)
  await logPlots(ctx, loaded, scored)
}

export interface PredictArgs extends EvaluateArgs {
  result_column?: string
}

export async function predict(ctx: Context, args: PredictArgs): Promise<void> {
  const loaded = await readModelArtifact(requireInput(args.model, 'model'))
  const resultColumn = args.result_column ?? 'predicted_label'
  if (args.label_columns !== undefined && args.label_columns !== null) labelColumn(args.label_columns)
  const df = dropPresent(await requireInput(args.dataset, 'dataset').asDf(), columnList(args.drop_columns))
  const {values, proba} = predictLabels(loaded, featureMatrix(df, loaded.model.features.map((f) => f.name)))
  const added = [pl.Series(resultColumn, values).cast(dtypeOf(loaded.model.task === 'regression' ? 'Float64' : loaded.model.label.dtype))]
  if (proba) (loaded.model.classes ?? []).forEach((c, k) => added.push(pl.Series(`proba_${String(c)}`, proba.map((p) => p[k] as number), pl.Float64)))
  const names = new Set(added.map((s) => s.name))
  const prediction = dropPresent(df, df.columns.filter((c) => names.has(c))).withColumns(...added)
  await ctx.logDataset('prediction', prediction)
  ctx.logResult('rows', prediction.height)
}

async function logPlots(ctx: Context, loaded: LoadedModel, scored: Scored): Promise<void> {
  for (const plot of modelPlots(loaded, scored)) await ctx.logPlot(plot.key, {body: plot.svg}, {format: 'svg'})
}

function requireInput(item: DataItem | undefined, name: string): DataItem {
  if (!item || typeof item !== 'object') throw new Error(`input "${name}" is required (-i ${name}=...)`)
  return item
}

function dropPresent(df: pl.DataFrame, columns: string[]): pl.DataFrame {
  const present = columns.filter((c) => df.columns.includes(c))
  return present.length ? df.drop(present) : df
}

function dtypeOf(name: string): pl.DataType {
  const types: Record<string, pl.DataType> = {Int64: pl.Int64, Int32: pl.Int32, Int16: pl.Int16, Int8: pl.Int8, UInt64: pl.UInt64, UInt32: pl.UInt32, UInt16: pl.UInt16, UInt8: pl.UInt8, Float32: pl.Float32, Bool: pl.Bool, String: pl.String, Utf8: pl.String}
  return types[name] ?? pl.Float64
}
