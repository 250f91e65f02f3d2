// A run that fills the disk answers --json with the run it recorded (details.run), as any failed run does, so that a
// script finds it. The project lives on a small tmpfs (mounting needs root and CAP_SYS_ADMIN; skipped without).
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempDir} from '../../helpers/project.ts'

describe('store: the --json answer of a run that fills the disk (trial11)', function () {
  this.timeout(120_000)
  let mnt: string

  before(function () {
    mnt = tempDir('lode-t11-full-')
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]).status !== 0) {
      rmSync(mnt, {recursive: true, force: true})
      this.skip() // not root, or no right to mount here
    }
  })
  after(async () => {
    if (!mnt) return
    // a lode process of the last run may still be ending (its watchdog): the mount is busy until it is gone
    const deadline = Date.now() + 30_000
    while (spawnSync('umount', [mnt]).status !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    rmSync(mnt, {recursive: true, force: true})
  })

  it('names the failed run in details.run, recorded as error', () => {
    const dir = join(mnt, 'p')
    mkdirSync(dir)
    expect(lode(['init', '.'], {cwd: dir}).code).to.equal(0)
    // each run stages 1.5 MB of new bytes: a run that finds the disk full fails, the ones before it complete
    writeFileSync(join(dir, 'fill.sh'), `head -c 1500000 /dev/urandom > "$LODE_OUTPUT_DIR/a.bin"
echo "{\\"t\\":\\"artifact\\",\\"key\\":\\"a\\",\\"kind\\":\\"artifact\\",\\"path\\":\\"$LODE_OUTPUT_DIR/a.bin\\"}" >&3
`)
    let r = lode(['run', 'fill.sh', '--json'], {cwd: dir})
    for (let i = 0; i < 5 && r.code === 0; i++) r = lode(['run', 'fill.sh', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.not.equal(0)
    const answer = json(r)
    expect(answer.ok).to.equal(false)
    const runs = json(lode(['runs', 'ls', '--json'], {cwd: dir})).data
    const last = (runs.runs ?? runs)[0]
    expect(last.state, r.stderr + r.stdout).to.equal('error')
    expect(answer.error.exitCode, 'a full disk is no bug').to.equal(6)
    expect(answer.error.details?.run?.uid, JSON.stringify(answer.error)).to.equal(last.uid)
    expect(answer.error.details.run.state).to.equal('error')
  })
})
