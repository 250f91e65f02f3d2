// A Python pipeline script run by lode (`lode run pipeline.py`): its main code runs as a script, and the runs its
// run_function calls start are recorded as children of the pipeline's run (LODE_PARENT_RUN, checked by lode run).
import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync, writeFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, lodeAsync, processesMarked, tempDir, waitUntil} from '../helpers/project.ts'

const PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'

const STEP_PY = `
import os

def step(context, x: int = 1):
    context.log_result('x', int(x))  # a param is passed as given (as MLRun): 'not a number' fails here
    # what the step's own processes inherit: not the pipeline's link
    context.log_result('parent_env', os.environ.get('LODE_PARENT_RUN', 'unset'))
`

// MLRun's way: main code at the top of the file, no handler
const PIPELINE_PY = `
import lode

project = lode.get_or_create_project('pipe', context='./')
first = project.run_function('step.py', handler='step', params={'x': 1})
second = lode.run_function('step.py', handler='step', params={'x': first.status.results['x'] + 1})
print('second', second.uid)
`

describe('pyapi: lode run pipeline.py records the pipeline as the parent of its steps', function () {
  this.timeout(120_000)
  let dir: string
  beforeEach(() => {
    dir = tempDir('lode-pyapi-pipe-')
    writeFileSync(join(dir, 'lode.yaml'), 'name: pipe\n')
    writeFileSync(join(dir, 'step.py'), STEP_PY)
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('runs the script as a script and records its run_function runs as its children', () => {
    writeFileSync(join(dir, 'pipeline.py'), PIPELINE_PY)
    const r = lode(['run', 'pipeline.py', '--python', PYTHON, '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    const pipeline = json(r).data
    expect(pipeline.state).to.equal('completed')
    expect(pipeline.parent).to.equal(null)
    const children = json(lode(['runs', 'ls', '--parent', pipeline.uid, '--json'], {cwd: dir})).data as Array<{uid: string; parent: string; results: Record<string, unknown>}>
    expect(children).to.have.length(2)
    expect(children.map((c) => c.parent)).to.deep.equal([pipeline.uid, pipeline.uid])
    expect(children.map((c) => c.results.x).sort()).to.deep.equal([1, 2])
    expect(children.map((c) => c.results.parent_env)).to.deep.equal(['unset', 'unset'])
    // the runs are all in the one store: three in all
    expect(json(lode(['runs', 'ls', '--json'], {cwd: dir})).data).to.have.length(3)
  })

  it('a script guarded by if __name__ == "__main__" runs too; a run failing inside it fails the pipeline with its error', () => {
    writeFileSync(join(dir, 'pipeline.py'), `
import lode

def helper_one():
    return 1

def helper_two():
    return 2

if __name__ == '__main__':
    lode.run_function('step.py', handler='step', params={'x': 'not a number'})
`)
    const r = lode(['run', 'pipeline.py', '--python', PYTHON, '--json'], {cwd: dir})
    expect(r.code).to.equal(1)
    const pipeline = json(r).error.details.run
    expect(pipeline.state).to.equal('error')
    expect(pipeline.error.message).to.contain('RunError')
    const children = json(lode(['runs', 'ls', '--parent', pipeline.uid, '--json'], {cwd: dir})).data as Array<{state: string}>
    expect(children.map((c) => c.state)).to.deep.equal(['error'])
  })

  it('runs a script with one helper function its own code calls as a script, not the helper as its handler', () => {
    writeFileSync(join(dir, 'pipeline.py'), `
import lode
from concurrent.futures import ThreadPoolExecutor

def go(x):
    return lode.run_function('step.py', handler='step', params={'x': x})

with ThreadPoolExecutor(2) as pool:
    runs = list(pool.map(go, [1, 2]))
`)
    const r = lode(['run', 'pipeline.py', '--python', PYTHON, '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    const pipeline = json(r).data
    expect(pipeline.handler ?? null).to.equal(null)
    const children = json(lode(['runs', 'ls', '--parent', pipeline.uid, '--json'], {cwd: dir})).data as Array<{results: Record<string, unknown>}>
    expect(children.map((c) => c.results.x).sort()).to.deep.equal([1, 2])

    // a param is the script's to read (get_or_create_ctx), not one its helper's signature would refuse
    writeFileSync(join(dir, 'mapped.py'), `
import lode

def go(x):
    return lode.run_function('step.py', handler='step', params={'x': x})

print([r.status.results['x'] for r in map(go, [3])], lode.get_or_create_ctx('mapped').get_param('label'))
`)
    const mapped = lode(['run', 'mapped.py', '--python', PYTHON, '-p', 'label=a'], {cwd: dir})
    expect(mapped.code, mapped.stderr).to.equal(0)
    expect(mapped.stderr).to.include("[3] a")

    // a handler file trying its one function out under if __name__ == '__main__' stays a handler file
    writeFileSync(join(dir, 'one.py'), `
print('loading')

def train(context, n: int = 1):
    context.log_result('n', n)

if __name__ == '__main__':
    train(None)
`)
    const one = lode(['run', 'one.py', '--python', PYTHON, '-p', 'n=3', '--json'], {cwd: dir})
    expect(one.code, one.stderr).to.equal(0)
    expect(json(one).data.results).to.deep.equal({n: 3})
  })

  it('refuses a LODE_PARENT_RUN that is not a running run of this store (exit 2), recording nothing', () => {
    const bad = lode(['run', 'step.py', '--python', PYTHON], {cwd: dir, env: {LODE_PARENT_RUN: 'f'.repeat(32)}})
    expect(bad.code, bad.stderr).to.equal(2)
    expect(bad.stderr).to.contain('LODE_PARENT_RUN').and.contain('is not a run of the project')
    const done = json(lode(['run', 'step.py', '--python', PYTHON, '--json'], {cwd: dir})).data
    const finished = lode(['run', 'step.py', '--python', PYTHON], {cwd: dir, env: {LODE_PARENT_RUN: done.uid}})
    expect(finished.code).to.equal(2)
    expect(finished.stderr).to.contain('is completed, not running')
    expect(json(lode(['runs', 'ls', '--json'], {cwd: dir})).data).to.have.length(1)
  })

  it('passes a secret of the pipeline on to a step that names it, masked there, and to no other step', () => {
    writeFileSync(join(dir, 'peek.py'), `
def peek(context):
    value = context.get_secret('token')
    print('the token is', value)
    context.log_result('has_token', value == 'hunter2-secret')
`)
    writeFileSync(join(dir, 'pipeline.py'), `
import lode
lode.run_function('peek.py', handler='peek', secrets=['token'], name='given')
lode.run_function('peek.py', handler='peek', name='not-given')
`)
    const r = lode(['run', 'pipeline.py', '--python', PYTHON, '--secret', 'token=MY_TOKEN', '--json'], {cwd: dir, env: {MY_TOKEN: 'hunter2-secret'}})
    expect(r.code, r.stderr).to.equal(0)
    const runs = json(lode(['runs', 'ls', '--parent', json(r).data.uid, '--json'], {cwd: dir})).data as Array<{uid: string; name: string; results: Record<string, unknown>; secrets: string[]}>
    const given = runs.find((x) => x.name === 'given')!
    expect(given.results.has_token).to.equal(true)
    expect(runs.find((x) => x.name === 'not-given')!.results.has_token).to.equal(false)
    const log = lode(['runs', 'logs', given.uid], {cwd: dir}).stdout
    expect(log).to.contain('the token is ***').and.not.contain('hunter2')
  })

  describe('Ctrl-C', () => {
    const SLOW_PY = `
import time

def slow(context):
    context.log_result('started', 1)
    open('started', 'w').close()
    time.sleep(120)
`
    const PIPE_PY = `
import lode
lode.get_or_create_project('pipe', './')
lode.run_function('slow.py', handler='slow')
`
    beforeEach(() => {
      writeFileSync(join(dir, 'slow.py'), SLOW_PY)
      writeFileSync(join(dir, 'pipe.py'), PIPE_PY)
    })

    function states(): Record<string, string> {
      const runs = json(lode(['runs', 'ls', '--json'], {cwd: dir})).data as Array<{name: string; state: string}>
      return Object.fromEntries(runs.map((r) => [r.name, r.state]))
    }

    it('on lode run pipeline.py: the pipeline and its running step are aborted, no process left', async () => {
      const mark = `pyapi-${process.pid}-${Date.now()}`
      const p = lodeAsync(['run', 'pipe.py', '--python', PYTHON], {cwd: dir, env: {LODE_TEST_MARK: mark}})
      expect(await waitUntil(() => existsSync(join(dir, 'started')), 60_000)).to.equal(true)
      p.child.kill('SIGINT')
      const r = await p
      expect(r.code, r.stderr).to.equal(130)
      expect(await waitUntil(() => processesMarked(mark).length === 0, 10_000)).to.equal(true)
      expect(states()).to.deep.equal({pipe: 'aborted', slow: 'aborted'})
    })

    it('on a plain python3 pipeline.py (the terminal signals its process group): the step is aborted, no process left', async () => {
      const mark = `pyapi-${process.pid}-${Date.now()}`
      const path = lode(['python-path'], {cwd: dir}).stdout.trim()
      const child = spawn(PYTHON, ['pipe.py'], {cwd: dir, detached: true, stdio: 'ignore', env: {...process.env, PYTHONPATH: path, NODE_ENV: '', CI: '1', LODE_TEST_MARK: mark}})
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
      expect(await waitUntil(() => existsSync(join(dir, 'started')), 60_000)).to.equal(true)
      process.kill(-child.pid!, 'SIGINT')
      expect(await exited).to.not.equal(0)
      expect(await waitUntil(() => processesMarked(mark).length === 0, 10_000)).to.equal(true)
      expect(states()).to.deep.equal({slow: 'aborted'})
    })
  })
})
