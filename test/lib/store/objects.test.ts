import {expect} from 'chai'
import {chmodSync, existsSync, linkSync, readFileSync, statSync, symlinkSync, writeFileSync, mkdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {ObjectStore} from '../../../src/lib/store/objects.ts'
import {IntegrityError} from '../../../src/lib/errors.ts'
import {hashBytes} from '../../../src/lib/util/hash.ts'
import {tempDir} from '../../helpers/project.ts'

describe('store/objects', () => {
  let dir: string
  let objects: ObjectStore
  beforeEach(() => {
    dir = tempDir()
    objects = new ObjectStore(dir)
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('copies a user file while hashing it and leaves the original untouched', async () => {
    const src = join(dir, 'user.txt')
    writeFileSync(src, 'hello')
    const put = await objects.putFile(src, {move: false})
    expect(put.sha256).to.equal(hashBytes('hello'))
    expect(readFileSync(src, 'utf8')).to.equal('hello')
    expect(readFileSync(objects.path(put.sha256), 'utf8')).to.equal('hello')
  })

  it('moves a staged file without copying, and stores identical bytes once', async () => {
    const a = join(dir, 'a.bin')
    const b = join(dir, 'b.bin')
    writeFileSync(a, 'same')
    writeFileSync(b, 'same')
    const pa = await objects.putFile(a, {move: true})
    const pb = await objects.putFile(b, {move: true})
    expect(pa.sha256).to.equal(pb.sha256)
    expect(existsSync(a), 'moved, not copied').to.equal(false)
    expect(pb.spare, 'the duplicate stays in staging until the commit').to.equal(b)
    expect(await objects.list()).to.deep.equal([pa.sha256])
  })

  it('stores a directory as a manifest of content-addressed files', async () => {
    const d = join(dir, 'd')
    mkdirSync(join(d, 'sub'), {recursive: true})
    writeFileSync(join(d, 'x.txt'), 'x')
    writeFileSync(join(d, 'sub', 'y.txt'), 'y')
    const put = await objects.putDir(d, {move: false})
    expect(put.files.map((f) => f.path)).to.deep.equal(['sub/y.txt', 'x.txt'])
    const out = join(dir, 'out')
    await objects.materializeDir(await objects.readManifest(put.sha256), out, {copy: true})
    expect(readFileSync(join(out, 'sub', 'y.txt'), 'utf8')).to.equal('y')
  })

  it('finds a flipped byte and refuses to hand the object out', async () => {
    const put = await objects.putBytes('precious bytes')
    const path = objects.path(put.sha256)
    chmodSync(path, 0o644)
    const buf = readFileSync(path)
    buf[0] = buf[0]! ^ 0xff
    writeFileSync(path, buf)
    expect(await objects.verify(put.sha256)).to.equal('corrupt')
    let err: unknown
    try {
      await objects.assertIntact(put.sha256)
    } catch (e) {
      err = e
    }
    expect(err).to.be.instanceOf(IntegrityError)
  })

  it('keeps the second copy of stored bytes as a spare, and puts it back if the object is removed before commit', async () => {
    const a = join(dir, 'a.bin')
    const b = join(dir, 'b.bin')
    writeFileSync(a, 'same bytes')
    writeFileSync(b, 'same bytes')
    const first = await objects.putFile(a, {move: true})
    const second = await objects.putFile(b, {move: true})
    expect(first.spare).to.equal(undefined)
    expect(second.spare).to.equal(b)
    rmSync(objects.path(first.sha256), {force: true}) // a concurrent rm or gc
    objects.restoreMissing([second.sha256], {[second.sha256]: second.spare!})
    expect(await objects.verify(second.sha256)).to.equal('ok')
    expect(() => objects.restoreMissing(['f'.repeat(64)], {})).to.throw(IntegrityError, /removed while it was being stored/)
  })

  it('never moves a symlink or a hard-linked file out of the staging area: it copies it', async () => {
    const user = join(dir, 'user.txt')
    writeFileSync(user, 'the user\'s own file')
    const staging = join(dir, 'staging')
    mkdirSync(staging)
    symlinkSync(user, join(staging, 'link.txt'))
    linkSync(user, join(staging, 'hard.txt'))
    for (const name of ['link.txt', 'hard.txt']) {
      const put = await objects.putFile(join(staging, name), {move: true})
      expect(put.sha256).to.equal(hashBytes("the user's own file"))
    }
    expect(readFileSync(user, 'utf8')).to.equal("the user's own file")
    expect(statSync(user).mode & 0o222, 'the user file stays writable').to.not.equal(0)
  })
})
