import {expect} from 'chai'
import {chmodSync, readFileSync, utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {tempDir, tempProject} from '../../../helpers/project.ts'

const {UserError} = await import('../../../../src/lib/errors.ts')
const {checkPython} = await import('../../../../src/lib/runtimes/python.ts')
const {readPythonSignatures} = await import('../../../../src/lib/runtimes/python-signature.ts')

/** An "interpreter" that never answers: a shell script whose child (the sleep) holds its output open. */
function silentInterpreter(dir: string): {path: string; sleeperPid: () => number} {
  const path = join(dir, 'x')
  writeFileSync(path, `#!/bin/sh\nsleep 100 &\necho $! > ${join(dir, 'sleep.pid')}\nwait\n`)
  chmodSync(path, 0o755)
  return {path, sleeperPid: () => Number(readFileSync(join(dir, 'sleep.pid'), 'utf8'))}
}

async function gone(pid: number): Promise<boolean> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0)
    } catch {
      return true
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return false
}

describe('runtimes/python: the interpreter is checked before a run is recorded, once per interpreter', function () {
  this.timeout(60_000)
  const saved = process.env.LODE_CACHE_DIR
  let cache: string
  beforeEach(() => {
    cache = tempDir('lode-pycache-')
    process.env.LODE_CACHE_DIR = cache
  })
  afterEach(() => {
    if (saved === undefined) delete process.env.LODE_CACHE_DIR
    else process.env.LODE_CACHE_DIR = saved
  })

  // a probe's limit is 10 s; these two tests shorten it (LODE_PROBE_TIMEOUT_MS) to stay quick
  const shortProbes = () => {
    process.env.LODE_PROBE_TIMEOUT_MS = '2000'
  }
  afterEach(() => {
    delete process.env.LODE_PROBE_TIMEOUT_MS
  })

  it('an interpreter that does not answer is given up on (exit 2), its processes ended', async () => {
    shortProbes()
    const dir = tempDir()
    const x = silentInterpreter(dir)
    let error: unknown
    try {
      await checkPython(x.path)
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(UserError)
    expect((error as InstanceType<typeof UserError>).exitCode).to.equal(2)
    expect((error as Error).message).to.match(/did not answer within \d+ s/).and.contain(x.path)
    expect(await gone(x.sleeperPid()), 'the interpreter\'s child was ended').to.equal(true)
  })

  it('a signature probe that does not answer leaves the params to the runner (no signatures)', async () => {
    shortProbes()
    const dir = tempDir()
    const x = silentInterpreter(dir)
    writeFileSync(join(dir, 'h.py'), 'def handler(context, a):\n    pass\n')
    expect(await readPythonSignatures(join(dir, 'h.py'), x.path)).to.equal(null)
    expect(await gone(x.sleeperPid())).to.equal(true)
  })

  it('--python /nonexistent is refused with exit 2 and a hint, and no run is recorded', async () => {
    const t = await tempProject('py')
    try {
      t.write('h.py', 'def handler(context):\n    pass\n')
      let error: unknown
      try {
        await t.project.run('h.py', {python: '/nonexistent/python3'})
      } catch (e) {
        error = e
      }
      expect(error).to.be.instanceOf(UserError)
      expect((error as InstanceType<typeof UserError>).exitCode).to.equal(2)
      expect((error as Error).message).to.contain('/nonexistent/python3')
      expect((error as InstanceType<typeof UserError>).hint).to.contain('--python')
      expect(t.project.store.runs.list({}).length).to.equal(0)
    } finally {
      t.cleanup()
    }
  })

  it('an interpreter that answers is asked once, again only after it changed', async () => {
    const dir = tempDir()
    const counter = join(dir, 'count')
    const fake = join(dir, 'python3')
    writeFileSync(counter, '')
    writeFileSync(fake, `#!/bin/sh\necho x >> ${counter}\necho 3.11\n`)
    chmodSync(fake, 0o755)
    await checkPython(fake)
    await checkPython(fake)
    expect(readFileSync(counter, 'utf8').split('\n').filter(Boolean).length).to.equal(1)
    const later = new Date(Date.now() + 5000)
    utimesSync(fake, later, later)
    await checkPython(fake)
    expect(readFileSync(counter, 'utf8').split('\n').filter(Boolean).length).to.equal(2)
  })
})
