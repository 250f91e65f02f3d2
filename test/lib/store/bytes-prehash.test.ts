// A staged file hashed and fsynced while its handler runs (ObjectStore.prehash) is stored from that hash only while
// its size, times, device and inode are unchanged; anything else is hashed again.
import {expect} from 'chai'
import {linkSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ObjectStore, racyWindowNs} from '../../../src/lib/store/objects.ts'
import {hashBytes, RACY_NS} from '../../../src/lib/util/hash.ts'
import {tempDir} from '../../helpers/project.ts'

describe('store/objects: early hashes of staged files', function () {
  this.timeout(30_000)
  let dir: string
  let store: ObjectStore
  beforeEach(() => {
    dir = tempDir()
    mkdirSync(join(dir, 'staging'))
    store = new ObjectStore(join(dir, 'store'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('hashes a staged file once its last change is old enough, and putFile stores it from that hash', async () => {
    const f = join(dir, 'staging', 'a.bin')
    writeFileSync(f, 'a'.repeat(100_000))
    const known = await store.prehash(f, new AbortController().signal)
    expect(known?.sha256).to.equal(hashBytes('a'.repeat(100_000)))
    // the hash began only after the file's change time was older than the file system's window
    const {ctimeNs} = statSync(f, {bigint: true})
    expect(BigInt(Date.now()) * 1_000_000n - ctimeNs > racyWindowNs(ctimeNs)).to.equal(true)
    const put = await store.putFile(f, {move: true, known})
    expect(put.sha256).to.equal(known!.sha256)
    expect(readFileSync(store.path(put.sha256), 'utf8')).to.equal('a'.repeat(100_000))
  })

  it('waits a second after a change stamped in whole seconds, 50 ms after one a finer file system stamped', () => {
    expect(racyWindowNs(1_700_000_000_000_000_000n)).to.equal(RACY_NS)
    expect(racyWindowNs(1_700_000_000_000_000_000n + 2_000_000_000n)).to.equal(RACY_NS)
    expect(racyWindowNs(1_700_000_000_123_456_789n)).to.equal(50_000_000n)
    expect(racyWindowNs(1_700_000_000_010_000_000n)).to.equal(50_000_000n)
  })

  it('a file rewritten in place after its early hash, its size and mtime put back, is hashed again (its change time moved)', async () => {
    const f = join(dir, 'staging', 'a.bin')
    writeFileSync(f, 'a'.repeat(4096))
    utimesSync(f, 1_700_000_000, 1_700_000_000) // whole seconds: put back exactly below
    const known = await store.prehash(f, new AbortController().signal)
    expect(known).to.not.equal(null)
    writeFileSync(f, 'b'.repeat(4096))
    utimesSync(f, 1_700_000_000, 1_700_000_000)
    expect(statSync(f, {bigint: true}).mtimeNs).to.equal(known!.key.mtimeNs)
    const put = await store.putFile(f, {move: true, known})
    expect(put.sha256).to.equal(hashBytes('b'.repeat(4096)))
    expect(await store.verify(put.sha256)).to.equal('ok')
  })

  it('gives up when its signal ends the wait (the handler ended first), and skips a file with a second name', async () => {
    const f = join(dir, 'staging', 'a.bin')
    writeFileSync(f, 'fresh')
    const stop = new AbortController()
    const pass = store.prehash(f, stop.signal)
    stop.abort()
    expect(await pass).to.equal(null)
    linkSync(f, join(dir, 'other-name'))
    expect(await store.prehash(f, new AbortController().signal)).to.equal(null)
  })
})
