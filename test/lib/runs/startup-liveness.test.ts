// runProcesses reads only processes that can be the run's: given a pid since the handler's (pids wrapping), started no
// earlier than the handler.
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {forkCount, handlerOrigin, inPidRange, processStartTicks, runProcesses} from '../../../src/lib/runs/liveness.ts'
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
    const found = runProcesses(uid, null, undefined, {pid: handler, ticks: since, forks: null})
    expect(found, 'started with or after the handler').to.include(handler)
    expect(found, 'started before the handler').not.to.include(before)
  })

  it('reads only pids given out since the handler\'s, wrapping past pid_max, unless the counter may have gone round', async () => {
    const forks = forkCount()!
    const older = marked()
    await until(() => processStartTicks(older) !== null, 'the process to start')
    const handler = marked()
    await until(() => processStartTicks(handler) !== null, 'the handler to start')
    const ticks = processStartTicks(older)! // as if the handler had started with it: only pids tell them apart
    const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'))
    const found = runProcesses(uid, null, undefined, {pid: handler, ticks, forks})
    expect(found, 'a pid older than the handler\'s').not.to.include(older)
    expect(found, 'the handler').to.include(handler)
    expect(runProcesses(uid, null, undefined, {pid: older, ticks, forks}), 'the handler\'s own pid').to.include(older)
    expect(runProcesses(uid, null, undefined, {pid: pidMax - 1, ticks, forks}), 'a low pid after the counter wrapped').to.include(older)
    expect(runProcesses(uid, null, undefined, {pid: handler, ticks, forks: forks - 2 * pidMax}), 'after more forks than there are pids').to.include(older)
    const origin = handlerOrigin(older, forks)
    expect(origin).to.deep.equal({pid: older, ticks, forks})
  })

  it('tells pids given out in a range, wrapping', () => {
    expect(inPidRange(500, 400, 600)).to.equal(true)
    expect(inPidRange(400, 400, 600)).to.equal(true)
    expect(inPidRange(399, 400, 600)).to.equal(false)
    expect(inPidRange(601, 400, 600)).to.equal(false)
    // the handler got 32000, the counter wrapped and is at 500 now
    expect(inPidRange(32001, 32000, 500)).to.equal(true)
    expect(inPidRange(301, 32000, 500)).to.equal(true)
    expect(inPidRange(501, 32000, 500)).to.equal(false)
    expect(inPidRange(31999, 32000, 500)).to.equal(false)
  })
})
