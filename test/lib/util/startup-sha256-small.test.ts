// The plain-JavaScript sha256 a run uses for its code hash, and the run uid made without node:crypto.
import {expect} from 'chai'
import {createHash, randomBytes} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {newRunUid} from '../../../src/lib/executor/execute.ts'
import {SMALL_HASH_LIMIT, sha256Small} from '../../../src/lib/util/sha256-small.ts'
import {tempProject} from '../../helpers/project.ts'

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex')

describe('startup: sha256 without node:crypto, run uids', function () {
  this.timeout(60_000)

  it('gives node:crypto\'s digest at every padding boundary and up to the small-file limit', () => {
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 4096, SMALL_HASH_LIMIT]) {
      const bytes = randomBytes(n)
      expect(sha256Small(bytes), `${n} bytes`).to.equal(sha256(bytes))
    }
  })

  it('hashes a string as its UTF-8 bytes', () => {
    for (const text of ['', 'abc', '["bash","train.sh","--lr","0.1"]', 'é☃𝄞 and more']) expect(sha256Small(text)).to.equal(sha256(text))
  })

  it('records the sha256 of a handler file and of an exec command line as node:crypto computes them', async () => {
    const t = await tempProject('startup-sha')
    try {
      const small = 'export async function handler() {}\n'
      const big = `${'// padding\n'.repeat(SMALL_HASH_LIMIT / 8)}export async function handler() {}\n`
      writeFileSync(join(t.dir, 'small.ts'), small)
      writeFileSync(join(t.dir, 'big.ts'), big)
      expect((await t.project.resolveFunction('small.ts')).codeHash).to.equal(sha256(small))
      expect((await t.project.resolveFunction('big.ts')).codeHash).to.equal(sha256(big))
      expect((await t.project.resolveFunction(undefined, {kind: 'exec', command: ['true', 'x']})).codeHash).to.equal(sha256(JSON.stringify(['true', 'x'])))
    } finally {
      t.cleanup()
    }
  })

  it('makes run uids of 32 hex digits shaped like a random UUID, all different', () => {
    const uids = Array.from({length: 1000}, () => newRunUid())
    for (const uid of uids) expect(uid).to.match(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/)
    expect(new Set(uids).size).to.equal(uids.length)
  })
})
