// The probes a Python run may need before it is recorded (the interpreter's version, once per interpreter; the
// handler's signature, once per file content when params are given) start Python without loading execa, whose load
// cost ~80 ms of such a run. A probe that does not answer is still given up on, its processes ended (check-before-run).
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {ROOT, tempDir} from '../../helpers/project.ts'
import {TEST_PYTHON, pythonRuns} from './python/run-handler.ts'

const dist = (rel: string) => pathToFileURL(join(ROOT, 'dist', rel)).href

describe('runtimes/python (runners): probes before a run', function () {
  this.timeout(60_000)
  before(function () {
    if (!pythonRuns(TEST_PYTHON)) this.skip()
  })

  it("checks a new interpreter and reads a handler's signature without loading execa", () => {
    const dir = tempDir()
    const file = join(dir, 'h.py')
    writeFileSync(file, 'def handler(alpha=1):\n    return alpha\n')
    const script = `
      import module from 'node:module'
      const seen = []
      module.registerHooks({resolve(specifier, context, next) { seen.push(specifier); return next(specifier, context) }})
      const {checkPython} = await import(${JSON.stringify(dist('lib/runtimes/python.js'))})
      const {readPythonSignatures} = await import(${JSON.stringify(dist('lib/runtimes/python-signature.js'))})
      await checkPython(${JSON.stringify(TEST_PYTHON)})
      const signatures = await readPythonSignatures(${JSON.stringify(file)}, ${JSON.stringify(TEST_PYTHON)})
      console.log(JSON.stringify({params: signatures?.functions.handler?.params ?? null, execa: seen.filter((s) => s.includes('execa'))}))`
    // a cache of its own: both probes really run
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', env: {...process.env, LODE_CACHE_DIR: join(dir, 'cache')}})
    expect(JSON.parse(out)).to.deep.equal({params: ['alpha'], execa: []})
  })
})
