// lode's watchdog: told of each run before its handler starts, so kill -9 of lode at any moment of a run (the moment
// after the handler started, or while a quick handler's child has its grace) still ends the run's processes.
import {expect} from 'chai'
import {existsSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {isGone, lode, lodeAsync, tempDir, waitUntil} from '../helpers/project.ts'

/** Whether process `parent` has a child running lode's watchdog (`sh -c ... lode-watchdog`). */
function hasWatchdog(parent: number): boolean {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parent) continue
      if (readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').includes('lode-watchdog')) return true
    } catch {
      /* gone meanwhile */
    }
  }
  return false
}

describe('e2e: the watchdog ends a run\'s processes when lode is killed', function () {
  this.timeout(60_000)
  let dir: string
  before(() => {
    dir = tempDir('lode-watchdog-')
    expect(lode(['init', '--name', 'wd'], {cwd: dir}).code).to.equal(0)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('kill -9 of lode while it gives a quick handler\'s child its grace: the child still ends', async () => {
    const p = lodeAsync(['run', '--kind', 'exec', '--', 'sh', '-c', 'setsid sleep 1000 & echo $! > child.pid'], {cwd: dir})
    const pidFile = join(dir, 'child.pid')
    expect(await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n')), 'the child started').to.equal(true)
    // its lode gives the child a grace of 1.5 s before ending it itself: a watchdog must be there by then
    expect(await waitUntil(() => hasWatchdog(p.child.pid!), 5000, 5), 'lode started a watchdog').to.equal(true)
    p.child.kill('SIGKILL')
    await p
    const child = Number(readFileSync(pidFile, 'utf8'))
    expect(await isGone(child, 10_000), 'the setsid child ends after its lode is killed').to.equal(true)
  })

  it('kill -9 of lode the moment its handler starts: the handler still ends', async () => {
    // the handler kills its lode first thing, before lode has done anything after starting it
    const p = lodeAsync(['run', '--kind', 'exec', '--', 'sh', '-c', 'echo $$ > first.pid; kill -9 $PPID; exec sleep 1000'], {cwd: dir})
    await p
    expect(p.child.signalCode).to.equal('SIGKILL')
    const pidFile = join(dir, 'first.pid')
    expect(await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n')), 'the handler started').to.equal(true)
    expect(await isGone(Number(readFileSync(pidFile, 'utf8')), 10_000), 'the handler ends after its lode is killed').to.equal(true)
  })

  it('a handler that leaves nothing completes as before', () => {
    const r = lode(['run', '--kind', 'exec', '--', 'true'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
  })
})
