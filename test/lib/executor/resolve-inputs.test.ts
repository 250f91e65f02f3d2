import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {chmodSync, chownSync, rmSync, writeFileSync} from 'node:fs'
import {BIN, tempDir, tempProject} from '../../helpers/project.ts'
import {UserError} from '../../../src/lib/errors.ts'

describe('executor/resolve-inputs: what an input may be', function () {
  this.timeout(30_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  let server: Server | undefined
  beforeEach(async () => {
    t = await tempProject('inputs')
    t.write('h.ts', 'export async function read(ctx: any) {}\n')
  })
  afterEach(() => {
    server?.close()
    server = undefined
    t.cleanup()
  })

  const refused = async (path: string, what: RegExp) => {
    let error: unknown
    try {
      await t.project.run('h.ts', {handler: 'read', inputs: {data: path}})
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(UserError)
    expect((error as UserError).exitCode).to.equal(2)
    expect((error as Error).message).to.match(what)
    expect((error as UserError).hint).to.be.a('string')
    expect(t.project.store.runs.list({}).length, 'no run is recorded').to.equal(0)
  }

  it('refuses a character device such as /dev/zero before the run (it would be read forever)', async () => {
    await refused('/dev/zero', /\/dev\/zero is a character device/)
  })

  it('refuses a FIFO before the run (reading it would wait for a writer)', async () => {
    const fifo = join(t.dir, 'pipe')
    expect(spawnSync('mkfifo', [fifo]).status).to.equal(0)
    await refused(fifo, /is a FIFO/)
  })

  it('refuses file:// URLs that name no file or another host, as bad input', async () => {
    await refused('file://', /names no file/)
    await refused('file://elsewhere/data.csv', /Malformed file:\/\/ URL/)
    await refused('file:///a%2fb', /Malformed file:\/\/ URL/)
  })

  it('says an input it may not read is bad input (exit 2), not an internal error', function () {
    // root reads everything: the run is made as nobody then, in a folder of nobody's
    const asNobody = process.getuid?.() === 0
    if (asNobody && spawnSync('setpriv', ['--version']).status !== 0) this.skip()
    const dir = tempDir()
    const cli = (args: string[]) => spawnSync(asNobody ? 'setpriv' : process.execPath,
      [...(asNobody ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : []), BIN, ...args],
      {cwd: dir, encoding: 'utf8', env: {...process.env, HOME: dir, LODE_CACHE_DIR: join(dir, '.cache')}})
    try {
      writeFileSync(join(dir, 'h.ts'), 'export function h() {}\n')
      writeFileSync(join(dir, 'secret.txt'), 'x\n')
      if (asNobody) for (const name of ['', 'h.ts', 'secret.txt']) chownSync(join(dir, name), 65534, 65534)
      chmodSync(join(dir, 'secret.txt'), 0o000)
      const init = cli(['init', '.'])
      expect(init.status, init.stderr).to.equal(0)
      const r = cli(['run', 'h.ts', '-i', 'data=secret.txt'])
      expect(r.status, r.stderr).to.equal(2)
      expect(r.stderr).to.contain('cannot read').and.contain('secret.txt').and.not.contain('Internal error')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('refuses a socket before the run', async () => {
    const sock = join(t.dir, 'sock')
    server = createServer()
    await new Promise<void>((resolve) => server!.listen(sock, resolve))
    await refused(sock, /is a socket/)
  })
})
