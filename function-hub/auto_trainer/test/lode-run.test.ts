// train, evaluate and predict through the real `lode run` (bin/run.js) in a temp project, with store:// addresses.

import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {expect} from 'chai'
import {json, lode, tempDir} from '../../../test/helpers/project.ts'
import {TEST_PYTHON, pythonHas} from '../../../test/lib/runtimes/python/run-handler.ts'

const data = (name: string) => fileURLToPath(new URL(`../../load_dataset/data/${name}.csv`, import.meta.url))
const describeSklearn = pythonHas(TEST_PYTHON, 'sklearn', 'pandas') ? describe : describe.skip

describeSklearn('auto_trainer (scikit-learn) through lode run', function () {
  this.timeout(240_000)
  let dir: string
  let env: Record<string, string>
  const run = (args: string[]) => {
    const r = lode(['run', 'hub://auto_trainer', ...args, '--json'], {cwd: dir, env})
    expect(r.code, r.stderr).to.equal(0)
    return json(r).data
  }

  before(() => {
    dir = tempDir('lode-auto-trainer-')
    // a private hub cache, so a cached copy of another state of this function is never used
    env = {LODE_CACHE_DIR: join(dir, '.cache'), LODE_PYTHON: TEST_PYTHON}
    expect(lode(['init', '--name', 'hubtest'], {cwd: dir, env}).code).to.equal(0)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('trains a random forest, evaluates the stored model on the stored test set, and predicts', () => {
    const trained = run(['--handler', 'train', '-i', `dataset=${data('breast_cancer')}`, '-p', 'model_class=sklearn.ensemble.RandomForestClassifier',
      '-p', 'label_columns=label', '-p', 'model_name=cancer', '-p', 'random_state=0', '-p', 'CLASS_n_estimators=50', '-p', 'CLASS_random_state=0', '-o', 'model', '-o', 'test_set'])
    expect(trained.state).to.equal('completed')
    expect(trained.function).to.equal('hub://auto_trainer:2.0.0')
    expect(trained.results.accuracy).to.be.at.least(0.9)
    expect(trained.outputs.model).to.match(/^store:\/\/models\/hubtest\/model@/)
    const meta = json(lode(['artifacts', 'get', 'model', '--meta', '--json'], {cwd: dir, env})).data.artifact
    expect(meta.meta.model).to.include({framework: 'sklearn', algorithm: 'RandomForestClassifier', modelFile: 'cancer.pkl'})
    expect(meta.meta.model.metrics).to.deep.equal(trained.results)

    const evaluated = run(['--handler', 'evaluate', '-i', `model=${trained.outputs.model}`, '-i', `dataset=${trained.outputs.test_set}`])
    expect(evaluated.results).to.deep.equal(trained.results)

    const predicted = run(['--handler', 'predict', '-i', 'model=store://models/hubtest/model', '-i', `dataset=${data('breast_cancer')}`, '-o', 'prediction'])
    expect(predicted.outputs.prediction).to.match(/^store:\/\/datasets\/hubtest\/prediction@/)
    const rows = json(lode(['artifacts', 'get', 'prediction', '--meta', '--json'], {cwd: dir, env})).data.artifact.meta.dataset
    expect(rows.rows).to.equal(569)
    expect(rows.schema.map((c: {name: string}) => c.name).slice(-2)).to.deep.equal(['label', 'predicted_label'])
  })

  it('fails the run with one line naming an unknown class, no stack trace', () => {
    const r = lode(['run', 'hub://auto_trainer', '-i', `dataset=${data('iris')}`, '-p', 'model_class=sklearn.ensemble.GradientBoostingClassifer', '-p', 'label_columns=label'], {cwd: dir, env})
    expect(r.code).to.equal(1)
    expect(r.stderr).to.include("AutoTrainerError: unknown model_class 'sklearn.ensemble.GradientBoostingClassifer': module sklearn.ensemble has no 'GradientBoostingClassifer'. Did you mean GradientBoostingClassifier?")
    expect(r.stdout + r.stderr).to.not.include('Traceback')
  })
})
