// lode's modules a run loads only when it first uses them (the artifact classes when it logs one) keep their compiled
// code in lode's cache too, as those the runner loads at its start do: lode starts Python with PYTHONDONTWRITEBYTECODE,
// so without it they would be compiled again at every such run (~10 ms). The handler's own modules stay out of it.
import {expect} from 'chai'
import {existsSync, mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pythonSdkDir} from '../../../../src/lib/runtimes/python.ts'
import {TEST_PYTHON, pythonRuns, runHandler, workspace} from './run-handler.ts'

function compiled(dir: string): string[] {
  if (!existsSync(dir)) return []
  return (readdirSync(dir, {recursive: true}) as string[]).filter((f) => f.endsWith('.pyc'))
}

/** The compiled files in `dir`, with their sizes and modification times ('' when there is no such folder). */
function pycacheState(dir: string): string {
  return compiled(dir).sort().map((f) => `${f} ${statSync(join(dir, f)).size} ${statSync(join(dir, f)).mtimeMs}`).join('\n')
}

describe('python: compiled code of the lode modules a run loads late', function () {
  this.timeout(60_000)
  let ws: Awaited<ReturnType<typeof workspace>>
  let saved: string | undefined
  let cacheDir: string
  before(async function () {
    if (!pythonRuns(TEST_PYTHON)) this.skip()
    ws = await workspace()
    saved = process.env.LODE_CACHE_DIR
    cacheDir = mkdtempSync(join(tmpdir(), 'lode-bytecode-late-'))
    process.env.LODE_CACHE_DIR = cacheDir
  })
  after(async () => {
    if (saved === undefined) delete process.env.LODE_CACHE_DIR
    else process.env.LODE_CACHE_DIR = saved
    rmSync(cacheDir, {recursive: true, force: true})
    await ws?.remove()
  })

  it("keeps the artifact classes' compiled code in lode's cache when a run logs an artifact, and reads it the next time", async () => {
    const source = 'import helper\n\ndef handler(context):\n    context.log_artifact("report", body=helper.TEXT)\n'
    const files = {'helper.py': 'TEXT = "hello"\n'}
    // what an earlier Python started by hand may have left beside lode's modules: the runs must add nothing to it
    const besideLode = join(pythonSdkDir(), 'lode', 'artifacts', '__pycache__')
    const before = pycacheState(besideLode)
    const first = await runHandler(ws.root, {source, files})
    expect(first.code, first.stderr).to.equal(0)
    expect(first.events.some((e) => e.t === 'artifact' && e.key === 'report')).to.equal(true)
    const mirror = join(cacheDir, 'python-bytecode', pythonSdkDir(), 'lode')
    const base = compiled(mirror).find((f) => /^artifacts\/base\.[\w-]+\.pyc$/.test(f))
    expect(base, `compiled files under ${mirror}: ${compiled(mirror).join(', ')}`).to.be.a('string')
    expect(pycacheState(besideLode), "compiled code written beside lode's modules").to.equal(before)
    expect(existsSync(join(first.dir, '__pycache__')), 'a __pycache__ beside the handler').to.equal(false)
    expect(compiled(join(cacheDir, 'python-bytecode')).filter((f) => f.includes('helper') || f.includes('handler.'))).to.deep.equal([])

    const mtime = statSync(join(mirror, base!)).mtimeMs
    const again = await runHandler(ws.root, {source, files})
    expect(again.code, again.stderr).to.equal(0)
    expect(statSync(join(mirror, base!)).mtimeMs).to.equal(mtime)
  })
})
