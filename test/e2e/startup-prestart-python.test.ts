// `lode run FILE.py` starts the Python runner while lode loads (spawn.ts, prestartRunner): the handler must not be
// able to tell (folder, environment, import path), and a runner that no run takes must not outlive lode.
import {expect} from 'chai'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../../src/lib/project/project.ts'
import {json, lode, processesMarked, tempDir, waitUntil} from '../helpers/project.ts'
import {TEST_PYTHON, pythonRuns} from '../lib/runtimes/python/run-handler.ts'

const HANDLER = `
import os, sys, time
import helper

def where(context):
    return {
        'cwd': os.getcwd(),
        'prestart': os.environ.get('LODE_RUNNER_PRESTART', 'unset'),
        'mark': os.environ.get('LODE_TEST_MARK', 'unset'),
        'sameUid': os.environ.get('LODE_RUN_UID') == context.uid,
        'helper': helper.N,
        'pathHasHandlerDir': sys.path.count(os.path.dirname(os.path.abspath(__file__))),
        'pathHasUserEntry': sys.path.count('/lode-test-user-entry'),
        'started': _started_ms(),
    }

def _started_ms():
    # when this process started (ms since the epoch), from its start in clock ticks since boot and the uptime
    with open('/proc/self/stat') as f:
        ticks = int(f.read().rsplit(')', 1)[1].split()[19])
    with open('/proc/uptime') as f:
        uptime = float(f.read().split()[0])
    return round(time.time() * 1000 - (uptime * 100 - ticks) * 10)
`
const HELPER = 'N = 7\n'

describe('e2e: the Python runner started ahead of its run', function () {
  this.timeout(120_000)
  let dir: string
  before(function () {
    if (!pythonRuns(TEST_PYTHON)) this.skip()
    dir = tempDir('lode-prestart-py-')
    expect(lode(['init', '--name', 'prepy'], {cwd: dir}).code).to.equal(0)
    writeFileSync(join(dir, 'where.py'), HANDLER)
    writeFileSync(join(dir, 'helper.py'), HELPER)
    mkdirSync(join(dir, 'sub'))
  })
  after(() => dir && rmSync(dir, {recursive: true, force: true}))

  it('gives the handler the same folder, environment and import path as a runner started for the run', async () => {
    const mark = `py-same-${process.pid}`
    const env = {LODE_TEST_MARK: mark, LODE_PYTHON: TEST_PYTHON, PYTHONPATH: '/lode-test-user-entry'}
    const cli = lode(['run', '../where.py', '--json'], {cwd: join(dir, 'sub'), env})
    expect(cli.code, cli.stderr).to.equal(0)
    const viaCli = json(cli).data

    const saved = {...process.env}
    Object.assign(process.env, env)
    const project = await Project.open(dir)
    try {
      const viaLibrary = await project.run(join(dir, 'where.py'), {})
      expect(viaLibrary.state).to.equal('completed')
      // a returned dict is one result named `return`, as MLRun logs it
      const {started: a, ...cliSeen} = viaCli.results.return
      const {started: b, ...librarySeen} = viaLibrary.results.return as Record<string, unknown>
      expect(cliSeen).to.deep.equal(librarySeen)
      expect(cliSeen).to.deep.include({cwd: dir, prestart: 'unset', mark, sameUid: true, helper: 7, pathHasHandlerDir: 1, pathHasUserEntry: 1})
      // the CLI's runner was started before its run was recorded; the library's after (clock ticks are 10 ms)
      expect(a, 'the CLI run used a runner started ahead').to.be.below(viaCli.created)
      expect(b).to.be.at.least(viaLibrary.created - 20)
    } finally {
      process.env = saved
      project.close()
    }
  })

  it('ends a runner that no run takes: bad input, a file run as another kind', async () => {
    const mark = `py-unused-${process.pid}`
    const env = {LODE_TEST_MARK: mark, LODE_PYTHON: TEST_PYTHON}
    expect(lode(['run', 'missing.py'], {cwd: dir, env}).code).to.equal(4)
    expect(lode(['run', 'where.py', '-p', 'broken'], {cwd: dir, env}).code).to.equal(2)
    await waitUntil(() => processesMarked(mark).length === 0, 15_000)
    expect(processesMarked(mark), 'no runner left behind').to.deep.equal([])
  })
})
