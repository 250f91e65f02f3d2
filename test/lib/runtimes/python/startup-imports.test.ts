// The runner imports only what every run needs: modules used for an error, a fallback or a value type the handler
// could only have made by importing them itself are imported where they are used.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {TEST_PYTHON, pythonRuns, runHandler, workspace} from './run-handler.ts'

// loaded by the interpreter itself before the runner (a site hook), they say nothing about the runner
const LAZY = ['traceback', 'uuid', 'tempfile', 'decimal', 'datetime']

describe('runtimes/python: what the runner imports', function () {
  this.timeout(60_000)
  let ws: Awaited<ReturnType<typeof workspace>>
  let bare: string[]
  before(async function () {
    if (!pythonRuns(TEST_PYTHON)) this.skip()
    ws = await workspace()
    const probe = `import sys; print(" ".join(m for m in ${JSON.stringify(LAZY)} if m in sys.modules))`
    bare = spawnSync(TEST_PYTHON, ['-c', probe], {encoding: 'utf8'}).stdout.trim().split(' ').filter(Boolean)
  })
  after(async () => ws?.remove())

  it('does not import traceback, uuid, tempfile, decimal or datetime for a handler that uses none of them', async () => {
    const r = await runHandler(ws.root, {
      source: `import sys\n\ndef handler(context):\n    context.log_result("loaded", " ".join(m for m in ${JSON.stringify(LAZY)} if m in sys.modules))\n`,
    })
    expect(r.code, r.stderr).to.equal(0)
    const result = r.events.find((e) => e.t === 'result' && e.key === 'loaded') as {value: string} | undefined
    const loaded = (result?.value ?? 'no result').split(' ').filter((m) => m && !bare.includes(m))
    expect(loaded).to.deep.equal([])
  })

  it('still records a Decimal, a datetime and a Path result, and a handler error with its traceback', async () => {
    const r = await runHandler(ws.root, {
      source: 'import datetime, decimal, pathlib\n\ndef handler(context):\n    context.log_result("d", decimal.Decimal("1.5"))\n' +
        '    context.log_result("t", datetime.date(2026, 1, 2))\n    context.log_result("p", pathlib.Path("a/b"))\n    raise ValueError("boom")\n',
    })
    expect(r.code).to.equal(1)
    const results = Object.fromEntries(r.events.filter((e) => e.t === 'result').map((e) => [(e as {key: string}).key, (e as {value: unknown}).value]))
    expect(results).to.deep.equal({d: 1.5, t: '2026-01-02', p: 'a/b'})
    expect(r.stderr).to.contain('Traceback').and.contain('ValueError: boom')
  })
})
