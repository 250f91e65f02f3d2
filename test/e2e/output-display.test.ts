// The plain lines of a large output reach lode's stderr whole and in order, whether stderr is a file or a pipe read
// only late: lode then queues what it wrote, and the bytes queued must not be reused for the lines after them.
import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {closeSync, existsSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, lode, tempDir} from '../helpers/project.ts'

const ENV = {...process.env, NODE_ENV: '', CI: '1', NO_COLOR: '1'}
const LINES = 100_000

/** The handler's lines as lode showed them, without their leads; anything else lode printed is left out. */
function shown(stderr: string): string[] {
  return stderr.split('\n').filter((line) => / out {3}/.test(line)).map((line) => line.replace(/^\d\d:\d\d:\d\d out {3}/, ''))
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('output: plain lines on lode\'s stderr (e2e)', function () {
  this.timeout(120_000)
  let dir: string
  let want: string[]

  before(() => {
    dir = tempDir()
    expect(lode(['init', '--name', 'display'], {cwd: dir}).code).to.equal(0)
    want = Array.from({length: LINES}, (_, i) => `line ${i} of the handler's output, ${'.'.repeat(i % 50)}`)
    writeFileSync(join(dir, 'out.txt'), `${want.join('\n')}\n`)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('writes every line once, in order, to a file', () => {
    const path = join(dir, 'stderr.txt')
    const fd = openSync(path, 'w')
    try {
      const r = spawnSync(process.execPath, [BIN, 'run', '--kind', 'exec', '--', 'cat', 'out.txt'], {cwd: dir, env: ENV, stdio: ['ignore', 'ignore', fd], timeout: 60_000})
      expect(r.status).to.equal(0)
    } finally {
      closeSync(fd)
    }
    expect(shown(readFileSync(path, 'utf8'))).to.deep.equal(want)
  })

  it('writes every line once, in order, to a pipe nobody reads until the whole output is stored', async () => {
    const runs = join(dir, '.lode', 'runs')
    const before = new Set(existsSync(runs) ? readdirSync(runs) : [])
    const child = spawn(process.execPath, [BIN, 'run', '--kind', 'exec', '--', 'cat', 'out.txt'], {cwd: dir, env: ENV, stdio: ['ignore', 'ignore', 'pipe']})
    child.stderr.pause()
    const size = statSync(join(dir, 'out.txt')).size
    const logged = () => {
      const run = readdirSync(runs).find((uid) => !before.has(uid))
      const log = run === undefined ? null : join(runs, run, 'output.log')
      return log !== null && existsSync(log) && statSync(log).size >= size
    }
    try {
      await until('the run\'s output.log', logged)
    } finally {
      child.stderr.resume()
    }
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    const code = await new Promise((resolve) => child.on('close', resolve))
    expect(code).to.equal(0)
    expect(shown(stderr)).to.deep.equal(want)
  })

  it('shows a last line without a newline before the line that ends the run, plain and as events, in a workflow and a sweep too', () => {
    writeFileSync(join(dir, 'tail.sh'), "printf 'first\\nno newline'\n")
    writeFileSync(join(dir, 'tail.yaml'), 'steps:\n  a:\n    function: tail.sh\n')
    const plain = lode(['run', '--kind', 'exec', '--', 'sh', 'tail.sh'], {cwd: dir})
    expect(plain.code).to.equal(0)
    const lines = plain.stderr.split('\n')
    expect(lines.findIndex((l) => l.endsWith('out   no newline')), plain.stderr).to.be.greaterThan(-1)
      .and.lessThan(lines.findIndex((l) => / completed in /.test(l)))
    const runs = [
      ['run', '--kind', 'exec', '--events', 'ndjson', '--', 'sh', 'tail.sh'],
      ['workflow', 'run', 'tail.yaml', '--no-cache', '--events', 'ndjson'],
      ['run', '--kind', 'exec', '-x', 'x=[1,2]', '--events', 'ndjson', '--', 'sh', 'tail.sh'],
    ]
    for (const args of runs) {
      const r = lode(args, {cwd: dir})
      expect(r.code).to.equal(0)
      const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
      const tails = events.flatMap((e, i) => (e.t === 'output' && e.line === 'no newline' ? [{run: e.run, at: i}] : []))
      expect(tails, r.stdout).to.have.length(args.includes('-x') ? 2 : 1)
      for (const {run, at} of tails) expect(at, r.stdout).to.be.lessThan(events.findIndex((e) => e.t === 'state' && e.state === 'completed' && e.run === run))
    }
  })
})
