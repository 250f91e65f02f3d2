import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {hashBytes, hashFile} from '../../../src/lib/util/hash.ts'
import {tempDir} from '../../helpers/project.ts'

describe('util/hash', () => {
  let dir: string
  beforeEach(() => (dir = tempDir()))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('hashes files of every size: empty, small, exactly one read buffer, and larger than one', async () => {
    for (const size of [0, 5, 4096, 4097, 64 * 1024, 64 * 1024 + 1, 4 * 1024 * 1024, 4 * 1024 * 1024 + 3, 9 * 1024 * 1024]) {
      const bytes = Buffer.alloc(size, size % 251)
      const file = join(dir, `f${size}`)
      writeFileSync(file, bytes)
      expect(await hashFile(file), `${size} bytes`).to.deep.equal({sha256: hashBytes(bytes), size})
    }
  })

  it('fails for a missing file as the file system says', async () => {
    const error = await hashFile(join(dir, 'missing')).then(() => null, (e: NodeJS.ErrnoException) => e)
    expect(error?.code).to.equal('ENOENT')
  })

  it('reads a pipe to its end, not to its first short read', async () => {
    const fifo = join(dir, 'fifo')
    expect(spawnSync('mkfifo', [fifo]).status).to.equal(0)
    // the writer pauses between its two parts, so the first read returns only the first
    const writer = spawn('sh', ['-c', `exec > "$0"; printf first; sleep 0.2; printf second`, fifo], {stdio: 'ignore'})
    const exited = new Promise((resolve) => writer.on('close', resolve)) // listened to before it can happen
    const hashed = await hashFile(fifo)
    await exited
    expect(hashed).to.deep.equal({sha256: hashBytes('firstsecond'), size: 11})
  })
})
