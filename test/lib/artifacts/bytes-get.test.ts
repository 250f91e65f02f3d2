// `artifacts get -o`: the kernel copies while lode checks the object's hash, a hash verified once is remembered under
// the object's size, times, device and inode, and bytes rewritten in place are still refused.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {chmodSync, existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {tempProject} from '../../helpers/project.ts'
import {writeBody} from '../../../src/lib/artifacts/fetch.ts'
import {IntegrityError} from '../../../src/lib/errors.ts'

/** Rewrite a file in place with other bytes of the same size, then put back its mode and times. */
function tamper(path: string, ref: string): void {
  const st = statSync(path)
  execFileSync('touch', ['-r', path, ref])
  chmodSync(path, 0o644)
  const fd = readFileSync(path)
  fd[fd.length >> 1] = fd[fd.length >> 1]! ^ 0xff
  writeFileSync(path, fd)
  chmodSync(path, st.mode)
  execFileSync('touch', ['-r', ref, path])
}

/** Wait until a file's change time is more than a second old: younger ones are never remembered. */
async function settled(path: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (Date.now() - statSync(path).ctimeMs <= 1_500) {
    if (Date.now() > deadline) throw new Error(`${path} kept changing`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('artifacts get: bytes copied while verified', function () {
  this.timeout(120_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('bytes-get')
  })
  afterEach(() => t.cleanup())

  const store = async (bytes: Buffer) => {
    const src = join(t.dir, 'src.bin')
    writeFileSync(src, bytes)
    t.write('h.ts', `export async function make(ctx, {src}) { await ctx.logArtifact('blob', {localPath: src}) }`)
    const run = await t.project.run('h.ts', {handler: 'make', params: {src}})
    expect(run.state).to.equal('completed')
    const v = t.project.store.artifacts.resolve({key: 'blob'})
    return {v, object: t.project.store.objects.path(v.sha256)}
  }

  it('remembers the hash it verified, so a second get of the same object does not reread it', async () => {
    const {v, object} = await store(Buffer.alloc(300_000, 7))
    await settled(object)
    const out = join(t.dir, 'out.bin')
    await writeBody(t.project.store, v, out)
    expect(readFileSync(out).equals(Buffer.alloc(300_000, 7))).to.equal(true)
    expect(t.project.store.db.get('SELECT sha256 FROM file_hashes WHERE path = ?', object)).to.deep.equal({sha256: v.sha256})
  })

  it('refuses an object rewritten in place after its hash was remembered, leaving nothing at the destination', async () => {
    const {v, object} = await store(Buffer.alloc(300_000, 7))
    await settled(object)
    await writeBody(t.project.store, v, join(t.dir, 'first.bin'))
    tamper(object, join(t.dir, 'times.ref'))
    const out = join(t.dir, 'out.bin')
    let error: unknown
    await writeBody(t.project.store, v, out).catch((e: unknown) => (error = e))
    expect(error).to.be.instanceOf(IntegrityError)
    expect((error as Error).message).to.contain('no longer match their sha256')
    expect(existsSync(out)).to.equal(false)
  })

  it('copies an object of 64 MiB and more through a child process, and refuses it once corrupt', async () => {
    const bytes = Buffer.alloc(65 * 1024 * 1024)
    for (let i = 0; i < bytes.length; i += 4096) bytes.writeUInt32LE(i, i)
    const {v, object} = await store(bytes)
    const out = join(t.dir, 'out.bin')
    await writeBody(t.project.store, v, out)
    expect(readFileSync(out).equals(bytes)).to.equal(true)
    expect(statSync(out).mode & 0o777).to.equal(0o644)
    tamper(object, join(t.dir, 'times.ref'))
    const again = join(t.dir, 'again.bin')
    let error: unknown
    await writeBody(t.project.store, v, again).catch((e: unknown) => (error = e))
    expect(error).to.be.instanceOf(IntegrityError)
    expect(existsSync(again)).to.equal(false)
    expect(readFileSync(out).equals(bytes)).to.equal(true)
  })
})
