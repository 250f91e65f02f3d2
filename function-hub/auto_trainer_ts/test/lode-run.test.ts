// train, evaluate and predict through the real `lode run` (bin/run.js) in a temp project.

import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {expect} from 'chai'
import {json, lode, tempDir} from '../../../test/helpers/project.ts'
import {dataPath} from './data.ts'

describe('auto_trainer_ts through lode run', function () {
  this.timeout(180_000)
  let dir: string
  let env: Record<string, string>
  const run = (args: string[]) => {
    const r = lode(['run', 'hub://auto_trainer_ts', ...args, '--json'], {cwd: dir, env})
    expect(r.code, r.stderr).to.equal(0)
    return json(r).data
  }

  before(() => {
    dir = tempDir('lode-auto-trainer-')
    // a private hub cache, so a cached copy of another state of this function is never used
    env = {XDG_CACHE_HOME: join(dir, '.cache')}
    expect(lode(['init', '--name', 'hubtest'], {cwd: dir, env}).code).to.equal(0)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('trains, evaluates the logged model on the logged test set, and predicts', () => {
    const trained = run(['--handler', 'train', '-i', `dataset=${dataPath('breast_cancer')}`, '-p', 'model_class=sklearn.ensemble.RandomForestClassifier',
      '-p', 'label_columns=label', '-p', 'CLASS_n_estimators=50', '-o', 'model'])
    expect(trained.state).to.equal('completed')
    expect(trained.results.accuracy).to.be.at.least(0.93)
    expect(trained.outputs.model).to.match(/^store:\/\/models\/hubtest\/model@/)

    const evaluated = run(['--handler', 'evaluate', '-i', 'model=store://models/hubtest/model', '-i', 'dataset=store://datasets/hubtest/test_set'])
    expect(evaluated.results).to.deep.equal(trained.results)

    const predicted = run(['--handler', 'predict', '-i', 'model=store://models/hubtest/model', '-i', `dataset=${dataPath('breast_cancer')}`, '-o', 'prediction'])
    expect(predicted.results).to.deep.equal({rows: 569})
    expect(predicted.outputs.prediction).to.match(/^store:\/\/datasets\/hubtest\/prediction@/)
  })

  it('fails the run with the list of supported classes for an unknown one', () => {
    const r = lode(['run', 'hub://auto_trainer_ts', '-i', `dataset=${dataPath('iris')}`, '-p', 'model_class=SVC', '-p', 'label_columns=label'], {cwd: dir, env})
    expect(r.code).to.not.equal(0)
    expect(r.stdout + r.stderr).to.include('unknown model_class "SVC"; supported: sklearn.ensemble.RandomForestClassifier')
  })
})
