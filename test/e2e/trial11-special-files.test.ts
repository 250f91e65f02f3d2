// A FIFO or a device where lode reads a file of its own (lode.yaml, its parse cache, a hub's index.json, package or
// function.yaml) is refused with a clear error, never read: reading a FIFO waits for a writer forever.
import {expect} from 'chai'
import {rmSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, tempDir} from '../helpers/project.ts'
import {execFileSync, spawnSync} from 'node:child_process'
import {writeFunction} from '../lib/hub/fixtures.ts'

/** The real CLI, ended (and the test failed by its signal) should it hang past a generous deadline. */
function lodeIn(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd, env: {...process.env, NODE_ENV: '', CI: '1', NO_COLOR: '1'}, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL'})
  return {code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr}
}

describe('e2e: special files where lode reads its own files (trial11)', function () {
  this.timeout(180_000)
  let dir: string

  beforeEach(() => {
    dir = tempDir('lode-t11-special-')
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('a lode.yaml that is a FIFO or a link to /dev/zero is refused (exit 2), not read', () => {
    execFileSync('mkfifo', [join(dir, 'lode.yaml')])
    const fifo = lodeIn(dir, ['runs', 'ls'])
    expect(fifo.signal, 'lode hung reading the FIFO').to.equal(null)
    expect(fifo.code).to.equal(2)
    expect(fifo.stderr).to.contain('lode.yaml').and.contain('FIFO')
    rmSync(join(dir, 'lode.yaml'))
    symlinkSync('/dev/zero', join(dir, 'lode.yaml'))
    const zero = lodeIn(dir, ['runs', 'ls', '--json'])
    expect(zero.signal, 'lode hung reading /dev/zero').to.equal(null)
    expect(zero.code).to.equal(2)
    expect(JSON.parse(zero.stdout).error.message).to.contain('character device')
  })

  it('a FIFO planted as .lode/config-cache.json is passed over: lode.yaml is parsed instead', () => {
    expect(lodeIn(dir, ['init']).code).to.equal(0)
    rmSync(join(dir, '.lode', 'config-cache.json'), {force: true})
    execFileSync('mkfifo', [join(dir, '.lode', 'config-cache.json')])
    const r = lodeIn(dir, ['runs', 'ls', '--json'])
    expect(r.signal, 'lode hung reading the FIFO').to.equal(null)
    expect(r.code, r.stderr).to.equal(0)
  })

  it("a packed hub whose index.json or package is a FIFO, or whose function.yaml is one, answers exit 5 / skips it", () => {
    expect(lodeIn(dir, ['init']).code).to.equal(0)
    const hub = join(dir, 'hub-src')
    writeFunction(hub, {name: 'greet', version: '1.0.0'})
    const packed = join(dir, 'packed')
    expect(lodeIn(dir, ['hub', 'pack', hub, '--out', packed]).code).to.equal(0)
    // the package a FIFO: the index still names it
    rmSync(join(packed, 'greet-1.0.0.tgz'))
    execFileSync('mkfifo', [join(packed, 'greet-1.0.0.tgz')])
    const pkg = lodeIn(dir, ['hub', 'pull', 'greet', '--hub', packed, '--json'])
    expect(pkg.signal, 'lode hung reading the package FIFO').to.equal(null)
    expect(pkg.code).to.equal(5)
    expect(JSON.parse(pkg.stdout).error.message).to.contain('FIFO')
    rmSync(join(packed, 'index.json'))
    execFileSync('mkfifo', [join(packed, 'index.json')])
    const index = lodeIn(dir, ['hub', 'ls', '--hub', packed, '--json'])
    expect(index.signal, 'lode hung reading the index FIFO').to.equal(null)
    expect(index.code).to.equal(5)
    expect(JSON.parse(index.stdout).error.message).to.contain('index.json').and.contain('FIFO')
    // a hub folder: a function whose function.yaml is a FIFO is skipped with a warning, the others listed
    writeFunction(hub, {name: 'other', version: '1.0.0'})
    rmSync(join(hub, 'other', 'function.yaml'))
    execFileSync('mkfifo', [join(hub, 'other', 'function.yaml')])
    const folder = lodeIn(dir, ['hub', 'ls', '--hub', hub])
    expect(folder.signal, 'lode hung reading function.yaml').to.equal(null)
    expect(folder.code, folder.stderr + folder.stdout).to.equal(0)
    expect(folder.stdout).to.contain('greet')
    expect(folder.stderr).to.contain('FIFO')
    // its README a FIFO: hub show refuses to pack it (exit 2) and does not wait on it
    rmSync(join(hub, 'greet', 'README.md'))
    execFileSync('mkfifo', [join(hub, 'greet', 'README.md')])
    const show = lodeIn(dir, ['hub', 'show', 'greet', '--hub', hub, '--json'])
    expect(show.signal, 'lode hung reading README.md').to.equal(null)
    expect(show.code, show.stderr).to.equal(2)
    expect(JSON.parse(show.stdout).error.message).to.contain('special file')
  })
})
