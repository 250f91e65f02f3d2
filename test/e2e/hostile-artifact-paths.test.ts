// An artifact event names whatever path the handler likes: a device that never ends or a FIFO nobody writes fails
// that artifact with a clear error, and the run's other artifacts are still stored; lode never reads them.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../../src/lib/project/project.ts'
import {lodeAsync, tempDir} from '../helpers/project.ts'

describe('e2e: artifact events naming a device or a FIFO', function () {
  this.timeout(90_000)
  let dir: string
  before(() => {
    dir = tempDir('lode-hostile-paths-')
    Project.init(dir, {name: 'hostile'})
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('fails those artifacts at once and stores the rest', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo')])
    mkdirSync(join(dir, 'folder'))
    writeFileSync(join(dir, 'folder', 'a.txt'), 'a\n')
    execFileSync('mkfifo', [join(dir, 'folder', 'pipe')])
    const line = (key: string, kind: string, path: string) => `printf '%s\\n' '${JSON.stringify({t: 'artifact', key, kind, path})}' >&3`
    writeFileSync(join(dir, 'step.sh'), [
      line('zero', 'artifact', '/dev/zero'), line('fifo', 'artifact', join(dir, 'fifo')),
      line('folder', 'dir', join(dir, 'folder')), line('script', 'artifact', join(dir, 'step.sh')),
    ].join('\n') + '\n')
    // asynchronously, so that a lode stuck reading /dev/zero is ended by the test's timeout rather than blocking it
    const running = lodeAsync(['run', '--kind', 'exec', '--', 'sh', 'step.sh'], {cwd: dir})
    const r = await Promise.race([running, new Promise<null>((done) => setTimeout(done, 60_000, null))])
    if (r === null) running.child.kill('SIGKILL')
    expect(r, 'lode ended').to.not.equal(null)
    expect(r!.code, r!.stderr).to.equal(1)
    expect(r!.stderr).to.include('/dev/zero is a character device, not a file or a folder')
    expect(r!.stderr).to.include('fifo is a FIFO (named pipe), not a file or a folder')
    // the run failed, so its versions do not move latest; they are stored and named all the same
    for (const key of ['folder', 'script']) expect(r!.stderr).to.match(new RegExp(`store://artifacts/hostile/${key}@[0-9a-f]{32}`))
  })

  it('fails a folder holding a file whose name is not UTF-8 with an error that names it, and stores the rest', async () => {
    const folder = join(dir, 'latin1')
    mkdirSync(folder)
    writeFileSync(Buffer.from(`${folder}/caf\xe9.txt`, 'latin1'), 'x')
    writeFileSync(join(dir, 'names.sh'), `printf '%s\\n' '${JSON.stringify({t: 'artifact', key: 'latin1', kind: 'dir', path: folder})}' '${JSON.stringify({t: 'artifact', key: 'names', kind: 'artifact', path: join(dir, 'names.sh')})}' >&3\n`)
    const r = await lodeAsync(['run', '--kind', 'exec', '--', 'sh', 'names.sh'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(1)
    expect(r.stderr).to.include('latin1: ').and.include('has a name that is not UTF-8: lode keeps names as text and cannot store it')
    expect(r.stderr).to.match(/store:\/\/artifacts\/hostile\/names@[0-9a-f]{32}/)
  })
})
