// The runner keeps the compiled code of lode's own Python modules in lode's user cache, so that a lode installed where
// the user cannot write (npm -g as root) does not compile them again on every run (~30 ms), and it still writes
// nothing next to a handler or the modules it imports, nor beside lode's own modules. The modules a run loads only when
// it first uses them (the artifact classes when it logs one) are kept there too: lode starts Python with
// PYTHONDONTWRITEBYTECODE, so without that they would be compiled again at every such run (~10 ms).
import {expect} from 'chai'
import {existsSync, mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pythonSdkDir} from '../../../../src/lib/runtimes/python.ts'
import {TEST_PYTHON, pythonRuns, runHandler, workspace} from './run-handler.ts'

/** Compiled files under `dir`, by path relative to it. */
function compiled(dir: string): string[] {
  if (!existsSync(dir)) return []
  return (readdirSync(dir, {recursive: true}) as string[]).filter((f) => f.endsWith('.pyc'))
}

/** The compiled files in `dir`, with their sizes and modification times ('' when there is no such folder). */
function pycacheState(dir: string): string {
  return compiled(dir).sort().map((f) => `${f} ${statSync(join(dir, f)).size} ${statSync(join(dir, f)).mtimeMs}`).join('\n')
}

describe('runtimes/python (runners): compiled code of lode\'s modules', function () {
  this.timeout(60_000)
  let ws: Awaited<ReturnType<typeof workspace>>
  let saved: string | undefined
  let cacheDir: string
  before(async function () {
    if (!pythonRuns(TEST_PYTHON)) this.skip()
    ws = await workspace()
    saved = process.env.LODE_CACHE_DIR
    cacheDir = mkdtempSync(join(tmpdir(), 'lode-bytecode-'))
    process.env.LODE_CACHE_DIR = cacheDir
  })
  after(async () => {
    if (saved === undefined) delete process.env.LODE_CACHE_DIR
    else process.env.LODE_CACHE_DIR = saved
    rmSync(cacheDir, {recursive: true, force: true})
    await ws?.remove()
  })

  it("compiles lode's modules once into lode's cache, and writes no __pycache__ beside the handler or lode's modules", async () => {
    const beside = join(pythonSdkDir(), 'lode', '__pycache__')
    rmSync(beside, {recursive: true, force: true})
    const source = 'import helper\n\ndef handler(context):\n    context.log_result("n", helper.N)\n'
    const r = await runHandler(ws.root, {source, files: {'helper.py': 'N = 3\n'}})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.events.some((e) => e.t === 'result' && e.key === 'n' && e.value === 3)).to.equal(true)
    const mirror = join(cacheDir, 'python-bytecode', pythonSdkDir(), 'lode')
    const context = compiled(mirror).find((f) => /^context\.[\w-]+\.pyc$/.test(f))
    expect(context, `compiled files under ${mirror}: ${compiled(mirror).join(', ')}`).to.be.a('string')
    expect(existsSync(beside), 'a __pycache__ beside lode\'s modules').to.equal(false)
    expect(existsSync(join(r.dir, '__pycache__')), 'a __pycache__ beside the handler').to.equal(false)
    // the handler's own modules are not lode's: nothing of them goes into lode's cache
    expect(compiled(join(cacheDir, 'python-bytecode')).filter((f) => f.includes('helper') || f.includes('handler.'))).to.deep.equal([])

    // a second run reads them, it does not write them again
    const mtime = statSync(join(mirror, context!)).mtimeMs
    const again = await runHandler(ws.root, {source, files: {'helper.py': 'N = 3\n'}})
    expect(again.code, again.stderr).to.equal(0)
    expect(statSync(join(mirror, context!)).mtimeMs).to.equal(mtime)
  })

  it("leaves the handler's imports as the user set them up: a PYTHONPYCACHEPREFIX of the user's still holds for them", async () => {
    const prefix = join(cacheDir, 'users-own-prefix')
    const saved = process.env.PYTHONPYCACHEPREFIX
    process.env.PYTHONPYCACHEPREFIX = prefix
    try {
      const r = await runHandler(ws.root, {source: 'import sys\n\ndef handler(context):\n    context.log_result("prefix", sys.pycache_prefix)\n'})
      expect(r.code, r.stderr).to.equal(0)
      expect(r.events.find((e) => e.t === 'result' && e.key === 'prefix')).to.include({value: prefix})
    } finally {
      if (saved === undefined) delete process.env.PYTHONPYCACHEPREFIX
      else process.env.PYTHONPYCACHEPREFIX = saved
    }
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
