// Process lifetime: what a handler leaves running is ended, and the run still ends when the handler does.
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {isGone, tempProject} from '../../helpers/project.ts'
import {LOG_LINE_BYTES} from '../../../src/lib/executor/output-log.ts'

describe('executor: processes a handler leaves behind', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('spawn')
  })
  afterEach(() => t.cleanup())

  const exec = (script: string) => t.project.run(undefined, {kind: 'exec', command: ['bash', '-c', script]})
  const pidsIn = (file: string) => readFileSync(join(t.dir, file), 'utf8').trim().split(/\s+/).map(Number)

  it('ends when the handler exits though a background child holds its output pipes, ends the child and says so', async () => {
    const run = await exec('sleep 1000 & echo $! > pids; echo started')
    expect(run.state).to.equal('completed')
    const [child] = pidsIn('pids')
    expect(await isGone(child!), 'the background child was ended').to.equal(true)
    const log = readFileSync(join(t.project.store.runDir(run.uid), 'output.log'), 'utf8')
    expect(log).to.contain('started').and.contain('the handler left 1 background process; lode ended it')
    const events = readFileSync(join(t.project.store.runDir(run.uid), 'events.jsonl'), 'utf8')
    expect(events).to.contain('"level":"warn","msg":"the handler left 1 background process; lode ended it"')
  })

  it('finds and ends children that left the process group (setsid), with or without the pipes', async () => {
    const run = await exec('setsid sleep 1000 & echo $! >> pids; setsid sleep 1000 >/dev/null 2>&1 3>&- & echo $! >> pids; echo started')
    expect(run.state).to.equal('completed')
    for (const pid of pidsIn('pids')) expect(await isGone(pid), `setsid child ${pid}`).to.equal(true)
    const log = readFileSync(join(t.project.store.runDir(run.uid), 'output.log'), 'utf8')
    expect(log).to.contain('the handler left 2 background processes; lode ended them')
  })

  it('finds and ends a child that left the group and cleared its environment, by the pipe it still holds', async () => {
    // (lode reads the handler's channels as it starts: a handler that is gone within a millisecond or two is not seen)
    const run = await exec('sleep 0.2; setsid env -i /bin/sleep 1000 & echo $! >> pids; echo started')
    expect(run.state).to.equal('completed')
    for (const pid of pidsIn('pids')) expect(await isGone(pid), `setsid env -i child ${pid}`).to.equal(true)
    const log = readFileSync(join(t.project.store.runDir(run.uid), 'output.log'), 'utf8')
    expect(log).to.contain('the handler left 1 background process; lode ended it')
  })

  it('lets a background child that finishes within the grace finish, and notes nothing', async () => {
    const run = await exec('(sleep 0.2; echo late) & echo early')
    expect(run.state).to.equal('completed')
    const log = readFileSync(join(t.project.store.runDir(run.uid), 'output.log'), 'utf8')
    expect(log).to.contain('early').and.contain('late').and.not.contain('background process')
  })

  it('ends a setsid child on abort too', async () => {
    const controller = new AbortController()
    const run = await t.project.run(undefined, {
      kind: 'exec', command: ['bash', '-c', 'setsid sleep 1000 & echo $! > pids; lode log result ready 1; sleep 1000'], signal: controller.signal,
      onEvent: (e) => { if (e.t === 'result') controller.abort('SIGINT') },
    })
    expect(run.state).to.equal('aborted')
    expect(await isGone(pidsIn('pids')[0]!)).to.equal(true)
  })

  it('receives 200,000 event lines, none lost, and 32 MB of stdout without a newline, kept cut in output.log', async () => {
    const run = await exec(`yes '{"t":"label","key":"k","value":"v"}' | head -n 200000 >&3; head -c 33554432 /dev/zero | tr '\\0' x`)
    expect(run.state).to.equal('completed')
    const events = readFileSync(join(t.project.store.runDir(run.uid), 'events.jsonl'), 'utf8')
    expect(events.split('\n').filter((l) => l.includes('"t":"label"'))).to.have.length(200_000)
    const log = readFileSync(join(t.project.store.runDir(run.uid), 'output.log'), 'utf8')
    expect(log).to.equal(`${'x'.repeat(LOG_LINE_BYTES)}... [line cut at ${LOG_LINE_BYTES} bytes]`)
  })
})
