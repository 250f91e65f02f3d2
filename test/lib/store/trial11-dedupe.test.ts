// Storing bytes already stored reuses the object only while it still holds them: an object rewritten in place (same
// size, modification time put back) is replaced by the good copy being stored, so the new version is not corrupt.
import {expect} from 'chai'
import {chmodSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ObjectStore} from '../../../src/lib/store/objects.ts'
import {hashBytes} from '../../../src/lib/util/hash.ts'
import {tempDir} from '../../helpers/project.ts'

describe('store/objects: storing bytes whose stored object was tampered with (trial11)', () => {
  let dir: string
  let objects: ObjectStore
  beforeEach(() => {
    dir = tempDir()
    objects = new ObjectStore(dir)
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  function tamper(path: string, text: string): void {
    const st = statSync(path)
    chmodSync(path, 0o644)
    writeFileSync(path, text)
    chmodSync(path, 0o444)
    utimesSync(path, st.atime, st.mtime)
  }

  for (const move of [false, true]) {
    it(`puts the good bytes back in place of a same-size rewrite (${move ? 'moved from staging' : 'copied'})`, async () => {
      const first = join(dir, 'first.txt')
      writeFileSync(first, 'good bytes')
      const put = await objects.putFile(first, {move: false})
      const object = objects.path(put.sha256)
      tamper(object, 'evil bytes')
      expect(await objects.verify(put.sha256)).to.equal('corrupt')
      mkdirSync(join(dir, 'staging'))
      const again = join(dir, 'staging', 'again.txt')
      writeFileSync(again, 'good bytes')
      const second = await objects.putFile(again, {move})
      expect(second.sha256).to.equal(hashBytes('good bytes'))
      expect(await objects.verify(put.sha256)).to.equal('ok')
      expect(readFileSync(object, 'utf8')).to.equal('good bytes')
      expect(statSync(object).mode & 0o222, 'the object is read-only again').to.equal(0)
    })
  }

  it('puts good bytes back in place of a truncated object stored as bytes', async () => {
    const put = await objects.putBytes('{"files":[]}')
    const object = objects.path(put.sha256)
    chmodSync(object, 0o644)
    writeFileSync(object, '{"fil')
    const again = await objects.putBytes('{"files":[]}')
    expect(again.spare, 'the good copy took the place of the bad one').to.equal(undefined)
    expect(await objects.verify(put.sha256)).to.equal('ok')
  })

  it('still stores identical intact bytes once, keeping the new copy as the spare', async () => {
    const a = join(dir, 'a.txt')
    const b = join(dir, 'b.txt')
    writeFileSync(a, 'same')
    writeFileSync(b, 'same')
    await objects.putFile(a, {move: false})
    const second = await objects.putFile(b, {move: false})
    expect(second.spare).to.be.a('string')
  })
})
