// The handlers run through lode's Python runner in a real process (no store): what they log, and what they refuse.

import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {expect} from 'chai'
import type {ArtifactEvent, JsonValue, ModelMeta} from '../../../src/lib/types.ts'
import {TEST_PYTHON, artifacts, errorEvent, pythonHas, results, runHandler, workspace, type HandlerRun} from '../../../test/lib/runtimes/python/run-handler.ts'

const FOLDER = fileURLToPath(new URL('..', import.meta.url))
const SOURCE = readFileSync(join(FOLDER, 'auto_trainer.py'), 'utf8')
const data = (name: string) => fileURLToPath(new URL(`../../load_dataset/data/${name}.csv`, import.meta.url))
const WITH_SKLEARN = pythonHas(TEST_PYTHON, 'sklearn', 'pandas')
const describeSklearn = WITH_SKLEARN ? describe : describe.skip
const itXgboost = WITH_SKLEARN && pythonHas(TEST_PYTHON, 'xgboost') ? it : it.skip

/** Rows of a staged CSV or the row count of what the handler staged (no pyarrow: datasets are staged as CSV). */
function csvRows(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/)
  const names = head!.split(',')
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])))
}

function completed(run: HandlerRun): HandlerRun {
  expect(run.code, run.stderr).to.equal(0)
  return run
}

function model(run: HandlerRun): ArtifactEvent & {model: ModelMeta} {
  const found = artifacts(run).model
  expect(found?.kind).to.equal('model')
  return found as ArtifactEvent & {model: ModelMeta}
}

/** A workspace for the suite, with the hub function's folder on PYTHONPATH as lode puts it when it runs the function. */
function useWorkspace(): {current: Awaited<ReturnType<typeof workspace>>} {
  const ref = {} as {current: Awaited<ReturnType<typeof workspace>>}
  const savedPath = process.env.PYTHONPATH
  before(async () => {
    ref.current = await workspace()
    process.env.PYTHONPATH = FOLDER
  })
  after(async () => {
    if (savedPath === undefined) delete process.env.PYTHONPATH
    else process.env.PYTHONPATH = savedPath
    await ref.current.remove()
  })
  return ref
}

