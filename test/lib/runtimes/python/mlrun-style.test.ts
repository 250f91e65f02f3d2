import {expect} from 'chai'
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {TEST_PYTHON, artifacts, assertCompleted, errorEvent, pythonHas, pythonRuns, results, runHandler, workspace} from './run-handler.ts'

const WITH_SKLEARN = pythonHas(TEST_PYTHON, 'pandas', 'sklearn')

/** A deterministic two-class dataset: label = a + b > 1, with c as noise. */
function syntheticCsv(rows: number): string {
  let seed = 7
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31
  }
  const lines = ['a,b,c,label']
  for (let i = 0; i < rows; i++) {
    const [a, b, c] = [next(), next(), next()]
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${c.toFixed(4)},${a + b > 1 ? 1 : 0}`)
  }
  return lines.join('\n') + '\n'
}

// The handler as MLRun's docs write it, with the import changed to lode.
const MLRUN_TRAIN = `
import pickle
from lode import DataItem, MLClientCtx
from lode.frameworks.sklearn import apply_mlrun
from sklearn import ensemble
from sklearn.model_selection import train_test_split

def train(context: MLClientCtx, dataset: DataItem, model_name="model", label_column="label", n_estimators: int = 20):
    df = dataset.as_df()
    X = df.drop(columns=[label_column])
    y = df[label_column]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)

    model = ensemble.GradientBoostingClassifier(n_estimators=n_estimators, random_state=1)
    apply_mlrun(model=model, model_name=model_name, x_test=X_test, y_test=y_test)
    model.fit(X_train, y_train)

    context.log_dataset(key="X_test_dataset", df=X_test)
    context.log_model(key="my_model", body=pickle.dumps(model), model_file="model.pkl")
`

const describeSklearn = WITH_SKLEARN ? describe : describe.skip
describeSklearn(`python SDK: MLRun-style handlers and apply_mlrun (needs pandas and scikit-learn in ${TEST_PYTHON})`, () => {
  let ws: Awaited<ReturnType<typeof workspace>>
  before(async () => {
    ws = await workspace()
  })
  after(async () => {
    await ws.remove()
  })

  it('runs a training handler written as in MLRun\'s docs; apply_mlrun logs model, metrics, test set and plots', async () => {
    const run = await runHandler(ws.root, {
      source: MLRUN_TRAIN,
      handler: 'train',
      params: {model_name: 'cancer', n_estimators: '15'},
      files: {'data.csv': syntheticCsv(240)},
      inputs: {dataset: {path: 'data.csv'}},
    })
    assertCompleted(run)

    const metrics = results(run)
    expect(Object.keys(metrics).sort()).to.deep.equal(['accuracy', 'auc', 'f1', 'precision', 'recall'])
    for (const value of Object.values(metrics)) expect(value).to.be.a('number').within(0, 1)
    expect(metrics.accuracy).to.be.greaterThan(0.8)

    const found = artifacts(run)
    expect(Object.keys(found).sort()).to.deep.equal(
      ['X_test_dataset', 'cancer', 'confusion-matrix', 'feature-importance', 'my_model', 'roc-curve', 'test_set'],
    )
    const model = found.cancer!
    expect(model.kind).to.equal('model')
    expect(model.labels).to.deep.equal({framework: 'sklearn'})
    expect(model.model).to.include({framework: 'sklearn', algorithm: 'GradientBoostingClassifier', modelFile: 'cancer.pkl'})
    expect(model.model?.metrics).to.deep.equal(metrics)
    expect(model.model?.parameters).to.include({n_estimators: 15, random_state: 1})
    expect(model.model?.inputs?.map((c) => c.name)).to.deep.equal(['a', 'b', 'c'])
    expect(model.model?.outputs).to.deep.equal([{name: 'label', dtype: 'int64'}])
    expect(readdirSync(model.path)).to.deep.equal(['cancer.pkl'])

    const testSet = found.test_set!
    expect(testSet).to.include({kind: 'dataset', targetFormat: 'parquet'})
    if (testSet.format === 'csv') {
      const lines = readFileSync(testSet.path, 'utf8').trim().split('\n')
      expect(lines[0]).to.equal('a,b,c,label')
      expect(lines).to.have.length(61)
    }
    for (const key of ['confusion-matrix', 'roc-curve', 'feature-importance']) {
      const plot = found[key]!
      expect(plot).to.include({kind: 'plot', format: 'svg', mime: 'image/svg+xml'})
      expect(readFileSync(plot.path, 'utf8')).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^]*<\/svg>\n$/)
    }
    expect(readFileSync(found['feature-importance']!.path, 'utf8')).to.include('>a<').and.include('>b<')

    expect(found.X_test_dataset).to.include({kind: 'dataset', targetFormat: 'parquet'})
    expect(readdirSync(found.my_model!.path)).to.deep.equal(['model.pkl'])

    // Both pickles load in a later run and predict: the auto-logging hook does not travel with the model.
    const predict = await runHandler(ws.root, {
      source: `
