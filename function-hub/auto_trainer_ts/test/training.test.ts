import {expect} from 'chai'
import pl from 'nodejs-polars'
import {trainModel, type TrainOptions} from '../ml/training.ts'
import {loadModel, predictLabels, serializeModel} from '../ml/trained-model.ts'
import {MODEL_CLASSES} from '../ml/registry.ts'
import {featureMatrix} from '../frame.ts'
import type {JsonValue} from '../lode-types.ts'
import {breastCancer, iris} from './data.ts'

const base = {dropColumns: [], testSize: 0.2, randomState: 42, classParams: {}}
const cancer = breastCancer()
const flowers = iris()

describe('auto_trainer_ts training', () => {
  it('fits a random forest on breast cancer to at least 0.93 test accuracy', () => {
    const {test, split} = trainModel(cancer, {...base, modelClass: 'sklearn.ensemble.RandomForestClassifier', label: 'label'})
    expect(split.test).to.have.length(114)
    expect(test.metrics.accuracy).to.be.at.least(0.93)
    expect(test.metrics.auc).to.be.at.least(0.97)
    for (const key of ['f1', 'precision', 'recall']) expect(test.metrics[key]).to.be.within(0.9, 1)
  })

  it('gives the identical model and metrics for the same random_state, and another model for another', () => {
    const options: TrainOptions = {...base, modelClass: 'RandomForestClassifier', label: 'label', classParams: {n_estimators: 15}}
    const first = trainModel(cancer, options)
    const second = trainModel(cancer, options)
    expect(serializeModel(second.loaded.model)).to.equal(serializeModel(first.loaded.model))
    expect(second.test.metrics).to.deep.equal(first.test.metrics)
    const other = trainModel(cancer, {...options, randomState: 7})
    expect(serializeModel(other.loaded.model)).to.not.equal(serializeModel(first.loaded.model))
    expect(other.split.test).to.not.deep.equal(first.split.test)
  })

  for (const modelClass of MODEL_CLASSES.filter((c) => c.task === 'classification')) {
    it(`${modelClass.name} classifies iris (accuracy >= 0.9) and survives a JSON round trip`, () => {
      const {loaded, test} = trainModel(flowers, {...base, modelClass: `${modelClass.module}.${modelClass.name}`, label: 'label', classParams: {}})
      expect(test.metrics.accuracy).to.be.at.least(0.9)
      expect(test.metrics.auc).to.be.at.least(0.9)
      const x = featureMatrix(flowers, loaded.model.features.map((f) => f.name))
      const reloaded = loadModel(serializeModel(loaded.model))
      expect(predictLabels(reloaded, x)).to.deep.equal(predictLabels(loaded, x))
      expect(reloaded.model.classes).to.deep.equal([0, 1, 2])
    })
  }

  for (const modelClass of MODEL_CLASSES.filter((c) => c.task === 'regression')) {
    it(`${modelClass.name} predicts mean_area of breast cancer (r2 >= 0.85) and survives a JSON round trip`, () => {
      const classParams: Record<string, JsonValue> = modelClass.name === 'RandomForestRegressor' ? {n_estimators: 20} : {}
      const {loaded, test} = trainModel(cancer, {...base, modelClass: modelClass.name, label: 'mean_area', dropColumns: ['label'], classParams})
      expect(test.metrics.r2).to.be.at.least(0.85)
      expect(test.metrics.mae).to.be.greaterThan(0)
      expect(test.metrics.rmse).to.be.at.least(test.metrics.mae as number)
      expect(loaded.model.features.map((f) => f.name)).to.not.include.members(['label', 'mean_area'])
      const x = featureMatrix(cancer, loaded.model.features.map((f) => f.name))
      expect(predictLabels(loadModel(serializeModel(loaded.model)), x)).to.deep.equal(predictLabels(loaded, x))
    })
  }

  it('fits the binary classifiers on breast cancer sensibly', () => {
    for (const modelClass of MODEL_CLASSES.filter((c) => c.task === 'classification')) {
      const classParams: Record<string, JsonValue> = modelClass.name === 'RandomForestClassifier' ? {n_estimators: 25} : {}
      const {test} = trainModel(cancer, {...base, modelClass: modelClass.name, label: 'label', classParams})
      expect(test.metrics.accuracy, modelClass.name).to.be.at.least(0.9)
    }
  })

  it('passes CLASS_ parameters to the model and records the effective ones', () => {
    const {loaded} = trainModel(flowers, {...base, modelClass: 'DecisionTreeClassifier', label: 'label', classParams: {max_depth: '2', criterion: 'entropy'}})
    expect(loaded.model.parameters).to.deep.include({max_depth: 2, criterion: 'entropy', min_samples_leaf: 1, random_state: 42})
    const state = loaded.model.state as {left: number[]}
    expect(state.left.length).to.be.at.most(7)
  })

  it('keeps the class balance in a stratified split', () => {
    const {split} = trainModel(flowers, {...base, modelClass: 'GaussianNB', label: 'label'})
    const labels = flowers.getColumn('label').toArray() as number[]
    const counts = [0, 1, 2].map((c) => split.test.filter((i) => labels[i] === c).length)
    expect(counts).to.deep.equal([10, 10, 10])
    expect(new Set([...split.train, ...split.test]).size).to.equal(150)
  })

  it('rejects an unknown class, listing the supported ones', () => {
    expect(() => trainModel(flowers, {...base, modelClass: 'sklearn.svm.SVC', label: 'label'})).to.throw(/unknown model_class "sklearn.svm.SVC".*sklearn.ensemble.RandomForestClassifier.*GaussianNB/)
  })

  it('never stands in for another library\'s class: xgboost.RandomForestClassifier is refused, naming hub://auto_trainer', () => {
    for (const modelClass of ['xgboost.RandomForestClassifier', 'lightgbm.LGBMClassifier', 'sklearn.tree.RandomForestClassifier', 'mylib.ensemble.RandomForestClassifier']) {
      expect(() => trainModel(flowers, {...base, modelClass, label: 'label'}), modelClass).to.throw(new RegExp(`model_class "${modelClass.replaceAll('.', '\\.')}".*hub://auto_trainer`))
    }
    for (const modelClass of ['RandomForestClassifier', 'ensemble.RandomForestClassifier', 'sklearn.ensemble.RandomForestClassifier', 'lode.RandomForestClassifier']) {
      expect(trainModel(flowers, {...base, modelClass, label: 'label', classParams: {n_estimators: 3}}).loaded.model.algorithm, modelClass).to.equal('RandomForestClassifier')
    }
  })

  it('rejects an unknown CLASS_ parameter, listing the accepted ones', () => {
    expect(() => trainModel(flowers, {...base, modelClass: 'RandomForestClassifier', label: 'label', classParams: {n_trees: 5}}))
      .to.throw(/RandomForestClassifier has no parameter "n_trees"; accepted: n_estimators, criterion, max_depth/)
    expect(() => trainModel(flowers, {...base, modelClass: 'RandomForestClassifier', label: 'label', classParams: {n_estimators: 0}}))
      .to.throw(/n_estimators: expected an integer >= 1, got 0/)
  })

  it('rejects a classifier on a single class and a regressor on a text label', () => {
    expect(() => trainModel(flowers.filter(pl.col('label').eq(0)), {...base, modelClass: 'GaussianNB', label: 'label'})).to.throw(/single class/)
    expect(() => trainModel(withSpecies(), {...base, modelClass: 'LinearRegression', label: 'species', dropColumns: ['label']})).to.throw(/numeric label/)
  })

  it('classifies a text label and predicts its values', () => {
    const {loaded, test} = trainModel(withSpecies(), {...base, modelClass: 'KNeighborsClassifier', label: 'species', dropColumns: ['label']})
    expect(loaded.model.classes).to.deep.equal(['setosa', 'versicolor', 'virginica'])
    expect(test.metrics.accuracy).to.be.at.least(0.9)
    const x = featureMatrix(flowers, loaded.model.features.map((f) => f.name))
    expect(predictLabels(loaded, x).values[0]).to.equal('setosa')
  })

  it('rejects a text feature column, naming it', () => {
    expect(() => trainModel(withSpecies(), {...base, modelClass: 'GaussianNB', label: 'label'})).to.throw(/feature column "species" is String, not numeric/)
  })
})

function withSpecies(): pl.DataFrame {
  const names = ['setosa', 'versicolor', 'virginica']
  return flowers.withColumns(pl.Series('species', (flowers.getColumn('label').toArray() as number[]).map((c) => names[c] as string)))
}
