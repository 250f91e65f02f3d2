// `lode log artifact FILE` of a file outside staging: lode copies it while hashing it and answers; the command returns
// once it has. It never hangs: a lode that died before answering is an error within moments.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, isGone, json, lode, lodeAsync, tempDir, waitUntil} from '../helpers/project.ts'
import {hashBytes} from '../../src/lib/util/hash.ts'

describe('lode log artifact: lode takes the copy and answers', function () {
  this.timeout(60_000)
  let dir: string
  beforeEach(() => {
    dir = tempDir()
    writeFileSync(join(dir, 'lode.yaml'), 'name: ack\n')
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  /** `lode run` of step.sh; a hang is a failure here, not a stuck suite: it gets 30 s, far more than the run takes */
  const runStep = () => spawnSync(process.execPath, [BIN, 'run', '--kind', 'exec', '--', 'sh', 'step.sh'], {cwd: dir, env: {...process.env, NODE_ENV: '', CI: '1', NO_COLOR: '1'}, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL'})

  const objectPath = (text: string) => {
    const sha = hashBytes(text)
    return join(dir, '.lode', 'objects', 'sha256', sha.slice(0, 2), sha.slice(2))
  }

  it('stores the file as it was when logged: lode holds its copy when the command returns, so the file may change or go at once', async () => {
    writeFileSync(join(dir, 'step.sh'), [
      'printf one > data.txt',
      'lode log artifact data data.txt || exit 9',
      'rm data.txt',
      'printf two > data.txt',
      // larger than lode copies on its own thread (256 kB): copied in its thread pool, the same answer
      'lode log artifact big big.bin || exit 9',
      'rm big.bin',
      '',
    ].join('\n'))
    const big = Buffer.alloc(300 * 1024, 'lode')
    writeFileSync(join(dir, 'big.bin'), big)
    const r = lode(['run', '--json', '--kind', 'exec', '--', 'sh', 'step.sh'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    const run = json(r).data
    expect(run.state).to.equal('completed')
    const ls = json(lode(['artifacts', 'ls', '--json'], {cwd: dir})).data as {key: string; sha256: string; size: number}[]
    expect(ls.find((x) => x.key === 'data')!.sha256).to.equal(hashBytes('one'))
    expect(readFileSync(objectPath('one'), 'utf8')).to.equal('one')
    expect(ls.find((x) => x.key === 'big')).to.deep.include({sha256: hashBytes(big), size: big.length})
  })

  it('a key logged twice keeps the last copy, and a file in the staging area is still logged as before', async () => {
    writeFileSync(join(dir, 'step.sh'), [
      'printf one > data.txt && lode log artifact data data.txt || exit 9',
      'printf two > data.txt && lode log artifact data data.txt || exit 9',
      'printf staged > "$LODE_OUTPUT_DIR/s.txt" && lode log artifact s "$LODE_OUTPUT_DIR/s.txt" || exit 9',
      '',
    ].join('\n'))
    const r = lode(['run', '--json', '--kind', 'exec', '--', 'sh', 'step.sh'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    const ls = json(lode(['artifacts', 'ls', '--json'], {cwd: dir})).data as {key: string; sha256: string}[]
    expect(ls.find((x) => x.key === 'data')!.sha256).to.equal(hashBytes('two'))
    expect(ls.find((x) => x.key === 's')!.sha256).to.equal(hashBytes('staged'))
  })

  it('lode killed -9 before it answers: the command ends with a clear error, and nothing is recorded', async () => {
    writeFileSync(join(dir, 'step.sh'), [
      'printf one > data.txt',
      'echo "$LODE_PID" > started',
      'while [ ! -e release ]; do sleep 0.05; done',
      // out of the run's group and without its mark, so that lode's watchdog (which ends the run's processes once
      // lode is killed) leaves this command to find out for itself
      `env -u LODE_RUN_UID setsid sh -c 'lode log artifact data data.txt 2> err.txt; echo $? > code.txt'`,
      '',
    ].join('\n'))
    const p = lodeAsync(['run', '--kind', 'exec', '--', 'sh', 'step.sh'], {cwd: dir})
    expect(await waitUntil(() => existsSync(join(dir, 'started')) && readFileSync(join(dir, 'started'), 'utf8').trim() !== '', 30_000)).to.equal(true)
    const lodePid = Number(readFileSync(join(dir, 'started'), 'utf8'))
    // stopped, lode cannot answer; the command then waits on its answer file in the staging area
    process.kill(lodePid, 'SIGSTOP')
    writeFileSync(join(dir, 'release'), '')
    const staging = () => {
      const runs = join(dir, '.lode', 'runs')
      return readdirSync(runs).flatMap((uid) => (existsSync(join(runs, uid, 'staging')) ? readdirSync(join(runs, uid, 'staging')) : []))
    }
    expect(await waitUntil(() => staging().some((n) => n.startsWith('log-')), 30_000), 'the command waits for lode').to.equal(true)
    process.kill(lodePid, 'SIGKILL')
    await p
    expect(await waitUntil(() => existsSync(join(dir, 'code.txt')) && readFileSync(join(dir, 'code.txt'), 'utf8').trim() !== '', 20_000), 'the command ended').to.equal(true)
    expect(Number(readFileSync(join(dir, 'code.txt'), 'utf8'))).to.not.equal(0)
    expect(readFileSync(join(dir, 'err.txt'), 'utf8')).to.contain(`lode (pid ${lodePid}), which runs this handler, ended before it took data.txt`)
    expect(json(lode(['artifacts', 'ls', '--all-versions', '--json'], {cwd: dir})).data).to.deep.equal([])
  })

  it('lode killed -9 after it took the copy: no version, and gc counts the object as unreferenced', async () => {
    writeFileSync(join(dir, 'step.sh'), [
      'printf one > data.txt',
      'lode log artifact data data.txt || exit 9',
      'echo $$ > logged',
      'while [ ! -e release ]; do sleep 0.05; done',
      '',
    ].join('\n'))
    const p = lodeAsync(['run', '--kind', 'exec', '--', 'sh', 'step.sh'], {cwd: dir})
    expect(await waitUntil(() => existsSync(join(dir, 'logged')) && readFileSync(join(dir, 'logged'), 'utf8').trim() !== '', 30_000)).to.equal(true)
    const handlerPid = Number(readFileSync(join(dir, 'logged'), 'utf8'))
    // a small file's copy is answered for as soon as lode holds it, then fsynced and put in place
    expect(await waitUntil(() => existsSync(objectPath('one')), 30_000)).to.equal(true)
    p.child.kill('SIGKILL')
    await p
    writeFileSync(join(dir, 'release'), '')
    expect(await isGone(handlerPid)).to.equal(true)
    expect(json(lode(['artifacts', 'ls', '--all-versions', '--json'], {cwd: dir})).data).to.deep.equal([])
    // unreferenced: gc keeps it only for its grace period (an hour), as any object no committed version names
    const gc = json(lode(['artifacts', 'gc', '--dry-run', '--json'], {cwd: dir})).data
    expect(gc.objectsKept).to.equal(1)
  })

  it('an event with "ack" naming a device or a FIFO is refused at once: nothing read from it, the other artifacts stored', () => {
    expect(spawnSync('mkfifo', [join(dir, 'ff')]).status).to.equal(0)
    const event = (key: string, path: string) => `printf '%s\\n' '{"t":"artifact","key":"${key}","kind":"artifact","path":"${path}","ack":"'"$LODE_OUTPUT_DIR"'/log-x/ack-${key}"}' >&3`
    writeFileSync(join(dir, 'step.sh'), [
      'mkdir -p "$LODE_OUTPUT_DIR/log-x"',
      event('zero', '/dev/zero'),
      event('fifo', join(dir, 'ff')),
      'printf one > data.txt && lode log artifact data data.txt || exit 9',
      '',
    ].join('\n'))
    const r = runStep()
    expect(r.signal, 'lode ended by itself').to.equal(null)
    expect(r.stderr).to.contain('/dev/zero is a character device').and.contain('is a FIFO (named pipe)')
    expect(r.stderr).to.not.contain('bug in lode')
    const ls = json(lode(['artifacts', 'ls', '--all-versions', '--json'], {cwd: dir})).data as {key: string}[]
    expect(ls.map((v) => v.key)).to.include('data').and.not.include('zero')
  })

  it('lode log artifact of a FIFO or /dev/zero is refused at once with what it is, before a byte is read', () => {
    expect(spawnSync('mkfifo', [join(dir, 'ff')]).status).to.equal(0)
    writeFileSync(join(dir, 'step.sh'), [
      'lode log artifact f ff 2> err-f.txt; echo $? > code-f.txt',
      'lode log artifact z /dev/zero 2> err-z.txt; echo $? > code-z.txt',
      '',
    ].join('\n'))
    const r = runStep()
    expect(r.signal, 'lode ended by itself').to.equal(null)
    expect(readFileSync(join(dir, 'code-f.txt'), 'utf8').trim()).to.equal('2')
    expect(readFileSync(join(dir, 'err-f.txt'), 'utf8')).to.contain('ff is a FIFO (named pipe), not a file or a folder')
    expect(readFileSync(join(dir, 'code-z.txt'), 'utf8').trim()).to.equal('2')
    expect(readFileSync(join(dir, 'err-z.txt'), 'utf8')).to.contain('/dev/zero is a character device, not a file or a folder')
  })

  it('outside a run it is refused as before', () => {
    writeFileSync(join(dir, 'data.txt'), 'x')
    const r = lode(['log', 'artifact', 'data', 'data.txt'], {cwd: dir, env: {LODE_RUN_SPEC: '', LODE_EVENT_FD: '', LODE_EVENT_DIR: '', LODE_PID: ''}})
    expect(r.code).to.not.equal(0)
    expect(r.stderr).to.contain('works only inside a running handler')
  })
})
