// `lode log artifact KEY PATH` inside a handler, PATH a FIFO or a device: refused (exit 2) at once, not read forever.
import {expect} from 'chai'
import {execFileSync, spawnSync} from 'node:child_process'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, tempDir} from '../helpers/project.ts'

describe('e2e: lode log of a FIFO or a device (trial11)', function () {
  this.timeout(120_000)
  let dir: string

  beforeEach(() => {
    dir = tempDir('lode-t11-logfifo-')
    execFileSync(process.execPath, [BIN, 'init'], {cwd: dir})
    execFileSync('mkfifo', [join(dir, 'pipe')])
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('refuses both with exit 2, saying what the path is; the run goes on', () => {
    writeFileSync(join(dir, 'h.sh'), `lode log artifact a "$PWD/pipe"; echo "fifo=$?"\nlode log artifact z /dev/zero; echo "zero=$?"\n`)
    const r = spawnSync(process.execPath, [BIN, 'run', 'h.sh'], {cwd: dir, env: {...process.env, NODE_ENV: '', CI: '1', NO_COLOR: '1'}, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL'})
    expect(r.signal, 'lode log hung on the FIFO').to.equal(null)
    expect(r.status, r.stderr).to.equal(0)
    expect(r.stderr).to.contain('fifo=2').and.contain('zero=2').and.contain('FIFO').and.contain('character device')
  })

  it('ctx.logDataset and ctx.logArtifact of a FIFO throw at once in a TypeScript handler, naming it', () => {
    writeFileSync(join(dir, 'h.ts'), `export async function h(ctx: any) {
  const said: string[] = []
  for (const call of [() => ctx.logDataset('d', {localPath: 'pipe'}), () => ctx.logArtifact('a', {localPath: 'pipe'})]) {
    try { await call() } catch (e) { said.push((e as Error).message) }
  }
  ctx.logResult('said', said.join(' | '))
}
`)
    const r = spawnSync(process.execPath, [BIN, 'run', 'h.ts', '--json'], {cwd: dir, env: {...process.env, NODE_ENV: '', CI: '1', NO_COLOR: '1'}, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL'})
    expect(r.signal, 'the handler hung on the FIFO').to.equal(null)
    expect(r.status, r.stderr).to.equal(0)
    const said = JSON.parse(r.stdout).data.results.said as string
    expect(said).to.contain('logDataset: pipe is a FIFO').and.contain('logArtifact: pipe is a FIFO')
  })

  it('context.log_dataset and context.log_artifact of a FIFO in a Python handler say what it is, not "does not exist"', () => {
    writeFileSync(join(dir, 'h.py'), `def h(context):
    said = []
    for call in (lambda: context.log_dataset('d', local_path='pipe'), lambda: context.log_artifact('a', local_path='pipe', artifact_path='out', target_path='t.bin')):
        try:
            call()
        except Exception as e:
            said.append(str(e))
    context.log_result('said', ' | '.join(said))
`)
    const python = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'
    const r = spawnSync(process.execPath, [BIN, 'run', 'h.py', '--python', python, '--json'], {cwd: dir, env: {...process.env, NODE_ENV: '', CI: '1', NO_COLOR: '1'}, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL'})
    expect(r.signal, 'the handler hung on the FIFO').to.equal(null)
    expect(r.status, r.stderr).to.equal(0)
    const said = JSON.parse(r.stdout).data.results.said as string
    expect(said).to.not.contain('does not exist')
    expect(said.split(' | ')).to.have.length(2)
    expect(said).to.contain('FIFO')
  })
})
