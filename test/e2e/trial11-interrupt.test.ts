// Ctrl-C or SIGTERM during a command that took no signal for its own (hub pull, artifacts get): lode says so and exits
// 130, and leaves no half-copied file at an -o destination.
import {expect} from 'chai'
import {readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {lode, lodeAsync, tempDir} from '../helpers/project.ts'
import {serveWith} from '../lib/hub/http-hub.ts'

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('e2e: a signal during a command with no run (trial11)', function () {
  this.timeout(120_000)
  let dir: string

  beforeEach(() => {
    dir = tempDir('lode-t11-int-')
    expect(lode(['init'], {cwd: dir}).code).to.equal(0)
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`hub pull from a hub that never answers ends on ${signal} with exit 130, saying so`, async () => {
      let asked = false
      const hub = await serveWith(() => {
        asked = true // and never answers
      })
      try {
        const pull = lodeAsync(['hub', 'pull', 'describe', '--hub', hub.url], {cwd: dir, env: {LODE_HUB_TIMEOUT_MS: '60000', XDG_CACHE_HOME: join(dir, 'cache')}})
        await until('the hub to be asked', () => asked)
        pull.child.kill(signal)
        const r = await pull
        expect(r.signal, 'lode died of the signal').to.equal(null)
        expect(r.code).to.equal(130)
        expect(r.stderr).to.contain(`aborted (${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'})`)
      } finally {
        await hub.close()
      }
    })
  }

  it('artifacts get -o interrupted mid-copy leaves nothing at the destination', async () => {
    // a 1 GiB sparse file: no disk used, but hashing it takes a while
    writeFileSync(join(dir, 'big.sh'), 'truncate -s 1G "$LODE_OUTPUT_DIR/big.bin"\necho "{\\"t\\":\\"artifact\\",\\"key\\":\\"big\\",\\"kind\\":\\"artifact\\",\\"path\\":\\"$LODE_OUTPUT_DIR/big.bin\\"}" >&3\n')
    expect(lode(['run', 'big.sh'], {cwd: dir}).code).to.equal(0)
    const out = tempDir('lode-t11-int-out-')
    try {
      const get = lodeAsync(['artifacts', 'get', 'big', '-o', join(out, 'big.bin')], {cwd: dir})
      await until('the copy to start', () => readdirSync(out).length > 0)
      get.child.kill('SIGINT')
      const r = await get
      expect(r.code, r.stderr).to.equal(130)
      expect(readdirSync(out)).to.deep.equal([])
    } finally {
      rmSync(out, {recursive: true, force: true})
    }
  })
})
