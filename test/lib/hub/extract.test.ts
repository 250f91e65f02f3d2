import {expect} from 'chai'
import {existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {IntegrityError} from '../../../src/lib/errors.ts'
import {UnsafeArchiveError, extractPackage, makeWritable} from '../../../src/lib/hub/extract.ts'
import {type RawTarEntry, rawTgz} from './raw-tar.ts'

describe('hub/extract', () => {
  let root: string
  let target: string
  let outside: string

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lode-extract-'))
    outside = join(root, 'outside')
    target = join(root, 'cache', 'pkg')
    mkdirSync(outside)
  })
  afterEach(() => {
    makeWritable(root)
    rmSync(root, {recursive: true, force: true})
  })

  /** Every refusal: the error, the target absent, no temp folder left, nothing written outside. */
  async function expectRefused(entries: RawTarEntry[], pattern: RegExp, opts: {maxEntrySize?: number; maxTotalSize?: number} = {}): Promise<void> {
    const {bytes, sha256} = rawTgz(entries)
    let error: unknown
    try {
      await extractPackage(bytes, target, {sha256, ...opts})
    } catch (e) {
      error = e
    }
    expect(error, 'extraction should have been refused').to.be.instanceOf(UnsafeArchiveError)
    expect((error as Error).message).to.match(pattern)
    expect(existsSync(target)).to.equal(false)
    expect(existsSync(join(root, 'cache')), 'nothing created next to the target').to.equal(false)
    expect(readdirSync(outside)).to.deep.equal([])
    expect(readdirSync(root).sort()).to.deep.equal(['outside'])
  }

  it('extracts a well-formed package, read-only when asked', async () => {
    const {bytes, sha256} = rawTgz([
      {path: 'function.yaml', body: 'name: x\n'},
      {path: 'bin/run.sh', body: '#!/bin/sh\n', mode: 0o755},
      {path: 'docs/', type: '5'},
      {path: 'docs/readme-link', type: '2', linkpath: '../function.yaml'},
      {path: 'copy.yaml', type: '1', linkpath: 'function.yaml'},
    ])
    const result = await extractPackage(bytes, target, {sha256, readOnly: true})
    expect(result.files).to.equal(3)
    expect(readFileSync(join(target, 'function.yaml'), 'utf8')).to.equal('name: x\n')
    expect(readFileSync(join(target, 'copy.yaml'), 'utf8')).to.equal('name: x\n')
    expect(lstatSync(join(target, 'bin/run.sh')).mode & 0o777).to.equal(0o555)
    expect(lstatSync(join(target, 'function.yaml')).mode & 0o777).to.equal(0o444)
    expect(readlinkSync(join(target, 'docs/readme-link'))).to.equal('../function.yaml')
    expect(readdirSync(join(root, 'cache'))).to.deep.equal(['pkg'])
  })

  it('refuses an absolute path', async () => {
    await expectRefused([{path: 'ok.txt', body: 'fine'}, {path: join(outside, 'evil.txt'), body: 'pwned'}], /absolute path/)
  })

  it('refuses a .. path', async () => {
    await expectRefused([{path: 'ok.txt', body: 'fine'}, {path: '../../outside/evil.txt', body: 'pwned'}], /"\.\." segment/)
  })

  it('refuses a symlink pointing outside the target', async () => {
    await expectRefused([{path: 'link', type: '2', linkpath: '../../outside'}], /symlink "link" points outside/)
    await expectRefused([{path: 'abs', type: '2', linkpath: outside}], /symlink "abs" points outside/)
    // Each link stays inside on its own; followed together they leave the target.
    await expectRefused(
      [
        {path: 'd/', type: '5'},
        {path: 'd/up', type: '2', linkpath: '..'},
        {path: 'escape', type: '2', linkpath: 'd/up/..'},
      ],
      /symlink "escape" points outside/,
    )
    // A file written through a symlink, even one that stays inside.
    await expectRefused(
      [
        {path: 'sub', type: '2', linkpath: '.'},
        {path: 'sub/evil.txt', body: 'x'},
      ],
      /lies under the symlink/,
    )
  })

  it('refuses a hard link pointing outside', async () => {
    await expectRefused([{path: 'passwd', type: '1', linkpath: '/etc/passwd'}], /hard link "passwd" points outside/)
    await expectRefused([{path: 'passwd', type: '1', linkpath: '../../outside/x'}], /hard link "passwd", pointing outside/)
  })

  it('refuses a device file', async () => {
    await expectRefused([{path: 'null', type: '3'}], /CharacterDevice entry/)
    await expectRefused([{path: 'disk', type: '4'}], /BlockDevice entry/)
    await expectRefused([{path: 'pipe', type: '6'}], /FIFO entry/)
  })

  it('refuses an oversized entry', async () => {
    await expectRefused([{path: 'big.bin', body: Buffer.alloc(4096, 1)}], /over the limit of 1024 bytes/, {maxEntrySize: 1024})
    // The default limit (50 MB), from the header alone: a lying size is refused before any data is read.
    await expectRefused([{path: 'huge.bin', body: Buffer.alloc(512, 1), declaredSize: 51 * 1024 * 1024}], /over the limit of 52428800 bytes/)
    // Entries each under the limit, too big together.
    await expectRefused([{path: 'a.bin', body: Buffer.alloc(800)}, {path: 'b.bin', body: Buffer.alloc(800)}], /unpacks to more than 1024 bytes/, {maxTotalSize: 1024})
  })

  it('refuses a tampered package (sha256 mismatch)', async () => {
    const {bytes, sha256} = rawTgz([{path: 'a.txt', body: 'original'}])
    const tampered = Buffer.from(bytes)
    tampered[tampered.length - 9]! ^= 0xff
    let error: unknown
    try {
      await extractPackage(tampered, target, {sha256})
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(IntegrityError)
    expect((error as Error).message).to.match(/sha256 .* expected/)
    expect(existsSync(target)).to.equal(false)
    expect(readdirSync(root)).to.deep.equal(['outside'])
  })

  it('refuses bytes that are not a package', async () => {
    const bytes = Buffer.from('not a tarball at all')
    const {createHash} = await import('node:crypto')
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    let error: unknown
    try {
      await extractPackage(bytes, target, {sha256})
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(UnsafeArchiveError)
    expect(existsSync(target)).to.equal(false)
  })
})
