import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {chmod, writeFile} from 'node:fs/promises'
import {delimiter, join} from 'node:path'
import {checkPython, planPython, pythonSdkDir} from '../../../../src/lib/runtimes/python.ts'
import {UserError} from '../../../../src/lib/errors.ts'
import type {HandlerSpec} from '../../../../src/lib/types.ts'
import {defaultCacheDir} from '../../../../src/lib/util/cache-dir.ts'
import {TEST_PYTHON, workspace} from './run-handler.ts'

const spec: HandlerSpec = {
  uid: 'abc123', name: 'train', project: 'p', kind: 'python', file: '/proj/fns/train.py', handler: 'train',
  params: {}, inputs: {}, stagingDir: '/proj/.lode/runs/abc123/staging', projectDir: '/proj',
}

describe('runtimes/python: the launch plan', () => {
  const saved = {PYTHONPATH: process.env.PYTHONPATH, LODE_PYTHON: process.env.LODE_PYTHON}
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })

  it('finds the SDK folder holding the runner and the lode package', () => {
    const dir = pythonSdkDir()
    expect(existsSync(join(dir, 'lode_runner.py'))).to.equal(true)
    expect(existsSync(join(dir, 'lode', '__init__.py'))).to.equal(true)
  })

  it('runs the runner unbuffered, with the SDK, then the handler folder, then PYTHONPATH on the path', () => {
    process.env.PYTHONPATH = '/site/extra'
    delete process.env.LODE_PYTHON
    const plan = planPython(spec, '/proj/.lode/runs/abc123/spec.json', {})
    expect(plan.command).to.equal('python3')
    expect(plan.args).to.deep.equal(['-u', join(pythonSdkDir(), 'lode_runner.py'), '--bytecode-cache', join(defaultCacheDir(), 'python-bytecode')])
    expect(plan.env).to.deep.equal({
      LODE_RUN_SPEC: '/proj/.lode/runs/abc123/spec.json',
      LODE_EVENT_FD: '3',
      LODE_RUN_UID: 'abc123',
      LODE_OUTPUT_DIR: '/proj/.lode/runs/abc123/staging',
      PYTHONPATH: [pythonSdkDir(), '/proj/fns', '/site/extra'].join(delimiter),
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
    })
  })

  it('takes the interpreter from the option, else LODE_PYTHON', () => {
    delete process.env.PYTHONPATH
    process.env.LODE_PYTHON = '/opt/py/bin/python3'
    expect(planPython(spec, 's.json').command).to.equal('/opt/py/bin/python3')
    expect(planPython(spec, 's.json', {python: '/usr/bin/python3'}).command).to.equal('/usr/bin/python3')
    expect(planPython(spec, 's.json').env.PYTHONPATH).to.equal([pythonSdkDir(), '/proj/fns'].join(delimiter))
  })

  it('refuses a spec without a file', () => {
    expect(() => planPython({...spec, file: null}, 's.json')).to.throw(UserError, 'needs a .py file')
  })
})

describe('runtimes/python: checkPython', () => {
  let ws: Awaited<ReturnType<typeof workspace>>
  before(async () => {
    ws = await workspace()
  })
  after(async () => {
    await ws.remove()
  })

  it('fails with a UserError saying how to choose another interpreter when it cannot start', async () => {
    const err = await checkPython('/nonexistent/python3').then(() => null, (e: unknown) => e)
    expect(err).to.be.instanceOf(UserError)
    expect((err as UserError).message).to.equal('Cannot start the Python interpreter "/nonexistent/python3": not found')
    expect((err as UserError).hint).to.include('--python').and.include('LODE_PYTHON')
  })

  it('fails for a program that is not a Python interpreter', async () => {
    const fake = join(ws.root, 'fake-python')
    await writeFile(fake, '#!/bin/sh\necho "hello"\n')
    await chmod(fake, 0o755)
    const err = await checkPython(fake).then(() => null, (e: unknown) => e)
    expect(err).to.be.instanceOf(UserError)
    expect((err as UserError).message).to.include('did not answer like a Python interpreter')
  })

  it('accepts a working interpreter', async () => {
    await checkPython(existsSync(TEST_PYTHON) ? TEST_PYTHON : 'python3')
  })
})
