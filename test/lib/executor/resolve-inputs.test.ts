import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {tempProject} from '../../helpers/project.ts'
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

  it('refuses a socket before the run', async () => {
    const sock = join(t.dir, 'sock')
    server = createServer()
    await new Promise<void>((resolve) => server!.listen(sock, resolve))
    await refused(sock, /is a socket/)
  })
})
