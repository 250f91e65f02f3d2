// A store made by one user and read by another (root's store, read as nobody): reading works, writing says whose
// store it is. The CLI runs as the other user through spawn's uid/gid (the suite runs as root).
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {chmodSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {userInfo} from 'node:os'
import {join} from 'node:path'
import {BIN, json, lode, tempDir} from '../../helpers/project.ts'

const OTHER = 65534 // nobody
const asRoot = process.getuid?.() === 0

function asOther(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd, uid: OTHER, gid: OTHER, encoding: 'utf8', timeout: 60_000,
    env: {...process.env, HOME: cwd, NODE_ENV: '', CI: '1', NO_COLOR: '1'}})
  return {code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr}
}

/** Every file below `dir` with its size and modification time, to see that reading changed nothing. */
function snapshot(dir: string): string[] {
  const out: string[] = []
  const visit = (d: string) => {
    for (const e of readdirSync(d, {withFileTypes: true})) {
      const p = join(d, e.name)
      if (e.isDirectory()) visit(p)
      else out.push(`${p} ${statSync(p).size} ${statSync(p).mtimeMs}`)
    }
  }
  visit(dir)
  return out.sort()
}

describe('store: read by a user who cannot write it', function () {
  this.timeout(120_000)
  let dir: string
  let uid: string
  before(function () {
    if (!asRoot) this.skip() // needs to act as another user
    dir = tempDir()
    chmodSync(dir, 0o755) // others may read the project, as on a shared machine
    expect(lode(['init', '.'], {cwd: dir}).code).to.equal(0)
    writeFileSync(join(dir, 'h.ts'), `export async function handler(ctx) { console.log('hello'); await ctx.logArtifact('notes', {body: 'some notes'}) }`)
    writeFileSync(join(dir, 'wf.yaml'), `name: wf\nsteps:\n  one: {function: h.ts}\n`)
    const r = json(lode(['run', 'h.ts', '--json'], {cwd: dir}))
    uid = r.data.uid
    expect(lode(['workflow', 'run', 'wf.yaml'], {cwd: dir}).code).to.equal(0)
  })
  after(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('lists and shows runs, artifacts and workflows, and verifies, changing nothing', () => {
    const before = snapshot(join(dir, '.lode'))
    for (const args of [['runs', 'ls'], ['runs', 'get', uid], ['runs', 'logs', uid], ['artifacts', 'ls'], ['artifacts', 'get', 'notes'],
      ['artifacts', 'verify'], ['workflow', 'ls']]) {
      const r = asOther(args, dir)
      expect(r.code, `lode ${args.join(' ')}:\n${r.stderr}`).to.equal(0)
    }
    expect(asOther(['artifacts', 'get', 'notes', '-o', '-'], dir).stdout).to.equal('some notes')
    expect(asOther(['runs', 'logs', uid], dir).stdout).to.contain('hello')
    const wf = json(asOther(['workflow', 'ls', '--json'], dir))
    expect(asOther(['workflow', 'get', wf.data.workflows?.[0]?.id ?? wf.data[0]?.id], dir).code).to.equal(0)
    expect(snapshot(join(dir, '.lode'))).to.deep.equal(before)
  })

  it('refuses a write saying whose store it is and what to do', () => {
    const owner = userInfo().username
    for (const args of [['run', 'h.ts'], ['artifacts', 'tag', 'notes', 'mine']]) {
      const r = asOther(args, dir)
      expect(r.code, `lode ${args.join(' ')}:\n${r.stderr}`).to.equal(2)
      expect(r.stderr).to.contain(`belongs to ${owner}`).and.not.contain('bug in lode')
      expect(r.stderr).to.match(/Hint: .*(sudo -u|as root|chown)/)
    }
  })
})
