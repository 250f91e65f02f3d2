// Staged files are hashed while the handler still runs; what is stored is still what the file holds at the end, and a
// lode killed meanwhile leaves nothing the store counts as valid.
import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {isGone, json, lode, lodeAsync, tempProject, waitUntil} from '../../helpers/project.ts'
import {hashBytes} from '../../../src/lib/util/hash.ts'
import type {ArtifactVersion, RunEvent} from '../../../src/lib/types.ts'

const HANDLERS = `
import {statSync, utimesSync, writeFileSync, existsSync} from 'node:fs'
import {join} from 'node:path'
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** until the file's last change is more than 2.5 s old: lode's early pass over it has had its chance */
async function aged(f: string) {
  const changed = statSync(f).ctimeMs
  while (Date.now() < changed + 2500) await pause(50)
}
function write(f: string, text: string) {
  writeFileSync(f, text)
  utimesSync(f, 1_700_000_000, 1_700_000_000) // the same mtime for every content
}
export async function rewriteLate(ctx: any) {
  const f = join(ctx.artifactPath, 'data.bin')
  write(f, 'A'.repeat(4096))
  await ctx.logArtifact('data', {localPath: f})
  await aged(f)
  write(f, 'B'.repeat(4096))
}
export async function rewriteSoon(ctx: any) {
  const f = join(ctx.artifactPath, 'data.bin')
  write(f, 'A'.repeat(4096))
  await ctx.logArtifact('data', {localPath: f})
  write(f, 'B'.repeat(4096))
}
export async function twice(ctx: any) {
  const f = join(ctx.artifactPath, 'data.bin')
  write(f, 'A'.repeat(4096))
  await ctx.logArtifact('data', {localPath: f})
  await aged(f)
  write(f, 'B'.repeat(4096))
  await ctx.logArtifact('data', {localPath: f})
  const g = join(ctx.artifactPath, 'other.bin')
  write(g, 'C'.repeat(10))
  await ctx.logArtifact('other', {localPath: g})
  await aged(g)
  const h = join(ctx.artifactPath, 'third.bin')
  write(h, 'D'.repeat(10))
  await ctx.logArtifact('other', {localPath: h})
}
export async function ackOutside(ctx: any) {
  writeFileSync(join(ctx.artifactPath, '..', '..', '..', '..', 'src.txt'), 'outside')
  await ctx.logArtifact('k', {localPath: join(ctx.artifactPath, '..', '..', '..', '..', 'src.txt')}, {ack: join(ctx.artifactPath, '..', '..', '..', '..', 'ack')})
}
export async function hold(ctx: any) {
  const f = join(ctx.artifactPath, 'big.bin')
  writeFileSync(f, Buffer.alloc(8 * 1024 * 1024, 7))
  await ctx.logArtifact('big', {localPath: f})
  writeFileSync(join(ctx.artifactPath, '..', '..', '..', '..', 'logged'), String(process.pid))
  const deadline = Date.now() + 60_000
  while (!existsSync(join(ctx.artifactPath, '..', '..', '..', '..', 'release')) && Date.now() < deadline) await pause(20)
}
`

describe('executor: staged files hashed while the handler runs', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('early')
    t.write('h.ts', HANDLERS)
  })
  afterEach(() => t.cleanup())

  const stored = async (handler: string): Promise<Record<string, ArtifactVersion>> => {
    const events: RunEvent[] = []
    const run = await t.project.run('h.ts', {handler, onEvent: (e) => events.push(e)})
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    const out: Record<string, ArtifactVersion> = {}
    for (const e of events) if (e.t === 'ingested') out[e.artifact.key] = e.artifact
    return out
  }

  for (const when of ['Late', 'Soon'] as const) {
    it(`a staged file rewritten after it was logged (${when === 'Late' ? 'after lode hashed it' : 'at once'}), same size and mtime, is stored as it is at the end`, async () => {
      const v = (await stored(`rewrite${when}`)).data!
      expect(v.sha256).to.equal(hashBytes('B'.repeat(4096)))
      expect((await t.project.store.objects.readVerified(v.sha256)).toString()).to.equal('B'.repeat(4096))
    })
  }

  it('a key logged twice keeps the last, from the same path rewritten or from another path', async () => {
    const v = await stored('twice')
    expect(v.data!.sha256).to.equal(hashBytes('B'.repeat(4096)))
    expect(v.other!.sha256).to.equal(hashBytes('D'.repeat(10)))
    for (const x of Object.values(v)) expect(await t.project.store.objects.verify(x.sha256)).to.equal('ok')
  })

  it('an "ack" outside the staging area is refused with a warning: lode writes nothing there, and the file is logged as usual', async () => {
    const events: RunEvent[] = []
    const run = await t.project.run('h.ts', {handler: 'ackOutside', onEvent: (e) => events.push(e)})
    expect(run.state).to.equal('completed')
    expect(existsSync(join(t.dir, 'ack'))).to.equal(false)
    expect(run.warnings.join('\n')).to.contain('"ack" is for a file of kind artifact or plot, and must name a file of the staging area')
    const v = events.flatMap((e) => (e.t === 'ingested' ? [e.artifact] : []))
    expect(v.map((x) => x.sha256)).to.deep.equal([hashBytes('outside')])
  })

  it('lode killed -9 while it hashes a logged file early leaves no version and no object; artifacts gc has nothing to reclaim', async () => {
    const p = lodeAsync(['run', 'h.ts#hold'], {cwd: t.dir})
    const marker = join(t.dir, 'logged')
    expect(await waitUntil(() => existsSync(marker), 30_000), 'the handler logged its file').to.equal(true)
    const handlerPid = Number(readFileSync(marker, 'utf8'))
    // past the "too recent" second: lode's early pass over the file is under way or done
    const loggedAt = Date.now()
    await waitUntil(() => Date.now() > loggedAt + 1500, 5000)
    p.child.kill('SIGKILL')
    await p
    writeFileSync(join(t.dir, 'release'), '')
    expect(await isGone(handlerPid)).to.equal(true)
    const objects = join(t.dir, '.lode', 'objects', 'sha256')
    const count = () => (existsSync(objects) ? readdirSync(objects).flatMap((d) => readdirSync(join(objects, d))).length : 0)
    expect(count()).to.equal(0)
    expect(json(lode(['artifacts', 'ls', '--all-versions', '--json'], {cwd: t.dir})).data).to.deep.equal([])
    const gc = lode(['artifacts', 'gc', '--json'], {cwd: t.dir})
    expect(gc.code, gc.stderr).to.equal(0)
    expect(count()).to.equal(0)
  })
})
