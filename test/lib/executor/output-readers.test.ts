// The handler's stdout and stderr read into one reused buffer each: each run gets its own streams, the reads share a
// buffer, and a handler that closes or reopens its stdout ends as before.
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {processesMarked, tempProject} from '../../helpers/project.ts'

/** Each stream's output of a run, copied as it arrives (the chunk is only valid during the call). */
function collect() {
  const got = {stdout: [] as Buffer[], stderr: [] as Buffer[]}
  return {
    onOutput: (stream: 'stdout' | 'stderr', chunk: string | Uint8Array) => void got[stream].push(Buffer.from(chunk)),
    text: (stream: 'stdout' | 'stderr') => Buffer.concat(got[stream]).toString('utf8'),
  }
}

describe('executor: output read into reused buffers', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('output-readers')
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

  it('reads each stream into one buffer, reused from read to read', async () => {
    const views: Uint8Array[] = []
    const out = collect()
    // three writes with pauses between them: three reads at least
    const script = 'echo one; sleep 0.05; echo two; sleep 0.05; echo three'
    const run = await t.project.run(undefined, {kind: 'exec', command: ['sh', '-c', script], onOutput: (stream, chunk) => {
      out.onOutput(stream, chunk)
      if (stream === 'stdout') views.push(chunk as Uint8Array)
    }})
    expect(run.state).to.equal('completed')
    expect(out.text('stdout')).to.equal('one\ntwo\nthree\n')
    expect(views.length).to.be.greaterThan(1)
    // a pipe's 'data' events would bring a new buffer each time
    for (const view of views) expect(view.buffer).to.equal(views[0]!.buffer)
  })

  it('leaves the handler its stdout and stderr as the sockets Node makes for a child\'s pipes', async function () {
    if (process.platform !== 'linux') this.skip()
    const out = collect()
    const run = await t.project.run(undefined, {kind: 'exec', command: ['sh', '-c', 'readlink /proc/self/fd/1; readlink /proc/self/fd/2 >&2'], onOutput: out.onOutput})
    expect(run.state).to.equal('completed')
    expect(out.text('stdout')).to.match(/^socket:\[\d+\]\n$/)
    expect(out.text('stderr')).to.match(/^socket:\[\d+\]\n$/)
  })

  it('reads a runner started ahead of its run into one buffer too, keeping what it wrote before the run', async function () {
    if (process.platform !== 'linux') this.skip() // the runner is found through /proc
    // the runner writes 3 MB as it starts (a --require'd file), before any run takes it: more than lode keeps for it
    // in memory, so it waits for the run to take the rest
    const early = `before the run\n${`${'x'.repeat(1023)}\n`.repeat(3 * 1024)}`
    writeFileSync(join(t.dir, 'early.cjs'), `process.stdout.write(${JSON.stringify(early)})\n`)
    // then 1 MiB while it runs: more than one read (of at most 256 kB) whatever the timing, so several reads, each
    // into the same buffer
    const during = `${'y'.repeat(1023)}\n`.repeat(1024)
    writeFileSync(join(t.dir, 'talk.ts'), `export async function talk() {
  process.stdout.write(\`\${'y'.repeat(1023)}\\n\`.repeat(1024))
  return {pid: process.pid}
}
`)
    const saved = process.env.NODE_OPTIONS
    process.env.NODE_OPTIONS = `${saved ?? ''} --require ${join(t.dir, 'early.cjs')}`
    // the runner started ahead is found by a mark in its environment, and must be the process that runs the handler
    const mark = `ahead-${process.pid}-${Date.now()}`
    process.env.LODE_TEST_MARK = mark
    const views: Uint8Array[] = []
    const out = collect()
    // the instance of spawn.ts that project.run loads (a static import here may be another, CommonJS one)
    const {dropPrestarted, prestartRunner} = await import('../../../src/lib/executor/spawn.ts')
    try {
      prestartRunner(join(t.dir, 'talk.ts'), 'node')
      const ahead = processesMarked(mark)
      expect(ahead, 'one runner started ahead').to.have.length(1)
      const run = await t.project.run(join(t.dir, 'talk.ts'), {onOutput: (stream, chunk) => {
        out.onOutput(stream, chunk)
        if (stream === 'stdout' && /^[y\n]+$/.test(Buffer.from(chunk).toString())) views.push(chunk as Uint8Array)
      }})
      expect(run.state, JSON.stringify(run.error)).to.equal('completed')
      expect(run.results.pid, 'the runner started ahead took the run').to.equal(ahead[0])
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS
      else process.env.NODE_OPTIONS = saved
      delete process.env.LODE_TEST_MARK
      dropPrestarted()
    }
    expect(out.text('stdout')).to.equal(early + during)
    expect(views.length).to.be.greaterThan(1)
    for (const view of views) expect(view.buffer).to.equal(views[0]!.buffer)
  })

  it('keeps all of a large write a TypeScript handler makes just before it returns', async () => {
    // the runner's stdout is a socket, written asynchronously: exiting at once kept ~150 kB of these 4 MiB
    writeFileSync(join(t.dir, 'big.ts'), `export async function big() {
  process.stdout.write('z'.repeat(4 << 20))
  process.stderr.write('e'.repeat(1 << 20))
}
`)
    const out = collect()
    const run = await t.project.run(join(t.dir, 'big.ts'), {onOutput: out.onOutput})
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(out.text('stdout')).to.have.length(4 << 20)
    expect(out.text('stderr')).to.have.length(1 << 20)
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
