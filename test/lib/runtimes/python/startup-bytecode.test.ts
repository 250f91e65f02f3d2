// The runner keeps the compiled code of lode's own Python modules (compiling them took ~0.1 s of every run) and
// still writes nothing next to a handler or the modules it imports.
import {expect} from 'chai'
import {existsSync, readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {pythonSdkDir} from '../../../../src/lib/runtimes/python.ts'
import {TEST_PYTHON, pythonRuns, runHandler, workspace} from './run-handler.ts'

describe('runtimes/python: compiled code', function () {
  this.timeout(60_000)
  let ws: Awaited<ReturnType<typeof workspace>>
  before(async function () {
    if (!pythonRuns(TEST_PYTHON)) this.skip()
    ws = await workspace()
  })
  after(async () => ws?.remove())

  it("keeps lode's modules compiled, and writes no __pycache__ beside the handler", async () => {
    const cache = join(pythonSdkDir(), 'lode', '__pycache__')
    rmSync(cache, {recursive: true, force: true})
    const r = await runHandler(ws.root, {
      source: 'import helper\n\ndef handler(context):\n    context.log_result("n", helper.N)\n',
      files: {'helper.py': 'N = 3\n'},
    })
    expect(r.code, r.stderr).to.equal(0)
    expect(r.events.some((e) => e.t === 'result' && e.key === 'n' && e.value === 3)).to.equal(true)
    expect(readdirSync(cache).some((f) => f.startsWith('context.') && f.endsWith('.pyc'))).to.equal(true)
    expect(existsSync(join(r.dir, '__pycache__'))).to.equal(false)
  })
})
