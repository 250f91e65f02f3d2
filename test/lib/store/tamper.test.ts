// Stored bytes rewritten in place, as an attacker would (root ignores the read-only mode; the size and the
// modification time are put back): no run may be handed them, and a run that does it to its own input fails.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {chmodSync, existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {tempProject} from '../../helpers/project.ts'
import {IntegrityError} from '../../../src/lib/errors.ts'

const HANDLERS = `
import {chmodSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {execFileSync} from 'node:child_process'
export async function make(ctx) {
  await ctx.logArtifact('blob', {body: 'A'.repeat(4096)})
}
export async function makeDir(ctx) {
  const {mkdirSync} = await import('node:fs')
  mkdirSync('tree/sub', {recursive: true})
  writeFileSync('tree/sub/a.txt', 'A'.repeat(4096))
  writeFileSync('tree/b.txt', 'b')
  await ctx.logArtifact('tree', {localPath: 'tree'})
}
export async function readDir(ctx, {data}) {
  ctx.logResult('head', readFileSync(data.localPath() + '/sub/a.txt', 'utf8').slice(0, 4))
}
export async function slow(ctx, {data}) {
  // the test changes the input while this waits for its signal file
  writeFileSync('waiting', '')
  const {existsSync} = await import('node:fs')
  while (!existsSync('go')) await new Promise((r) => setTimeout(r, 20))
}
export async function read(ctx, {data}) {
  ctx.logResult('head', readFileSync(data.localPath(), 'utf8').slice(0, 4))
}
export async function rewrite(ctx, {data}) {
  const path = data.localPath()
  const st = statSync(path)
  execFileSync('touch', ['-r', path, 'times.ref'])
  chmodSync(path, 0o644)
  writeFileSync(path, 'B'.repeat(st.size))
  chmodSync(path, st.mode)
  execFileSync('touch', ['-r', 'times.ref', path])
}
`

/** Rewrite a file in place with other bytes of the same size, then restore its mode and times (touch -d). */
function tamper(path: string, ref: string): void {
  const st = statSync(path, {bigint: true})
  execFileSync('touch', ['-r', path, ref])
  chmodSync(path, 0o644)
  writeFileSync(path, 'C'.repeat(Number(st.size)))
  chmodSync(path, Number(st.mode))
  execFileSync('touch', ['-r', ref, path])
  const after = statSync(path, {bigint: true})
  expect([after.size, after.mtimeNs, after.ino]).to.deep.equal([st.size, st.mtimeNs, st.ino])
}

/** Wait until the store remembers the object's hash (files changed within the last second are rehashed each time). */
async function remembered(t: Awaited<ReturnType<typeof tempProject>>, path: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!t.project.store.db.get('SELECT 1 FROM file_hashes WHERE path = ?', path)) {
    if (Date.now() > deadline) throw new Error(`the hash of ${path} was never remembered`)
    await t.project.store.hashInputFile(path)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('store: bytes changed behind lode', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('tamper')
    t.write('h.ts', HANDLERS)
  })
  afterEach(() => t.cleanup())

  it('refuses to hand a run a stored object rewritten in place with its size and mtime restored', async () => {
    const made = await t.project.run('h.ts', {handler: 'make'})
    expect(made.state).to.equal('completed')
    const first = await t.project.run('h.ts', {handler: 'read', inputs: {data: 'blob'}})
    expect(first.results.head).to.equal('AAAA')
    const v = t.project.store.artifacts.resolve({key: 'blob'})
    const path = t.project.store.objects.path(v.sha256)
    await remembered(t, path)
    tamper(path, join(t.dir, 'times.ref'))
    let error: unknown
    try {
      const r = await t.project.run('h.ts', {handler: 'read', inputs: {data: 'blob'}})
      error = new Error(`the run was handed the tampered bytes: ${r.state} ${JSON.stringify(r.results)}`)
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(IntegrityError)
    expect((error as Error).message).to.contain('Input "data"').and.contain('no longer match their sha256')
    expect(readFileSync(path, 'utf8').slice(0, 1)).to.equal('C')
  })

  it('fails a run whose handler rewrites its input in place and restores its size and mtime', async () => {
    await t.project.run('h.ts', {handler: 'make'})
    await remembered(t, t.project.store.objects.path(t.project.store.artifacts.resolve({key: 'blob'}).sha256))
    const r = await t.project.run('h.ts', {handler: 'rewrite', inputs: {data: 'blob'}})
    expect(r.state).to.equal('error')
    expect(r.error?.message).to.contain('wrote into its input data')
  })

  it('refuses to hand a run a folder artifact one of whose files was rewritten in place', async () => {
    expect((await t.project.run('h.ts', {handler: 'makeDir'})).state).to.equal('completed')
    const v = t.project.store.artifacts.resolve({key: 'tree'})
    const files = v.meta?.files ?? (await t.project.store.objects.readManifest(v.sha256))
    const object = t.project.store.objects.path(files.find((f) => f.path === 'sub/a.txt')!.sha256)
    expect((await t.project.run('h.ts', {handler: 'readDir', inputs: {data: 'tree'}})).results.head).to.equal('AAAA')
    await remembered(t, object)
    tamper(object, join(t.dir, 'times.ref'))
    let error: unknown
    try {
      const r = await t.project.run('h.ts', {handler: 'readDir', inputs: {data: 'tree'}})
      error = new Error(`the run was handed the tampered bytes: ${r.state} ${JSON.stringify(r.results)}`)
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(IntegrityError)
    expect((error as Error).message).to.contain('Input "data"').and.contain('sub/a.txt').and.contain('no longer match their sha256')
  })

  it('fails a run whose local input file changed while it ran, naming the input', async () => {
    const input = join(t.dir, 'local.txt')
    writeFileSync(input, 'L'.repeat(4096))
    await remembered(t, input)
    const running = t.project.run('h.ts', {handler: 'slow', inputs: {data: input}})
    const deadline = Date.now() + 30_000
    while (!existsSync(join(t.dir, 'waiting'))) {
      if (Date.now() > deadline) throw new Error('the handler never started')
      await new Promise((r) => setTimeout(r, 20))
    }
    tamper(input, join(t.dir, 'times.ref'))
    writeFileSync(join(t.dir, 'go'), '')
    const r = await running
    expect(r.state).to.equal('error')
    expect(r.error?.message).to.contain('input data changed while the run ran')
  })
})
