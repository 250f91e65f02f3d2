// `lode serve` with lode's own TypeScript models (in-process), and what it refuses before it listens: a reference
// that is not a model, one that does not exist, a pickle Python cannot load, a model whose bytes were changed.
import {expect} from 'chai'
import {chmodSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {json, lode, ROOT} from '../helpers/project.ts'
import {infer, PY_ENV, startServe, tsLearnersHub, tsProject} from './fixtures.ts'

describe('lode serve: TypeScript models and refusals', function () {
  this.timeout(180_000)
  let dir: string
  before(() => {
    dir = tsProject().dir
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('serves a model of the TypeScript learners in-process, answering what the hub code predicts', async () => {
    const copy = join(dir, 'model-copy')
    expect(lode(['artifacts', 'get', 'model', '-o', copy], {cwd: dir}).code).to.equal(0)
    const mod = await import(pathToFileURL(join(ROOT, 'function-hub', tsLearnersHub(), 'ml', 'trained-model.ts')).href)
    const loaded = mod.loadModel(readFileSync(join(copy, 'cancer.json'), 'utf8'))
    const rows: number[][] = [Array(30).fill(10), Array(30).fill(0.1), loaded.model.features.map((_: unknown, j: number) => j * 3)]
    const expected = mod.predictLabels(loaded, rows)

    const served = await startServe(dir, ['model'])
    try {
      // named after the model_name label the trainer gave it
      const meta = (await (await fetch(`${served.url}/v2/models/cancer`)).json()) as any
      expect(meta.platform).to.equal('lode-ml')
      expect(meta.inputs[0].shape).to.deep.equal([-1, 30])
      const r = await infer(served.url, 'cancer', {inputs: [{name: 'input-0', shape: [3, 30], datatype: 'FP64', data: rows}], outputs: [{name: 'predict'}, {name: 'predict_proba'}]})
      expect(r.status, JSON.stringify(r.body)).to.equal(200)
      expect(r.body.outputs[0].data).to.deep.equal(expected.values)
      expect(r.body.outputs[1].data).to.deep.equal(expected.proba.flat())
      expect(r.body.outputs[1].shape).to.deep.equal([3, 2])
      const bad = await infer(served.url, 'cancer', {inputs: [{name: 'input-0', shape: [1, 2], datatype: 'FP64', data: [1, 2]}]})
      expect(bad.status).to.equal(400)
    } finally {
      process.kill(served.pid, 'SIGTERM')
      expect((await served.done).code).to.equal(0)
    }
  })

  it('refuses what is not a servable model before listening, with the exit code of the README table', () => {
    const dataset = lode(['serve', 'dataset', '--port', '0', '--json'], {cwd: dir})
    expect(dataset.code).to.equal(2)
    expect(json(dataset).error.message).to.match(/dataset is a dataset, not a model/)
    const missing = lode(['serve', 'nosuchmodel', '--port', '0'], {cwd: dir})
    expect(missing.code).to.equal(4)

    // a pickle of a class Python cannot import: a clear error naming the model, no stack trace
    writeFileSync(join(dir, 'lost.py'), `
import pickle, sys, types

class C:
    pass

def train(context):
    module = types.ModuleType('no_such_mod')
    C.__module__ = 'no_such_mod'
    module.C = C
    sys.modules['no_such_mod'] = module
    context.log_model('lost', body=pickle.dumps(C()), model_file='lost.pkl')
`)
    expect(lode(['run', 'lost.py', '-o', 'lost'], {cwd: dir, env: PY_ENV}).code).to.equal(0)
    const lost = lode(['serve', 'lost', '--port', '0', '--workers', '1'], {cwd: dir, env: PY_ENV})
    expect(lost.code, lost.stderr).to.equal(2)
    expect(lost.stderr).to.match(/could not be loaded by Python: ModuleNotFoundError: No module named 'no_such_mod'/)
    expect(lost.stderr).not.to.match(/Traceback/)
  })

  it('answers 500 when a pickled model predicts NaN, values JSON cannot hold, or too few rows, and keeps its worker', async () => {
    // the first feature of a row chooses how the model misbehaves
    writeFileSync(join(dir, 'odd_model.py'), `
class Odd:
    n_features_in_ = 2
    def predict(self, X):
        how = X[0][0]
        if how == 1:
            return [float('nan')] * len(X)
        if how == 2:
            return [object()] * len(X)
        if how == 3:
            return [0] * (len(X) - 1)
        return [7] * len(X)
`)
    writeFileSync(join(dir, 'odd_train.py'), `
import pickle
from odd_model import Odd
def train(context):
    context.log_model('odd', body=pickle.dumps(Odd()), model_file='odd.pkl')
`)
    expect(lode(['run', 'odd_train.py', '-o', 'odd'], {cwd: dir, env: PY_ENV}).code).to.equal(0)
    const served = await startServe(dir, ['odd', '--workers', '1'])
    const ask = async (how: number) => {
      // bounded, so that an answer that never comes fails the test instead of hanging it
      const res = await fetch(`${served.url}/v2/models/odd/infer`, {method: 'POST', signal: AbortSignal.timeout(60_000),
        body: JSON.stringify({inputs: [{name: 'x', shape: [2, 2], datatype: 'FP64', data: [how, 0, how, 0]}]})})
      return {status: res.status, body: (await res.json()) as any}
    }
    try {
      const nan = await ask(1)
      expect(nan.status).to.equal(500)
      expect(nan.body.error).to.match(/the model answered NaN or an infinity, which JSON cannot carry/)
      const object = await ask(2)
      expect(object.status).to.equal(500)
      expect(object.body.error).to.match(/not JSON serializable/)
      const short = await ask(3)
      expect(short.status).to.equal(500)
      expect(short.body.error).to.match(/the model answered 1 predictions for 2 rows/)
      const fine = await ask(0)
      expect(fine.status).to.equal(200)
      expect(fine.body.outputs[0].data).to.deep.equal([7, 7])
      expect(served.stderr()).not.to.match(/died/)
    } finally {
      process.kill(served.pid, 'SIGTERM')  // not SIGKILL: the server removes its copy of the model as it stops
      await served.done
    }
    // lode predict says the model failed (exit 6), not that lode has a bug
    writeFileSync(join(dir, 'nan.csv'), 'a,b\n1,0\n')
    const predicted = lode(['predict', 'odd', '-i', 'nan.csv', '-o', 'nan-out.csv'], {cwd: dir, env: PY_ENV})
    expect(predicted.code, predicted.stderr).to.equal(6)
    expect(predicted.stderr).to.match(/The model odd could not predict nan.csv: ValueError: the model answered NaN/)
  })

  it('refuses a model whose stored bytes no longer match their hash (exit 5)', () => {
    const meta = json(lode(['artifacts', 'get', 'model', '--meta', '--json'], {cwd: dir})).data.artifact
    const file = meta.meta.files.find((f: {path: string}) => f.path === 'cancer.json')
    const object = join(dir, '.lode', 'objects', 'sha256', file.sha256.slice(0, 2), file.sha256.slice(2))
    chmodSync(object, 0o644)
    writeFileSync(object, '{"format": "lode-ml", "tampered": true}')
    const r = lode(['serve', 'model', '--port', '0'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(5)
    expect(r.stderr).to.match(/corrupt/)
    expect(readdirSync(join(dir, '.lode', 'tmp')).filter((n) => n.startsWith('serve'))).to.deep.equal([])
  })
})

