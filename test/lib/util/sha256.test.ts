import {expect} from 'chai'
import {createHash} from 'node:crypto'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {hashFile, newUid} from '../../../src/lib/util/hash.ts'
import {sha256Small, SMALL_HASH_BYTES} from '../../../src/lib/util/sha256.ts'
import {tempDir} from '../../helpers/project.ts'

const native = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

describe('util/sha256 (a few bytes hashed without node:crypto)', () => {
  it('gives node:crypto\'s digest at every length around the block and padding boundaries', () => {
    for (let size = 0; size <= 300; size++) {
      const bytes = Uint8Array.from({length: size}, (_, i) => (i * 131 + size * 7) & 0xff)
      expect(sha256Small(bytes), `${size} bytes`).to.equal(native(bytes))
    }
    for (const size of [1000, 4095, 4096, SMALL_HASH_BYTES, 100_000]) {
      const bytes = Uint8Array.from({length: size}, (_, i) => (i * 17) & 0xff)
      expect(sha256Small(bytes), `${size} bytes`).to.equal(native(bytes))
    }
    const text = Buffer.from('ünïcödé ✓ 𝄞 and a long enough tail to cross one block of sixty-four bytes')
    expect(sha256Small(text)).to.equal(native(text))
  })

  it('hashFile answers node:crypto\'s digest for small files, whichever way it hashes them', async () => {
    const dir = tempDir()
    try {
      for (const size of [0, 1, 63, 64, 4095, 4096, 4097]) {
        const bytes = Buffer.alloc(size, 'ab')
        writeFileSync(join(dir, 'f'), bytes)
        expect(await hashFile(join(dir, 'f')), `${size} bytes`).to.deep.equal({sha256: native(bytes), size})
      }
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('makes ids of 32 hex digits that differ', () => {
    const ids = new Set(Array.from({length: 1000}, newUid))
    expect(ids.size).to.equal(1000)
    for (const id of ids) expect(id).to.match(/^[0-9a-f]{32}$/)
  })
})
