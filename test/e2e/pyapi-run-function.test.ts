// The Python API from a plain python3 script: get_or_create_project, run_function and project.run_function drive the
// real `lode run` (same executor, same store), return MLRun-like run objects, and raise with the run's error.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempDir} from '../helpers/project.ts'

const PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'

const STEPS_PY = `
def train(context, dataset, n: int = 3, label: str = 'x'):
    df = dataset.as_df()
    context.log_result('rows', len(df))
    context.log_result('n', n)
    context.log_result('label', label)
    context.log_result('label_type', type(label).__name__)
    context.log_dataset('clean', df=df[df['a'] > 1], format='csv')
    context.log_dataset('packed', df=df, format='parquet')


def boom(context):
    raise ValueError('the data is not what it should be')
`

/** Runs a Python script the way a user would after `export PYTHONPATH="$(lode python-path)"`. */
function python(script: string, cwd: string, env: Record<string, string> = {}) {
  const path = lode(['python-path'], {cwd}).stdout.trim()
  writeFileSync(join(cwd, 'script.py'), script)
  const r = spawnSync(PYTHON, ['script.py'], {cwd, encoding: 'utf8', timeout: 120_000, env: {...process.env, PYTHONPATH: path, NODE_ENV: '', CI: '1', ...env}})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

/** The last stdout line of a script, parsed. */
function lastJson(r: {stdout: string; stderr: string; code: number | null}): any {
  const line = r.stdout.trim().split('\n').pop() ?? ''
  try {
    return JSON.parse(line)
  } catch {
    throw new Error(`no JSON from the script (exit ${r.code}):\n${r.stdout}\n${r.stderr}`)
  }
}

describe('pyapi: run_function from a plain python3 script', function () {
  this.timeout(120_000)
  let dir: string
  beforeEach(() => {
    dir = tempDir('lode-pyapi-')
    writeFileSync(join(dir, 'steps.py'), STEPS_PY)
    writeFileSync(join(dir, 'data.csv'), 'a,b\n1,2\n3,4\n5,6\n')
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('lode python-path names the folder holding the lode package', () => {
    const r = lode(['python-path'], {cwd: dir})
    expect(r.code).to.equal(0)
    expect(existsSync(join(r.stdout.trim(), 'lode', '__init__.py'))).to.equal(true)
    expect(json(lode(['python-path', '--json'], {cwd: dir})).data.path).to.equal(r.stdout.trim())
  })

  it('creates the project, runs steps through lode, and chains one run\'s outputs into the next', () => {
    const r = python(`
import json, lode
project = lode.get_or_create_project('demo', context='./')
first = project.run_function('steps.py', handler='train', inputs={'dataset': 'data.csv'},
                             params={'n': 5, 'label': '3'}, outputs=['clean'], labels={'stage': 'one'})
second = lode.run_function('steps.py#train', inputs={'dataset': first.outputs['clean']}, name='again')
item = second.artifact('clean')
packed = first.artifact('packed')
print(json.dumps({
    'project': project.name, 'uid': first.uid, 'uid_call': first.uid(), 'state': first.state(), 'name': first.metadata.name,
    'results': first.status.results, 'clean': first.outputs['clean'], 'second': second.uid, 'second_name': second.metadata.name,
    'second_results': second.status.results, 'item_kind': item.kind, 'item_meta_kind': item.meta.kind, 'item_rows': len(item.as_df()),
    'item_exists': __import__('os').path.isfile(item.local()), 'labels': first.metadata.labels,
    'packed_format': packed.format, 'packed_rows': packed.as_df()['b'].tolist(),
}))
`, dir)
    expect(r.code, r.stderr).to.equal(0)
    const out = lastJson(r)
    expect(readFileSync(join(dir, 'lode.yaml'), 'utf8')).to.match(/^name: demo$/m)
    expect(out.project).to.equal('demo')
    expect(out.uid).to.match(/^[0-9a-f]{32}$/)
    expect(out.uid_call).to.equal(out.uid)
    expect(out.state).to.equal('completed')
    expect(out.name).to.equal('steps-train')
    // params crossed as JSON: an int stays an int, the string '3' stays a string
    expect(out.results).to.deep.equal({rows: 3, n: 5, label: '3', label_type: 'str'})
    expect(out.clean).to.equal(`store://datasets/demo/clean@${out.uid}`)
    expect(out.labels).to.include({stage: 'one'})
    expect(out.second_name).to.equal('again')
    expect(out.second_results).to.include({rows: 2, n: 3, label: 'x'})
    // as MLRun's DataItem: kind is the store's ('file'), meta the artifact object
    expect(out).to.include({item_kind: 'file', item_meta_kind: 'dataset', item_rows: 2, item_exists: true})
    // a parquet dataset reads into pandas with or without pyarrow (through a CSV copy lode writes)
    expect(out.packed_format).to.equal('parquet')
    expect(out.packed_rows).to.deep.equal([2, 4, 6])

    // the same records as the CLI's: the second run read the first one's artifact version
    const got = json(lode(['runs', 'get', out.second, '--json'], {cwd: dir})).data
    expect(got.inputs.dataset.url).to.equal(out.clean)
    expect(got.inputs.dataset.artifact.uri).to.equal(out.clean)
    expect(json(lode(['runs', 'get', out.uid, '--json'], {cwd: dir})).data.params).to.deep.equal({n: 5, label: '3'})
  })

  it('a failed run raises RunError carrying the run and its error; bad input raises LodeCommandError', () => {
    writeFileSync(join(dir, 'lode.yaml'), 'name: demo\n')
    const r = python(`
import json, lode
lode.get_or_create_project('demo', './')
out = {}
try:
    lode.run_function('steps.py', handler='boom')
except lode.RunError as err:
    out['error'] = str(err)
    out['state'] = err.run.state()
    out['run_error'] = err.run.error
    out['uid'] = err.run.uid
try:
    lode.run_function('missing.py')
except lode.LodeCommandError as err:
    out['missing'] = err.message
    out['missing_exit'] = err.exit_code
try:
    lode.run_function('steps.py', handler='train', params={'n': float('nan')})
except ValueError as err:
    out['nan'] = str(err)
print(json.dumps(out))
`, dir)
    expect(r.code, r.stderr).to.equal(0)
    const out = lastJson(r)
    expect(out.state).to.equal('error')
    expect(out.run_error).to.contain('ValueError: the data is not what it should be')
    expect(out.error).to.contain('the data is not what it should be').and.contain(out.uid.slice(0, 8))
    expect(out.missing).to.contain('missing.py')
    expect(out.missing_exit).to.equal(4)
    expect(out.nan).to.contain("param 'n'")
    const failed = json(lode(['runs', 'get', out.uid, '--json'], {cwd: dir})).data
    expect(failed.state).to.equal('error')
  })

  it('set_function names a function for later runs, and get_function returns it', () => {
    const r = python(`
import json, lode
project = lode.get_or_create_project('named', context='proj')
fn = project.set_function('../steps.py', name='trainer', handler='train')
run = project.run_function('trainer', inputs={'dataset': 'data.csv'}, params={'n': 2})
again = project.get_function('trainer').run(inputs={'dataset': run.outputs['clean']})
print(json.dumps({'fn': fn.name, 'results': run.status.results, 'again': again.status.results, 'uri': run.outputs['clean']}))
`, dir)
    expect(r.code, r.stderr).to.equal(0)
    const out = lastJson(r)
    expect(out.fn).to.equal('trainer')
    expect(out.results).to.include({n: 2, rows: 3})
    expect(out.again).to.include({rows: 2})
    // the project was created in the context folder, and its store holds the runs
    expect(out.uri).to.match(/^store:\/\/datasets\/named\/clean@/)
    expect(existsSync(join(dir, 'proj', 'lode.yaml'))).to.equal(true)
    expect(json(lode(['runs', 'ls', '--json'], {cwd: join(dir, 'proj')})).data).to.have.length(2)
  })

  it('hyperparams and hyper_param_options become lode run\'s hyperparameter flags', () => {
    const r = python(`
import json
from lode.run_api import _hyper_flags
print(json.dumps(_hyper_flags({'n': [1, 2], 'kind': ['a', 'b']},
                              {'strategy': 'list', 'max_errors': 2, 'parallel_runs': 1, 'stop_condition': 'n >= 2'},
                              'max.n')))
`, dir)
    expect(r.code, r.stderr).to.equal(0)
    expect(lastJson(r)).to.deep.equal([
      '--hyperparam', 'n=[1,2]', '--hyperparam', 'kind=["a","b"]',
      '--strategy', 'list', '--max-errors', '2', '--parallel', '1', '--stop-condition', 'n >= 2', '--selector', 'max.n',
    ])
  })

  it('a hyperparameter run selects the best iteration (when lode run has --hyperparam)', function () {
    if (!lode(['run', '--help'], {cwd: dir}).stdout.includes('--hyperparam')) this.skip()
    writeFileSync(join(dir, 'sq.py'), 'def sq(context, x: int = 0):\n    context.log_result("y", -(x - 2) ** 2)\n')
    const r = python(`
import json, lode
lode.get_or_create_project('demo', './')
run = lode.run_function('sq.py', handler='sq', hyperparams={'x': [1, 2, 3]}, selector='max.y')
print(json.dumps({'state': run.state(), 'results': run.status.results}))
`, dir)
    expect(r.code, r.stderr).to.equal(0)
    const out = lastJson(r)
    expect(out.state).to.equal('completed')
    expect(out.results.y).to.equal(0)
  })
})
