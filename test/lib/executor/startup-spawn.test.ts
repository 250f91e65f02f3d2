// Starting the handler: what lode records when it cannot start, and an abort that SIGTERM alone does not end.
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {isGone, tempProject} from '../../helpers/project.ts'

describe('executor: starting and stopping the handler process', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('startup-spawn')
  })
  afterEach(() => t.cleanup())

  it('records a command that does not exist as an error that says it could not start', async () => {
    const run = await t.project.run(undefined, {kind: 'exec', command: ['/nonexistent/lode-no-such-command']})
    expect(run.state).to.equal('error')
    expect(run.error?.message).to.contain('could not start the handler').and.contain('ENOENT')
  })

  it('on abort, kills the handler group with SIGKILL when it ignores SIGTERM, and records aborted', async () => {
    const controller = new AbortController()
    const script = "trap '' TERM; sleep 1000 & echo $! > pids; lode log result ready 1; wait"
    const run = await t.project.run(undefined, {
      kind: 'exec', command: ['bash', '-c', script], signal: controller.signal,
      onEvent: (e) => { if (e.t === 'result') controller.abort('SIGINT') },
    })
    expect(run.state).to.equal('aborted')
    const [child] = readFileSync(join(t.dir, 'pids'), 'utf8').trim().split(/\s+/).map(Number)
    expect(await isGone(child!), 'the handler\'s child').to.equal(true)
  })
})

describe('executor: the watchdog that outlives lode', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('startup-watchdog')
  })
  afterEach(() => t.cleanup())

  it('is one process for all the runs of one lode process, not one per run', async () => {
    // each handler waits until both run, then counts the watchdog shells its lode ($PPID) has started
    const step = (me: string, other: string) => t.project.run(undefined, {
      kind: 'exec',
      command: ['bash', '-c', `touch started-${me}; for i in $(seq 1000); do [ -e started-${other} ] && break; sleep 0.01; done; pgrep -P $PPID -f '^/bin/sh -c' | wc -l > count-${me}`],
    })
    const runs = await Promise.all([step('a', 'b'), step('b', 'a')])
    expect(runs.map((r) => r.state)).to.deep.equal(['completed', 'completed'])
    for (const me of ['a', 'b']) expect(readFileSync(join(t.dir, `count-${me}`), 'utf8').trim(), `watchdogs seen by ${me}`).to.equal('1')
  })
})
