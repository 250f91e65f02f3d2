// The handler's stdout and stderr as sockets lode reads into reused buffers: each run gets its own pair, a stranger
// that connects to lode's listener gets nothing, and a handler that closes or reopens its stdout ends as before.
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {connect} from 'node:net'
import {tempProject} from '../../helpers/project.ts'

/** Each stream's output of a run, copied as it arrives (the chunk is only valid during the call). */
function collect() {
  const got = {stdout: [] as Buffer[], stderr: [] as Buffer[]}
  return {
    onOutput: (stream: 'stdout' | 'stderr', chunk: string | Uint8Array) => void got[stream].push(Buffer.from(chunk)),
    text: (stream: 'stdout' | 'stderr') => Buffer.concat(got[stream]).toString('utf8'),
  }
}

/** lode's listeners for output sockets, as /proc/net/unix lists them (abstract addresses start with `@`). */
function listeners(): string[] {
  return readFileSync('/proc/net/unix', 'utf8').split('\n').map((l) => l.trim().split(/\s+/)[7] ?? '').filter((p) => p.startsWith(`@lode-output-${process.pid}-`))
}

describe('executor: output sockets', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('output-sockets')
  })
  afterEach(() => t.cleanup())

  it('gives runs at the same time each its own stdout and stderr', async () => {
    const runs = await Promise.all(Array.from({length: 6}, async (_, i) => {
      const out = collect()
      const script = `for n in $(seq 1 200); do echo "run ${i} line $n"; echo "run ${i} err $n" >&2; done`
      const run = await t.project.run(undefined, {kind: 'exec', command: ['sh', '-c', script], onOutput: out.onOutput})
      return {i, run, out}
    }))
    for (const {i, run, out} of runs) {
      expect(run.state).to.equal('completed')
      expect(out.text('stdout')).to.equal(Array.from({length: 200}, (_, n) => `run ${i} line ${n + 1}\n`).join(''))
      expect(out.text('stderr')).to.equal(Array.from({length: 200}, (_, n) => `run ${i} err ${n + 1}\n`).join(''))
    }
  })

  it('closes a connection to its listener that does not bring a run\'s token, and runs on', async function () {
    if (process.platform !== 'linux') this.skip()
    await t.project.run(undefined, {kind: 'exec', command: ['true']})
    const [address] = listeners()
    expect(address, 'a listener after a run').to.be.a('string')
    const stranger = connect({path: `\0${address!.slice(1)}`})
    const received: Buffer[] = []
    stranger.on('data', (d: Buffer) => received.push(d))
    stranger.on('error', () => {})
    stranger.write(Buffer.alloc(16, 7))
    await new Promise((resolve) => stranger.once('close', resolve))
    const out = collect()
    const run = await t.project.run(undefined, {kind: 'exec', command: ['sh', '-c', 'echo still here'], onOutput: out.onOutput})
    expect(run.state).to.equal('completed')
    expect(out.text('stdout')).to.equal('still here\n')
    expect(Buffer.concat(received).length).to.equal(0)
  })

  it('closes a connection to its listener that says nothing', async function () {
    if (process.platform !== 'linux') this.skip()
    await t.project.run(undefined, {kind: 'exec', command: ['true']})
    const [address] = listeners()
    const silent = connect({path: `\0${address!.slice(1)}`})
    silent.on('error', () => {})
    silent.on('data', () => {})
    await new Promise((resolve) => silent.once('close', resolve))
  })

  it('ends the run of a handler that closes its stdout early, and keeps its stderr', async () => {
    const out = collect()
    const run = await t.project.run(undefined, {kind: 'exec', command: ['sh', '-c', 'echo before; exec 1>&-; sleep 0.2; echo after >&2'], onOutput: out.onOutput})
    expect(run.state).to.equal('completed')
    expect(out.text('stdout')).to.equal('before\n')
    expect(out.text('stderr')).to.equal('after\n')
  })

  it('ends the run of a handler that reopens its stdout to a file', async () => {
    const out = collect()
    const run = await t.project.run(undefined, {kind: 'exec', command: ['sh', '-c', 'echo shown; exec >reopened.txt; echo kept; echo err >&2'], onOutput: out.onOutput})
    expect(run.state).to.equal('completed')
    expect(out.text('stdout')).to.equal('shown\n')
    expect(out.text('stderr')).to.equal('err\n')
    expect(readFileSync(join(t.dir, 'reopened.txt'), 'utf8')).to.equal('kept\n')
    expect(readFileSync(join(t.dir, '.lode', 'runs', run.uid, 'output.log'), 'utf8')).to.equal('shown\nerr\n')
  })
})
