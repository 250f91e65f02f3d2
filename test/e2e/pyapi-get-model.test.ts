// get_model (Python) and ctx.getModel (TypeScript) in a later handler: the model file, its spec and its extra data,
// from the handler's model input or from the store by address; and get_model in a plain script.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempDir} from '../helpers/project.ts'

const PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'

const TRAIN_PY = `
import pickle

def train(context):
    context.log_model('model', body=pickle.dumps({'weight': 3}), model_file='weights.pkl', framework='plain',
                      algorithm='times', metrics={'accuracy': 0.75}, parameters={'weight': 3},
                      extra_data={'classes.json': b'["no", "yes"]'})
    context.log_dataset('rows', df=[{'a': 1}])
`

const USE_PY = `
import json, os, pickle
from lode import DataItem, get_model

def use(context, model: DataItem, model_uri: str = '', x: int = 2):
    path, spec, extra = get_model(model)
    weights = pickle.load(open(path, 'rb'))
    context.log_result('file', os.path.basename(path))
    context.log_result('framework', spec.framework)
    context.log_result('accuracy', spec.metrics['accuracy'])
    context.log_result('same_spec', spec.spec is spec and spec.uri == model.meta['uri'])
    context.log_result('classes', json.loads(extra['classes.json'].get()))
    context.log_result('prediction', weights['weight'] * x)
    by_key, _, _ = get_model('model')
    context.log_result('by_key', by_key == path)
    if model_uri:
        fetched, fetched_spec, fetched_extra = get_model(model_uri)
        context.log_result('fetched_same', open(fetched, 'rb').read() == open(path, 'rb').read() and fetched != path)
        context.log_result('fetched_extra', sorted(fetched_extra))
        context.log_result('fetched_algorithm', fetched_spec.algorithm)
`

const USE_TS = `
import type {Context, DataItem} from 'lode'
import {readFileSync} from 'node:fs'
import {basename} from 'node:path'

export async function use(ctx: Context, {model, uri}: {model: DataItem; uri: string}) {
  const m = await ctx.getModel('model')
  ctx.logResult('file', basename(m.path))
  ctx.logResult('framework', m.spec.framework)
  ctx.logResult('accuracy', m.spec.metrics.accuracy ?? null)
  ctx.logResult('classes', JSON.parse(await m.extraData['classes.json']!.getText()))
  ctx.logResult('by_input', (await ctx.getModel(model.url)).path === m.path)
  const stored = await ctx.getModel(uri)
  ctx.logResult('fetched_same', readFileSync(stored.path).equals(readFileSync(m.path)) && stored.path !== m.path)
  ctx.logResult('fetched_key', stored.spec.key)
  try {
    await ctx.getModel('rows')
    ctx.logResult('dataset_refused', false)
  } catch (error) {
    ctx.logResult('dataset_refused', (error as Error).message)
  }
}
`

describe('pyapi: get_model and ctx.getModel in a later handler', function () {
  this.timeout(120_000)
  let dir: string
  let model: string
  before(() => {
    dir = tempDir('lode-pyapi-model-')
    writeFileSync(join(dir, 'lode.yaml'), 'name: m\n')
    writeFileSync(join(dir, 'train.py'), TRAIN_PY)
    writeFileSync(join(dir, 'use.py'), USE_PY)
    writeFileSync(join(dir, 'use.ts'), USE_TS)
    const r = lode(['run', 'train.py', '--python', PYTHON, '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    model = json(r).data.outputs.model
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('Python: get_model of the model input, by its key, and of a stored model by KEY:TAG (fetched)', () => {
    const r = lode(['run', 'use.py', '--python', PYTHON, '-i', `model=${model}`, '-p', 'model_uri=model:latest', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(json(r).data.results).to.deep.equal({
      file: 'weights.pkl', framework: 'plain', accuracy: 0.75, same_spec: true, classes: ['no', 'yes'], prediction: 6,
      by_key: true, fetched_same: true, fetched_extra: ['classes.json'], fetched_algorithm: 'times',
    })
  })

  it('Python: get_model in a plain script, of a run\'s outputs["model"]; a dataset is refused', () => {
    const path = lode(['python-path'], {cwd: dir}).stdout.trim()
    writeFileSync(join(dir, 'script.py'), `
import json, pickle, lode
lode.get_or_create_project('m', './')
run = lode.run_function('train.py')
path, spec, extra = lode.get_model(run.outputs['model'])
out = {'weight': pickle.load(open(path, 'rb'))['weight'], 'key': spec.key, 'extra': sorted(extra)}
try:
    lode.get_model(run.outputs['rows'])
except ValueError as err:
    out['refused'] = str(err)
print(json.dumps(out))
`)
    const r = spawnSync(PYTHON, ['script.py'], {cwd: dir, encoding: 'utf8', timeout: 100_000, env: {...process.env, PYTHONPATH: path, NODE_ENV: '', CI: '1'}})
    expect(r.status, r.stderr).to.equal(0)
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!)
    expect(out).to.deep.include({weight: 3, key: 'model', extra: ['classes.json']})
    expect(out.refused).to.contain('is a dataset, not a model')
  })

  it('TypeScript: ctx.getModel of the model input and of a stored model by KEY:TAG (fetched); a dataset is refused', () => {
    const rows = json(lode(['artifacts', 'get', 'rows', '--meta', '--json'], {cwd: dir})).data.artifact.uri
    const r = lode(['run', 'use.ts', '-i', `model=${model}`, '-i', `rows=${rows}`, '-p', 'uri=model:latest', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    const results = json(r).data.results
    expect(results).to.deep.include({file: 'weights.pkl', framework: 'plain', accuracy: 0.75, classes: ['no', 'yes'], by_input: true, fetched_same: true, fetched_key: 'model'})
    expect(results.dataset_refused).to.contain('is a dataset, not a model')
  })

  it('lode artifacts get -o --format writes a dataset converted (how a Python without pyarrow reads one); other kinds are refused', () => {
    const r = lode(['artifacts', 'get', 'rows', '-o', 'rows.csv', '--format', 'csv', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(readFileSync(join(dir, 'rows.csv'), 'utf8').trim().split('\n')).to.deep.equal(['a', '1'])
    const refused = lode(['artifacts', 'get', 'model', '-o', 'm.csv', '--format', 'csv'], {cwd: dir})
    expect(refused.code).to.equal(2)
    expect(refused.stderr).to.contain('--format converts datasets')
  })
})
