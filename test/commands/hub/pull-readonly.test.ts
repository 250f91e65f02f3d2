// hub pull in a project another user made (root's, run as nobody): it says whose project it is and what to do (exit 2),
// and writes nothing. The CLI runs as the other user through spawn's uid/gid (the suite runs as root).
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import {userInfo} from 'node:os'
import {join} from 'node:path'
import {BIN, lode, tempDir} from '../../helpers/project.ts'
import {writeFunction} from '../../lib/hub/fixtures.ts'

const OTHER = 65534 // nobody
const asRoot = process.getuid?.() === 0

describe('lode hub pull: a project the user cannot write', function () {
  this.timeout(60_000)
  let dir: string
  before(function () {
    if (!asRoot) this.skip() // needs to act as another user
    dir = tempDir()
    chmodSync(dir, 0o755) // others may read it, as on a shared machine
    mkdirSync(join(dir, 'project'))
    expect(lode(['init', '.'], {cwd: join(dir, 'project')}).code).to.equal(0)
    writeFunction(join(dir, 'hub'), {name: 'greet', version: '1.0.0'})
    mkdirSync(join(dir, 'cache'))
    chmodSync(join(dir, 'cache'), 0o777) // nobody's own cache: only the project is not theirs
  })
  after(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('refuses, saying whose project it is and what to do, and writes nothing', () => {
    const project = join(dir, 'project')
    const before = readFileSync(join(project, 'lode.yaml'), 'utf8')
    const r = spawnSync(process.execPath, [BIN, 'hub', 'pull', 'greet', '--hub', join(dir, 'hub')], {cwd: project, uid: OTHER, gid: OTHER, encoding: 'utf8', timeout: 60_000,
      env: {...process.env, HOME: project, LODE_CACHE_DIR: join(dir, 'cache'), NODE_ENV: '', CI: '1', NO_COLOR: '1'}})
    expect(r.status, r.stderr).to.equal(2)
    expect(r.stderr).to.contain(`belongs to ${userInfo().username}`).and.not.contain('bug in lode')
    expect(r.stderr).to.match(/Hint: .*(sudo -u|as root|chown)/)
    expect(existsSync(join(project, 'functions'))).to.equal(false)
    expect(readFileSync(join(project, 'lode.yaml'), 'utf8')).to.equal(before)
  })
})
