// Secret files that never end (a FIFO with no writer, /dev/zero) or are too big are refused before anything is read.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {rmSync, truncateSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, tempDir} from '../../helpers/project.ts'

describe('secrets: files that are not plain, small files', function () {
  this.timeout(60_000)
  let dir: string
  // a hang is a failure here, not a stuck suite: the CLI gets 30 s, far more than a refusal takes
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], {cwd: dir, env: {...process.env, NODE_ENV: '', CI: '1', NO_COLOR: '1'}, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL'})
    return {code: r.status, signal: r.signal, stderr: r.stderr}
  }
  beforeEach(() => {
    dir = tempDir()
    expect(run(['init', '.']).code).to.equal(0)
    writeFileSync(join(dir, 'a.sh'), 'echo ran > ran.txt\n')
    expect(spawnSync('mkfifo', [join(dir, 'ff')]).status).to.equal(0)
    writeFileSync(join(dir, 'big'), '')
    truncateSync(join(dir, 'big'), 2 * 1024 * 1024)
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const expectRefused = (args: string[], said: RegExp) => {
    const r = run(args)
    expect(r.signal, `lode ${args.join(' ')} hung`).to.equal(null)
    expect(r.code, r.stderr).to.equal(2)
    expect(r.stderr).to.match(said)
    expect(r.stderr).to.not.contain('bug in lode')
  }

  it('refuses --secret-file naming a FIFO, a device or a file over 1 MiB', () => {
    expectRefused(['run', 'a.sh', '--secret-file', 'ff'], /ff is a FIFO \(named pipe\), not a file/)
    expectRefused(['run', 'a.sh', '--secret-file', '/dev/zero'], /\/dev\/zero is a character device, not a file/)
    expectRefused(['run', 'a.sh', '--secret-file', 'big'], /big is 2\.1 MB: a secret file holds at most 1 MiB/)
  })

  it('refuses secrets: {x: {file: ...}} in lode.yaml naming a FIFO, a device or a big file', () => {
    for (const [file, said] of [['ff', /FIFO \(named pipe\)/], ['/dev/zero', /character device/], ['big', /at most 1 MiB/]] as const) {
      writeFileSync(join(dir, 'lode.yaml'), `name: t\nsecrets:\n  x: {file: ${file}}\n`)
      expectRefused(['run', 'a.sh', '--secret', 'x'], said)
    }
  })
})