import os, pickle
def predict(auto, manual):
    rows = [[0.9, 0.8, 0.1], [0.1, 0.2, 0.5]]
    a = pickle.load(open(os.path.join(auto.local(), 'cancer.pkl'), 'rb'))
    m = pickle.load(open(os.path.join(manual.local(), 'model.pkl'), 'rb'))
    return {'auto': a.predict(rows).tolist(), 'manual': m.predict(rows).tolist()}
`,
      handler: 'predict',
      inputs: {auto: {path: model.path}, manual: {path: found.my_model!.path}},
    })
    assertCompleted(predict)
    expect(results(predict).return).to.deep.equal({auto: [1, 0], manual: [1, 0]})
  })

  it('apply_mlrun on a regressor logs mae, rmse and r2, and coefficient magnitudes as feature importance', async () => {
    const run = await runHandler(ws.root, {
      source: `
import numpy as np
import pandas as pd
from lode.frameworks.sklearn import apply_mlrun
from sklearn.linear_model import LinearRegression

def handler(context):
    rng = np.random.default_rng(0)
    X = pd.DataFrame({'u': rng.random(80), 'v': rng.random(80)})
    y = pd.Series(3 * X['u'] - X['v'] + 0.01 * rng.random(80), name='target')
    model = LinearRegression()
    apply_mlrun(model, model_name='reg', x_test=X[60:], y_test=y[60:])
    model.fit(X[:60], y[:60])
`,
    })
    assertCompleted(run)
    const metrics = results(run)
    expect(Object.keys(metrics).sort()).to.deep.equal(['mae', 'r2', 'rmse'])
    expect(metrics.r2).to.be.greaterThan(0.99)
    const found = artifacts(run)
    expect(Object.keys(found).sort()).to.deep.equal(['feature-importance', 'reg', 'test_set'])
    expect(found.reg?.model).to.include({algorithm: 'LinearRegression', framework: 'sklearn'})
    const svg = readFileSync(found['feature-importance']!.path, 'utf8')
    expect(svg.indexOf('>u<')).to.be.lessThan(svg.indexOf('>v<'))
  })
})

// The python3 first on PATH here is one without pandas.
const PATH_PYTHON = 'python3'
const describeNoPandas = pythonRuns(PATH_PYTHON) && !pythonHas(PATH_PYTHON, 'pandas') ? describe : describe.skip
describeNoPandas('python SDK without pandas (needs a python3 on PATH that lacks pandas)', () => {
  let ws: Awaited<ReturnType<typeof workspace>>
  before(async () => {
    ws = await workspace()
  })
  after(async () => {
    await ws.remove()
  })

  it('says that as_df needs pandas and how to install it', async () => {
    const run = await runHandler(ws.root, {
      python: PATH_PYTHON,
      source: 'def handler(dataset):\n    dataset.as_df()\n',
      files: {'d.csv': 'a\n1\n'},
      inputs: {dataset: {path: 'd.csv'}},
    })
    expect(run.code).to.equal(1)
    const message = errorEvent(run)?.message ?? ''
    expect(message).to.match(/^MissingDependencyError: DataItem\.as_df\(\) needs pandas, which this Python \(\S+\) cannot import\./)
    expect(message).to.include('apt-get install python3-pandas').and.include('pip install pandas').and.include('--python')
  })
})
