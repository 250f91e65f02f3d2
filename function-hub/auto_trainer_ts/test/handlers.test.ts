// The handlers called with a recording stand-in for lode's Context (to run through `lode run` once the SDK lands).

import {expect} from 'chai'
import pl from 'nodejs-polars'
import {evaluate, predict, train} from '../auto_trainer_ts.ts'
import type {Context as LodeContext, DataItem as LodeDataItem} from 'lode'
import {RecordingContext, fileItem, frameItem, memoryItem, modelItem} from './recording-context.ts'
import {dataPath} from './data.ts'
import {syntheticClassification} from '../../load_dataset/synthetic.ts'

// Compile-time only: lode's own Context and DataItem are accepted by the handlers' structural types.
export const acceptsLodeTypes = (ctx: LodeContext, item: LodeDataItem): Parameters<typeof train> => [ctx, {dataset: item}]

const cancer = () => fileItem(dataPath('breast_cancer'))
const flowers = () => fileItem(dataPath('iris'))

async function trained(args: Parameters<typeof train>[1]): Promise<RecordingContext> {
  const ctx = new RecordingContext()
  await train(ctx, args)
  return ctx
}

describe('auto_trainer_ts handlers', () => {
  it('train logs the model, the metrics as results, the test set and the plots', async () => {
    const ctx = await trained({dataset: cancer(), model_class: 'sklearn.ensemble.RandomForestClassifier', label_columns: 'label', model_name: 'cancer', CLASS_n_estimators: 50})
    const model = ctx.models.get('model')
    expect(model).to.include({framework: 'lode-ml', algorithm: 'RandomForestClassifier', modelFile: 'cancer.json'})
    expect(model?.parameters).to.deep.include({n_estimators: 50, max_features: 'sqrt', random_state: 42})
    expect(model?.inputs).to.have.length(30)
    expect(model?.inputs?.[0]).to.deep.equal({name: 'mean_radius', dtype: 'Float64'})
    expect(model?.outputs).to.deep.equal([{name: 'label', dtype: 'Int64'}])
    expect(Object.keys(ctx.results).sort()).to.deep.equal(['accuracy', 'auc', 'f1', 'precision', 'recall'])
    expect(model?.metrics).to.deep.equal(ctx.results)
    expect(ctx.results.accuracy).to.be.at.least(0.93)
    const testSet = ctx.datasets.get('test_set')?.df
    expect(testSet?.height).to.equal(114)
    expect(testSet?.columns.at(-1)).to.equal('label')
    expect([...ctx.plots.keys()].sort()).to.deep.equal(['confusion-matrix', 'feature-importance', 'roc-curve'])
    for (const svg of ctx.plots.values()) expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^]*<\/svg>\n$/)
    expect(ctx.plots.get('roc-curve')).to.include('AUC = ').and.include('False positive rate')
    expect(ctx.plots.get('confusion-matrix')).to.include('Predicted label').and.include('True label')
  })

  it('train drops columns given as a comma-separated string and regresses a numeric column', async () => {
    const ctx = await trained({dataset: cancer(), model_class: 'LinearRegression', label_columns: ['mean_area'], drop_columns: 'label, mean_radius', train_test_split_size: 0.25})
    expect(Object.keys(ctx.results).sort()).to.deep.equal(['mae', 'r2', 'rmse'])
    expect(ctx.results.r2).to.be.greaterThan(0.9)
    expect(ctx.models.get('model')?.inputs?.map((i) => i.name)).to.not.include.members(['label', 'mean_radius', 'mean_area'])
    expect([...ctx.plots.keys()]).to.deep.equal(['feature-importance'])
    expect(ctx.datasets.get('test_set')?.df.height).to.equal(143)
  })

  it('train refuses two label columns and an unknown CLASS_ parameter', async () => {
    let error = await train(new RecordingContext(), {dataset: flowers(), model_class: 'GaussianNB', label_columns: ['label', 'petal_width_cm']}).catch((e: Error) => e)
    expect(String(error)).to.match(/only one label column is supported, got 2/)
    error = await train(new RecordingContext(), {dataset: flowers(), model_class: 'GaussianNB', label_columns: 'label', CLASS_alpha: 1}).catch((e: Error) => e)
    expect(String(error)).to.match(/GaussianNB has no parameter "alpha"; accepted: var_smoothing, priors/)
  })

  it('evaluate scores a model artifact on its test set with the metrics train reported', async () => {
    const trainCtx = await trained({dataset: flowers(), model_class: 'LogisticRegression', label_columns: 'label'})
    const ctx = new RecordingContext()
    const testSet = trainCtx.datasets.get('test_set')?.df as pl.DataFrame
    await evaluate(ctx, {model: modelItem(trainCtx.models.get('model')!), dataset: frameItem(testSet)})
    expect(ctx.results).to.deep.equal(trainCtx.results)
    expect([...ctx.plots.keys()].sort()).to.deep.equal(['confusion-matrix', 'feature-importance'])
  })

  it('evaluate finds the model file through the metadata when model.yaml is absent', async () => {
    const trainCtx = await trained({dataset: cancer(), model_class: 'GaussianNB', label_columns: 'label', model_name: 'nb'})
    const ctx = new RecordingContext()
    await evaluate(ctx, {model: modelItem(trainCtx.models.get('model')!, false), dataset: cancer(), label_columns: 'label'})
    expect(ctx.results.accuracy).to.be.within(0.9, 1)
  })

  it('predict adds the predicted label and one probability column per class', async () => {
    const trainCtx = await trained({dataset: flowers(), model_class: 'KNeighborsClassifier', label_columns: 'label'})
    const ctx = new RecordingContext()
    await predict(ctx, {model: modelItem(trainCtx.models.get('model')!), dataset: flowers(), drop_columns: ['label']})
    const prediction = ctx.datasets.get('prediction')?.df as pl.DataFrame
    expect(ctx.results.rows).to.equal(150)
    expect(prediction.columns).to.deep.equal(['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm', 'predicted_label', 'proba_0', 'proba_1', 'proba_2'])
    const predicted = prediction.getColumn('predicted_label').toArray() as number[]
    const truth = pl.readCSV(dataPath('iris')).getColumn('label').toArray() as number[]
    expect(predicted.filter((p, i) => p === truth[i]).length).to.be.at.least(140)
    const row = prediction.row(0) as number[]
    expect((row[5] as number) + (row[6] as number) + (row[7] as number)).to.be.closeTo(1, 1e-9)
  })

  it('predict with a regressor writes the named result column only', async () => {
    const trainCtx = await trained({dataset: cancer(), model_class: 'DecisionTreeRegressor', label_columns: 'mean_area', drop_columns: ['label'], CLASS_max_depth: 6})
    const ctx = new RecordingContext()
    await predict(ctx, {model: modelItem(trainCtx.models.get('model')!), dataset: cancer(), result_column: 'area_hat'})
    const prediction = ctx.datasets.get('prediction')?.df as pl.DataFrame
    expect(prediction.columns.slice(-2)).to.deep.equal(['label', 'area_hat'])
    expect(String(prediction.getColumn('area_hat').dtype)).to.include('Float64')
  })

  it('train fits a million rows: a stratified split, the model and its metrics', async function () {
    this.timeout(120_000)
    const df = syntheticClassification({rows: 1_000_000, features: 3, classes: 2, noise: 1, randomState: 3})
    const ctx = await trained({dataset: memoryItem(df), model_class: 'GaussianNB', label_columns: 'label'})
    const testSet = ctx.datasets.get('test_set')?.df as pl.DataFrame
    expect(testSet.height).to.equal(200_000)
    expect(testSet.getColumn('label').sum()).to.equal(100_000)
    expect(ctx.models.get('model')).to.include({algorithm: 'GaussianNB'})
    expect(ctx.results.accuracy).to.be.at.least(0.85)
  })
})
