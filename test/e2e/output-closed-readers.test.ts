// lode's own output can fail while a run goes on: a reader that closes the pipe (`lode run ... | head -1`), stderr
// sent to a full disk (`2> file`; /dev/full always answers ENOSPC). Either used to end lode on the spot, leaving the
// run `stale` and the rest of its output unrecorded. The run must go on to its end and be recorded.
import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {openSync, closeSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, json, lode, tempDir} from '../helpers/project.ts'

// ~5 MB of lines, then a last line only a reader of output.log can still see
const HANDLER = ['sh', '-c', 'yes "a line of output" | head -c 5000000; echo "the last line"']

describe('output: lode outlasts the readers of its own output', function () {
  this.timeout(60_000)
  let dir: string
  before(() => {
    dir = tempDir()
    expect(lode(['init', '.'], {cwd: dir}).code).to.equal(0)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  const latest = () => json(lode(['runs', 'ls', '--json', '--limit', '1'], {cwd: dir})).data[0]

  /** lode run with stdout and stderr as given, the caller's end of a pipe closed after its first line. */
  function runClosingAfterFirstLine(args: string[], pipeStderr: boolean): Promise<number | null> {
    const child = spawn(process.execPath, [BIN, 'run', ...args, '--kind', 'exec', '--', ...HANDLER], {
      cwd: dir, env: {...process.env, CI: '1'}, stdio: ['ignore', pipeStderr ? 'ignore' : 'pipe', pipeStderr ? 'pipe' : 'ignore'],
    })
    const reader = (pipeStderr ? child.stderr : child.stdout)!
    let seen = ''
    reader.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      if (seen.includes('\n')) reader.destroy()
    })
    return new Promise((resolve) => child.on('close', (code) => resolve(code)))
  }

  for (const [what, args, pipeStderr] of [
    ['the plain lines on stderr', [], true],
    ['--events ndjson on stdout', ['--events', 'ndjson'], false],
    ['the --json answer on stdout', ['--json'], false],
  ] as const) {
    it(`records the whole run when the reader of ${what} goes away after one line`, async () => {
      expect(await runClosingAfterFirstLine([...args], pipeStderr)).to.equal(0)
      const run = latest()
      expect(run.state).to.equal('completed')
      expect(readFileSync(join(dir, '.lode', 'runs', run.uid, 'output.log'), 'utf8')).to.match(/the last line\n$/)
    })
  }

  it('records the whole run when its plain lines go to a full disk (2>/dev/full)', async () => {
    const full = openSync('/dev/full', 'w')
    try {
      const child = spawn(process.execPath, [BIN, 'run', '--kind', 'exec', '--', ...HANDLER], {cwd: dir, env: {...process.env, CI: '1'}, stdio: ['ignore', 'ignore', full]})
      expect(await new Promise((resolve) => child.on('close', resolve))).to.equal(0)
    } finally {
      closeSync(full)
    }
    const run = latest()
    expect(run.state).to.equal('completed')
    expect(readFileSync(join(dir, '.lode', 'runs', run.uid, 'output.log'), 'utf8')).to.match(/the last line\n$/)
  })

  // oclif's commands: one whose output fills the pipe waits for it to drain, and must end (exit 0) when the reader goes
  for (const args of [['runs', 'get'], ['runs', 'get', '--json'], ['runs', 'logs', '--events']]) {
    it(`lode ${args.join(' ')} ends at once, exit 0, when its reader closes the pipe after a few bytes`, async () => {
      // a record of ~100 kB: more than a pipe holds
      const big = lode(['run', '--kind', 'exec', '--', 'sh', '-c', `i=0; while [ $i -lt 50 ]; do printf '{"t":"result","key":"k%d","value":"%02000d"}\\n' $i 0 >&3; i=$((i+1)); done`], {cwd: dir})
      expect(big.code, big.stderr).to.equal(0)
      const uid = latest().uid as string
      const child = spawn(process.execPath, [BIN, args[0]!, args[1]!, uid, ...args.slice(2)], {cwd: dir, env: {...process.env, CI: '1'}, stdio: ['ignore', 'pipe', 'pipe']})
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      child.stdout.once('data', () => child.stdout.destroy())
      const code = await new Promise((resolve) => child.on('close', resolve))
      expect(code, stderr).to.equal(0)
      expect(stderr).not.to.contain('unsettled')
    })
  }
})