describeSklearn('auto_trainer (scikit-learn) handlers', function () {
  this.timeout(240_000)
  const w = useWorkspace()

  const run = (handler: string, params: Record<string, JsonValue>, inputs: Record<string, string | {path: string; meta: Record<string, JsonValue>}>, files?: Record<string, string>) =>
    runHandler(w.current.root, {
      source: SOURCE,
      handler,
      params,
      files,
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, typeof v === 'string' ? {path: v} : v])),
    })

  let trained: HandlerRun

  it('train: GradientBoostingClassifier on breast cancer logs the pickled model with its spec, the metrics, the test set and four plots', async () => {
    trained = completed(await run('train', {
      model_class: 'sklearn.ensemble.GradientBoostingClassifier', label_columns: 'label', model_name: 'cancer', tag: 'v1',
      random_state: 0, CLASS_n_estimators: 20, CLASS_random_state: 0,
    }, {dataset: data('breast_cancer'), sample_set: data('breast_cancer')}))
    const logged = model(trained)
    expect(readdirSync(logged.path).sort()).to.deep.equal(['cancer.pkl', 'sample_set.csv'])
    expect(logged.model.extraData).to.deep.equal(['sample_set.csv'])
    expect(csvRows(join(logged.path, 'sample_set.csv'))).to.have.length(569)
    expect(logged.model).to.include({framework: 'sklearn', algorithm: 'GradientBoostingClassifier', modelFile: 'cancer.pkl'})
    expect(logged.model.parameters).to.include({n_estimators: 20, random_state: 0, learning_rate: 0.1})
    expect(logged.model.inputs).to.have.length(30)
    expect(logged.model.inputs?.[0]).to.deep.equal({name: 'mean_radius', dtype: 'float64'})
    expect(logged.model.outputs).to.deep.equal([{name: 'label', dtype: 'int64'}])
    expect(logged.labels).to.include({framework: 'sklearn', algorithm: 'GradientBoostingClassifier', model_name: 'cancer', tag: 'v1', task: 'classification'})
    expect(logged.labels?.framework_version).to.match(/^\d+\.\d+/)
    const metrics = results(trained)
    expect(Object.keys(metrics).sort()).to.deep.equal(['accuracy', 'auc', 'f1', 'precision', 'recall'])
    expect(logged.model.metrics).to.deep.equal(metrics)
    expect(metrics.accuracy).to.be.at.least(0.9)
    expect(metrics.auc).to.be.at.least(0.95)
    const found = artifacts(trained)
    const testSet = csvRows(found.test_set!.path)
    expect(testSet).to.have.length(114)
    expect(Object.keys(testSet[0]!).at(-1)).to.equal('label')
    const plots = Object.values(found).filter((a) => a.kind === 'plot')
    expect(plots.map((p) => p.key).sort()).to.deep.equal(['calibration-curve', 'confusion-matrix', 'feature-importance', 'roc-curve'])
    for (const plot of plots) expect(readFileSync(plot.path, 'utf8'), plot.key).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^]*<\/svg>\n$/)
    expect(readFileSync(found['calibration-curve']!.path, 'utf8')).to.include('Fraction of positives').and.include('<circle')
  })

  it('evaluate and predict use that model: the same metrics on its test set, a predicted column on every row', async () => {
    expect(trained, 'the train test ran first').to.not.equal(undefined)
    const logged = model(trained)
    const modelInput = {path: logged.path, meta: {kind: 'model', model: logged.model as unknown as JsonValue}}
    const testSet = artifacts(trained).test_set!.path
    const evaluated = completed(await run('evaluate', {}, {model: modelInput, dataset: testSet}))
    expect(results(evaluated)).to.deep.equal(results(trained))
    expect(Object.keys(artifacts(evaluated)).sort()).to.deep.equal(['calibration-curve', 'confusion-matrix', 'feature-importance', 'roc-curve'])

    const predicted = completed(await run('predict', {label_columns: 'label'}, {model: modelInput, dataset: testSet}))
    const rows = csvRows(artifacts(predicted).prediction!.path)
    expect(rows).to.have.length(114)
    expect(Object.keys(rows[0]!).slice(-2)).to.deep.equal(['label', 'predicted_label'])
    const right = rows.filter((r) => Number(r.label) === Number(r.predicted_label)).length
    expect(right / rows.length).to.equal(results(trained).accuracy)

    const badParam = await run('evaluate', {PREDICT_nosuch: 1}, {model: modelInput, dataset: testSet})
    expect(badParam.code).to.equal(1)
    expect(errorEvent(badParam)?.message).to.match(/^AutoTrainerError: scoring the model failed \(PREDICT_ params: nosuch=1\): .*nosuch/)
    expect(badParam.stderr).to.not.include('Traceback')
  })

  it('trains other classifiers by path or scikit-learn short name, with CLASS_ params', async () => {
    for (const [modelClass, classParams] of [
      ['sklearn.linear_model.LogisticRegression', {CLASS_C: 0.5, CLASS_max_iter: 500}],
      ['sklearn.neighbors.KNeighborsClassifier', {CLASS_n_neighbors: 7}],
      ['DecisionTreeClassifier', {CLASS_max_depth: 3, CLASS_random_state: 1}],
    ] as const) {
      const r = completed(await run('train', {model_class: modelClass, label_columns: 'label', random_state: 3, ...classParams}, {dataset: data('iris')}))
      const logged = model(r)
      expect(logged.model.algorithm, modelClass).to.equal(modelClass.split('.').at(-1))
      for (const [k, v] of Object.entries(classParams)) expect(logged.model.parameters[k.slice('CLASS_'.length)], `${modelClass} ${k}`).to.equal(v)
      expect(results(r).accuracy, modelClass).to.be.at.least(0.85)
      const plots = Object.values(artifacts(r)).filter((a) => a.kind === 'plot').map((a) => a.key)
      expect(plots, `${modelClass}: three classes, so no ROC or calibration curve`).to.include('confusion-matrix').and.not.include('roc-curve')
    }
  })

  it('a regressor: RandomForestRegressor predicts two label columns, with label and mean_radius dropped', async () => {
    const r = completed(await run('train', {
      model_class: 'sklearn.ensemble.RandomForestRegressor', label_columns: ['mean_area', 'mean_perimeter'], drop_columns: 'label, mean_radius',
      train_test_split_size: 0.25, random_state: 0, CLASS_n_estimators: 30, CLASS_random_state: 0,
    }, {dataset: data('breast_cancer')}))
    const metrics = results(r) as Record<string, number>
    expect(Object.keys(metrics).sort()).to.deep.equal(['mae', 'mse', 'r2', 'rmse'])
    expect(metrics.r2).to.be.greaterThan(0.9)
    expect(metrics.rmse! ** 2).to.be.closeTo(metrics.mse!, 1e-6 * metrics.mse!)
    const logged = model(r)
    expect(logged.labels?.task).to.equal('regression')
    expect(logged.model.inputs?.map((i) => i.name)).to.have.length(27).and.not.include.members(['label', 'mean_radius', 'mean_area', 'mean_perimeter'])
    expect(logged.model.outputs?.map((o) => o.name)).to.deep.equal(['mean_area', 'mean_perimeter'])
    expect(Object.values(artifacts(r)).filter((a) => a.kind === 'plot').map((a) => a.key)).to.deep.equal(['feature-importance'])
    const testSet = csvRows(artifacts(r).test_set!.path)
    expect(testSet).to.have.length(143)
    expect(Object.keys(testSet[0]!).slice(-2)).to.deep.equal(['mean_area', 'mean_perimeter'])
  })

  it('FIT_ params reach fit, and an input test_set replaces the split', async () => {
    const iris = csvRows(data('iris'))
    const common = {model_class: 'sklearn.tree.DecisionTreeClassifier', label_columns: 'label', CLASS_random_state: 0}
    // no weight on the rows of class 2: the tree never predicts it
    const weights = iris.map((r) => (r.label === '2' ? 0 : 1))
    const weighted = completed(await run('train', {...common, FIT_sample_weight: weights}, {dataset: data('iris'), test_set: data('iris')}))
    expect(csvRows(artifacts(weighted).test_set!.path), 'all of the test_set input').to.have.length(150)
    // scored on its own training rows, an unweighted tree is right on (nearly) all of them
    expect(results(weighted).accuracy).to.be.at.most(100 / 150)
  })

  itXgboost('xgboost.XGBClassifier, when xgboost is importable', async () => {
    const r = completed(await run('train', {model_class: 'xgboost.XGBClassifier', label_columns: 'label', random_state: 0, CLASS_n_estimators: 20, CLASS_max_depth: 3},
      {dataset: data('breast_cancer')}))
    const logged = model(r)
    expect(logged.model).to.include({framework: 'xgboost', algorithm: 'XGBClassifier'})
    expect(logged.model.parameters).to.include({n_estimators: 20, max_depth: 3})
    expect(results(r).accuracy).to.be.at.least(0.9)
  })

  it('refuses what it cannot use in one line that names it, with no stack trace and nothing logged', async () => {
    const textColumn = 'a,kind,label\n1,x,0\n2,y,1\n3,x,0\n4,y,1\n5,x,0\n6,y,1\n'
    const cases: [Record<string, JsonValue>, RegExp][] = [
      [{model_class: 'sklearn.ensemble.RandomForrestClassifier'}, /unknown model_class 'sklearn\.ensemble\.RandomForrestClassifier': module sklearn\.ensemble has no 'RandomForrestClassifier'\. Did you mean RandomForestClassifier\?/],
      [{model_class: 'lode.RandomForestClassifier'}, /model_class 'lode\.RandomForestClassifier' names one of lode's TypeScript learners, which hub:\/\/auto_trainer_ts trains/],
      [{model_class: 'nosuch.Model'}, /unknown model_class 'nosuch\.Model': there is no module 'nosuch'/],
      [{model_class: 'sklearn.metrics.accuracy_score'}, /model_class 'sklearn\.metrics\.accuracy_score' is a function, not an estimator class/],
      [{model_class: 'collections.OrderedDict'}, /model_class 'collections\.OrderedDict' is not an estimator: it has no fit or predict method/],
      [{model_class: 'sklearn.ensemble.RandomForestClassifier', CLASS_n_estimator: 5}, /RandomForestClassifier has no parameter 'n_estimator' \(CLASS_n_estimator\)\. Did you mean CLASS_n_estimators\?/],
      [{model_class: 'sklearn.ensemble.RandomForestClassifier', CLASS_n_estimators: 0}, /sklearn\.ensemble\.RandomForestClassifier\.fit failed: The 'n_estimators' parameter/],
      [{model_class: 'sklearn.tree.DecisionTreeClassifier', label_columns: 'species'}, /label_columns: dataset has no column 'species'; its columns: 'a', 'label'/],
      [{model_class: 'sklearn.tree.DecisionTreeClassifier', drop_columns: 'a'}, /feature column 'kind' of dataset is not numeric: drop it \(-p drop_columns=kind\)/],
    ]
    for (const [params, message] of cases) {
      const r = await run('train', {label_columns: 'label', drop_columns: 'kind', ...params}, {dataset: 'd.csv'}, {'d.csv': textColumn})
      const what = JSON.stringify(params)
      expect(r.code, what).to.equal(1)
      expect(errorEvent(r)?.message, what).to.match(/^AutoTrainerError: /).and.match(message)
      expect(errorEvent(r)?.stack ?? null, what).to.equal(null)
      expect(r.stderr, what).to.not.include('Traceback')
      expect(artifacts(r), what).to.deep.equal({})
    }
  })
})

// Where the python3 on PATH lacks scikit-learn (as here, beside Debian's /usr/bin/python3 that has it).
const PATH_PYTHON = 'python3'
const describeNoSklearn = pythonHas(PATH_PYTHON, 'json') && !pythonHas(PATH_PYTHON, 'sklearn') ? describe : describe.skip

describeNoSklearn('auto_trainer on a Python without scikit-learn', function () {
  this.timeout(60_000)
  const w = useWorkspace()

  it('says what to install, in one line without a stack trace', async () => {
    const r = await runHandler(w.current.root, {python: PATH_PYTHON, source: SOURCE, handler: 'train', params: {model_class: 'sklearn.tree.DecisionTreeClassifier', label_columns: 'label'},
      inputs: {dataset: {path: data('iris')}}})
    expect(r.code).to.equal(1)
    expect(errorEvent(r)?.message).to.match(/^MissingDependencyError: hub:\/\/auto_trainer needs sklearn, which this Python \(\S+\) cannot import\. Install it \(apt-get install python3-sklearn, or pip install scikit-learn\)/)
    expect(r.stderr).to.not.include('Traceback')
  })
})
