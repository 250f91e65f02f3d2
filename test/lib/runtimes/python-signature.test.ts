// Unknown params for Python handlers, refused before the run is recorded, from the file's syntax tree (never imported).
import {expect} from 'chai'
import {existsSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {UserError} from '../../../src/lib/errors.ts'
import {defaultCacheDir} from '../../../src/lib/util/cache-dir.ts'
import {json, lode, tempProject} from '../../helpers/project.ts'
import {TEST_PYTHON} from './python/run-handler.ts'

const SIGNATURE_CACHE = join(defaultCacheDir(), 'python-signatures')

async function refusal(p: Promise<unknown>): Promise<UserError> {
  try {
    await p
  } catch (error) {
    expect(error).to.be.instanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected the run to be refused')
}

describe('runtimes: python handler signatures', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('sig')
  })
  afterEach(() => t.cleanup())

  it('refuses a param the handler cannot read, naming its parameters and the nearest one, and records nothing', async () => {
    t.write('train.py', `
import sys
sys.exit('the module must not be imported to read its signature')
def train(learning_rate: float = 0.1, epochs: int = 1, *args):
    pass
def other(context):
    pass
`)
    const err = await refusal(t.project.run('train.py', {handler: 'train', python: TEST_PYTHON, params: {epoch: 3, learning_rate: 0.2, zzz: 1}}))
    expect(err.message).to.equal('train.py#train takes no parameters epoch, zzz (its parameters: learning_rate, epochs). Did you mean: epoch -> epochs?')
    expect(err.exitCode).to.equal(2)
    expect(err.hint).to.contain('**kwargs')
    expect(t.project.store.runs.list({})).to.have.length(0)
    expect(readdirSync(join(t.dir, '.lode', 'runs'))).to.deep.equal([])
  })

  it('exits 2 through the CLI with the did-you-mean', () => {
    t.write('job.py', 'def main(rows: int = 10):\n    return {"rows": rows}\n')
    const r = lode(['run', 'job.py', '--python', TEST_PYTHON, '-p', 'row=5', '--json'], {cwd: t.dir})
    expect(r.code, r.stderr).to.equal(2)
    const out = json(r)
    expect(out.error.message).to.equal('job.py#main takes no parameter row (its parameters: rows). Did you mean: row -> rows?')
    expect(json(lode(['runs', 'ls', '--json'], {cwd: t.dir})).data).to.deep.equal([])
  })

  it('refuses an input the handler cannot take when no params are given, before the run (exit 2 through the CLI)', async () => {
    t.write('t2.py', 'def train(n_estimators=10):\n    return {"n": n_estimators}\n')
    const data = t.write('a1.txt', 'data\n')
    const err = await refusal(t.project.run('t2.py#train', {python: TEST_PYTHON, inputs: {dataset: data}}))
    expect(err.message).to.equal('t2.py#train takes no parameter dataset (its parameters: n_estimators).')
    expect(err.exitCode).to.equal(2)
    const r = lode(['run', 't2.py#train', '--python', TEST_PYTHON, '-i', 'dataset=a1.txt', '--json'], {cwd: t.dir})
    expect(r.code, r.stderr).to.equal(2)
    expect(json(r).error.message).to.contain('takes no parameter dataset')
    expect(t.project.store.runs.list({})).to.have.length(0)
  })

  it('lets through what the handler can read: a context, an annotated context, **kwargs, inputs it names', async () => {
    t.write('ok.py', `
from lode import MLClientCtx
def with_context(context, a=1):
    return {'b': context.get_param('b')}
def annotated(c: 'mlrun.MLClientCtx'):
    return {'b': c.get_param('b')}
def with_kwargs(a=1, **rest):
    return {'b': rest['b']}
def with_input(data, a=1):
    return {'a': a}
`)
    for (const handler of ['with_context', 'annotated', 'with_kwargs']) {
      const run = await t.project.run('ok.py', {handler, python: TEST_PYTHON, params: {b: 2}})
      expect(run.state, `${handler}: ${JSON.stringify(run.error)}`).to.equal('completed')
      expect(run.results).to.deep.equal({return: {b: 2}})
    }
    t.write('d.txt', 'x')
    const run = await t.project.run('ok.py', {handler: 'with_input', python: TEST_PYTHON, params: {a: 5}, inputs: {data: join(t.dir, 'd.txt')}})
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
  })

  it('leaves a handler whose signature the file does not settle to the runner (a decorated one)', async () => {
    t.write('deco.py', `
import functools
def logged(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    return wrapper
@logged
def handler(a=1):
    return {'a': a}
`)
    const run = await t.project.run('deco.py', {python: TEST_PYTHON, params: {b: 1}})
    // recorded: the runner, which sees the real signature, refuses it
    expect(run.state).to.equal('error')
    expect(run.error?.message).to.contain("takes no parameter 'b'")
  })

  it('caches the answer by the file\'s sha256: a second check needs no probe; a changed file is read again', async () => {
    const source = `def handler(alpha=1):\n    return {'alpha': alpha}\n# ${Date.now()}-${process.pid}\n`
    t.write('cached.py', source)
    const before = existsSync(SIGNATURE_CACHE) ? readdirSync(SIGNATURE_CACHE).length : 0
    await refusal(t.project.run('cached.py', {python: TEST_PYTHON, params: {alpah: 2}}))
    expect(readdirSync(SIGNATURE_CACHE)).to.have.length(before + 1)
    // an interpreter that answers lode's start-up check (python -c) but runs no script: only the cached answer can refuse it
    const noProbe = join(t.dir, 'no-probe-python')
    writeFileSync(noProbe, `#!/bin/sh\nif [ "$1" = "-c" ]; then exec ${TEST_PYTHON} "$@"; fi\nexit 99\n`, {mode: 0o755})
    const err = await refusal(t.project.run('cached.py', {python: noProbe, params: {alpah: 2}}))
    expect(err.message).to.contain('Did you mean: alpah -> alpha?')
    t.write('cached.py', source.replace('alpha=1', 'alpha=1, alpah=0'))
    const run = await t.project.run('cached.py', {python: TEST_PYTHON, params: {alpah: 2}})
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
  })

  it('does not probe when no params are given', async () => {
    const source = `def handler():\n    return {'x': 1}\n# none-${Date.now()}-${process.pid}\n`
    t.write('noparams.py', source)
    const before = existsSync(SIGNATURE_CACHE) ? readdirSync(SIGNATURE_CACHE).length : 0
    const run = await t.project.run('noparams.py', {python: TEST_PYTHON})
    expect(run.state).to.equal('completed')
    expect(existsSync(SIGNATURE_CACHE) ? readdirSync(SIGNATURE_CACHE).length : 0).to.equal(before)
  })
})
