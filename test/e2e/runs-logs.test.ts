// `lode runs logs` streams the log: the exact bytes when piped, any size (past what one string can hold), and
// under --json the last part of a huge log, said so.
import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {appendFileSync, closeSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, json, lode, tempDir} from '../helpers/project.ts'

const ENV = {...process.env, NODE_ENV: '', CI: '1', NO_COLOR: '1'}

/** Run the CLI and count what it writes on stdout without holding it. */
function countStdout(args: string[], cwd: string): Promise<{code: number | null; bytes: number; last: string; stderr: string}> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd, env: ENV})
    let bytes = 0
    let last = Buffer.alloc(0)
    let stderr = ''
    child.stdout.on('data', (b: Buffer) => {
      bytes += b.length
      last = Buffer.concat([last, b]).subarray(-64)
    })
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s))
    child.on('close', (code) => resolve({code, bytes, last: last.toString('latin1'), stderr}))
  })
}

describe('runs logs (e2e)', function () {
  this.timeout(180_000)
  let dir: string
  let uid: string
  let logPath: string

  before(() => {
    dir = tempDir()
    expect(lode(['init', '--name', 'logs'], {cwd: dir}).code).to.equal(0)
    const r = lode(['run', '--kind', 'exec', '--json', '--', 'printf', 'raw\\r\\n\\033[31mred\\n'], {cwd: dir})
    uid = json(r).data.uid
    logPath = join(dir, '.lode', 'runs', uid, 'output.log')
    // bytes that are not UTF-8, as a log may hold them
    appendFileSync(logPath, Buffer.from([0xff, 0xfe, 0x0a]))
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('writes the exact bytes of output.log when piped', () => {
    const r = spawnSync(process.execPath, [BIN, 'runs', 'logs', uid], {cwd: dir, env: ENV})
    expect(r.status).to.equal(0)
    expect(Buffer.compare(r.stdout, readFileSync(logPath))).to.equal(0)
    expect(r.stdout.subarray(-3)).to.deep.equal(Buffer.from([0xff, 0xfe, 0x0a]))
  })

  it('says a run whose folder is not here has no log here, not that it printed nothing', () => {
    const other = json(lode(['run', '--kind', 'exec', '--json', '--', 'printf', 'said\\n'], {cwd: dir})).data.uid
    rmSync(join(dir, '.lode', 'runs', other), {recursive: true})
    const r = lode(['runs', 'logs', other.slice(0, 8)], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.contain('has no log here').and.not.contain('printed nothing')
  })

  it('streams a log larger than a string can hold, and --json returns its last part with a note', async () => {
    // 600 MB, past V8's longest string (~512 MB): a sparse file, then 9 MB of text at its end
    const size = 600 * 1024 * 1024
    truncateSync(logPath, size)
    const fd = openSync(logPath, 'r+')
    const line = `${'x'.repeat(79)}\n`
    writeSync(fd, line.repeat((9 * 1024 * 1024) / 80) + 'the end\n', size)
    closeSync(fd)
    const total = statSync(logPath).size
    expect(total).to.be.above(size)

    const streamed = await countStdout(['runs', 'logs', uid], dir)
    expect(streamed.code, streamed.stderr).to.equal(0)
    expect(streamed.bytes).to.equal(total)
    expect(streamed.last.endsWith('x\nthe end\n')).to.equal(true)

    const r = spawnSync(process.execPath, [BIN, 'runs', 'logs', uid, '--json'], {cwd: dir, env: ENV, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8'})
    expect(r.status, r.stderr).to.equal(0)
    const data = json({code: r.status, signal: null, stdout: r.stdout, stderr: r.stderr}).data
    expect(data.truncated).to.equal(true)
    expect(data.bytes).to.equal(total)
    expect(data.output.length).to.be.below(9 * 1024 * 1024)
    expect(data.output.startsWith('x')).to.equal(true)
    expect(data.output.endsWith('x\nthe end\n')).to.equal(true)
    expect(r.stderr).to.match(/last .*MB/).and.include(`lode runs logs ${uid.slice(0, 8)} >`)
  })
})
