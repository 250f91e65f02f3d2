// runProcesses looks into a process's environment only when it can be the run's: started no earlier than the handler.
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {processStartTicks, runProcesses} from '../../../src/lib/runs/liveness.ts'
import {ENV} from '../../../src/lib/types.ts'

const uptimeTicks = () => Math.floor(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 100)

async function until(ok: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('liveness: which processes can be a run\'s', function () {
  this.timeout(30_000)
  const uid = `startup-liveness-${process.pid}-${Date.now()}`
  const children: ChildProcess[] = []
  // in their own session and group, so only the mark in their environment ties them to the run
  const marked = () => {
    const child = spawn('sleep', ['1000'], {detached: true, stdio: 'ignore', env: {...process.env, [ENV.runUid]: uid}})
    children.push(child)
    return child.pid!
  }
  after(() => {
    for (const c of children) c.kill('SIGKILL')
  })

  it('skips a marked process started before the handler, and finds one started after it', async () => {
    const before = marked()
    await until(() => processStartTicks(before) !== null && uptimeTicks() > processStartTicks(before)! + 1, 'the clock to move on')
    const handler = marked()
    await until(() => processStartTicks(handler) !== null, 'the handler to start')
    const since = processStartTicks(handler)!
    expect(since).to.be.greaterThan(processStartTicks(before)!)
    expect(runProcesses(uid, null).sort(), 'with no start given, both').to.include.members([before, handler])
    const found = runProcesses(uid, null, undefined, since)
    expect(found, 'started with or after the handler').to.include(handler)
    expect(found, 'started before the handler').not.to.include(before)
  })
})
