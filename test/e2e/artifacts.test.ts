// Artifacts through the real CLI: kinds, get byte for byte, previews, tags, lineage, diff, rm, verify, gc.
import {expect} from 'chai'
import {chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, lodeAsync, tempDir, waitUntil} from '../helpers/project.ts'

/** Whether process `pid` has a file whose path ends with `suffix` open (Linux /proc). */
function hasOpen(pid: number, suffix: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).endsWith(suffix)
      } catch {
        return false
      }
    })
  } catch {
    return false
  }
}

const HANDLERS = `
import type {Context, DataItem} from 'lode'
import pl from 'nodejs-polars'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

export async function make(ctx: Context, {rows = 100, shift = 0}: {rows?: number; shift?: number}) {
  const df = pl.DataFrame({x: Array.from({length: rows}, (_, i) => i + shift), name: Array.from({length: rows}, (_, i) => 'n' + (i % 7))})
  await ctx.logDataset('table', df, {format: 'parquet'})
  await ctx.logDataset('from-csv', {localPath: 'raw.csv'}, {format: 'csv'})
  await ctx.logModel('model', {body: 'weights-' + shift, modelFile: 'model.bin', framework: 'test', algorithm: 'Fake',
    metrics: {accuracy: 0.5 + shift / 100}, parameters: {depth: 3 + shift}, extraData: {'notes.txt': new TextEncoder().encode('extra')}})
  await ctx.logPlot('plot', {body: '<svg xmlns="http://www.w3.org/2000/svg"></svg>'})
  const dir = join(ctx.artifactPath, 'tree')
  mkdirSync(join(dir, 'sub'), {recursive: true})
  writeFileSync(join(dir, 'a.txt'), 'a' + shift)
  writeFileSync(join(dir, 'sub', 'b.txt'), 'b')
  await ctx.logArtifact('tree', {localPath: dir})
  await ctx.logArtifact('blob', {localPath: 'blob.bin'})
}

export async function consume(ctx: Context, {table, model}: {table: DataItem; model: DataItem}) {
  const df = await table.asDf()
  ctx.logResult('rows', df.height)
  ctx.logResult('modelFiles', (await import('node:fs')).readdirSync(model.localPath()).sort().join(','))
  await ctx.logArtifact('summary', {body: 'rows ' + df.height})
}
`

describe('e2e: artifacts', function () {
  this.timeout(180_000)
  let dir: string
  let first: any
  let second: any
  const run = (args: string[]) => lode(args, {cwd: dir})
  before(() => {
    dir = tempDir('lode-e2e-art-')
    run(['init', '--name', 'art'])
    writeFileSync(join(dir, 'h.ts'), HANDLERS)
    writeFileSync(join(dir, 'raw.csv'), 'a,b\n1,x\n2,y\n3,\n')
    const blob = Buffer.alloc(300_000)
    for (let i = 0; i < blob.length; i++) blob[i] = (i * 7919) % 251
    writeFileSync(join(dir, 'blob.bin'), blob)
    first = json(run(['run', 'h.ts#make', '--json']))
    expect(first.data.state, JSON.stringify(first.data.error)).to.equal('completed')
    second = json(run(['run', 'h.ts#make', '-p', 'shift=5', '-p', 'rows=80', '--json']))
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('lists every kind with versions, tags and producers', () => {
    const ls = json(run(['artifacts', 'ls', '--json'])).data as any[]
    expect(ls.map((v) => `${v.key}:${v.kind}:v${v.version}`).sort()).to.deep.equal(
      ['blob:artifact:v2', 'from-csv:dataset:v2', 'model:model:v2', 'plot:plot:v2', 'table:dataset:v2', 'tree:dir:v2'])
    expect(json(run(['artifacts', 'ls', '--kind', 'dataset', '--all-versions', '--json'])).data).to.have.length(4)
    expect(json(run(['artifacts', 'ls', 't*', '--json'])).data.map((v: any) => v.key).sort()).to.deep.equal(['table', 'tree'])
    expect(json(run(['artifacts', 'ls', '--producer', first.data.uid.slice(0, 8), '--json'])).data, 'a producer filter lists what it logged, latest or not').to.have.length(6)
    expect(json(run(['artifacts', 'ls', '--producer', first.data.uid.slice(0, 8), '--all-versions', '--json'])).data).to.have.length(6)
    expect(run(['artifacts', 'ls', '--since', 'soon']).code).to.equal(2)
  })

  it('gets bodies byte for byte, directories as directories', () => {
    const out = join(dir, 'out')
    run(['artifacts', 'get', 'blob', '-o', join(out, 'blob.bin')])
    expect(readFileSync(join(out, 'blob.bin')).equals(readFileSync(join(dir, 'blob.bin')))).to.equal(true)
    run(['artifacts', 'get', 'tree:v1', '-o', join(out, 'tree')])
    expect(readFileSync(join(out, 'tree', 'a.txt'), 'utf8')).to.equal('a0')
    expect(readFileSync(join(out, 'tree', 'sub', 'b.txt'), 'utf8')).to.equal('b')
    run(['artifacts', 'get', 'model', '-o', join(out, 'model')])
    expect(readdirSync(join(out, 'model')).sort()).to.deep.equal(['model.bin', 'model.yaml', 'notes.txt'])
    expect(readFileSync(join(out, 'model', 'model.yaml'), 'utf8')).to.contain('framework: test').and.contain('accuracy: 0.55')
    expect(run(['artifacts', 'get', 'plot', '-o', '-']).stdout).to.contain('<svg')
  })

  it('records dataset schema, statistics and a preview, from frames and from CSV', () => {
    const meta = json(run(['artifacts', 'get', 'table:v1', '--json'])).data.artifact.meta.dataset
    expect(meta.rows).to.equal(100)
    expect(meta.schema).to.deep.equal([{name: 'x', dtype: 'Float64'}, {name: 'name', dtype: 'String'}])
    const x = meta.stats.find((s: any) => s.name === 'x')
    expect(x).to.include({count: 100, nulls: 0, min: 0, max: 99, mean: 49.5})
    expect(x.histogram.counts.reduce((a: number, b: number) => a + b, 0)).to.equal(100)
    expect(meta.stats.find((s: any) => s.name === 'name').distinct).to.equal(7)
    const csv = json(run(['artifacts', 'get', 'from-csv:v1', '--json'])).data.artifact
    expect(csv.format).to.equal('csv')
    expect(csv.meta.dataset.stats.find((s: any) => s.name === 'b').nulls).to.equal(1)
    const preview = run(['artifacts', 'get', 'table', '--preview', '3'])
    expect(preview.stdout.split('\n').slice(0, 4).join('\n')).to.match(/x\s+name\n5\s+n0\n6\s+n1\n7\s+n2/)
    const human = run(['artifacts', 'get', 'table', '--meta'])
    expect(human.stdout).to.contain('80 rows').and.match(/[▁▂▃▄▅▆▇█]/)
  })

  it('feeds store:// and KEY:TAG inputs to a second run, with lineage both ways', () => {
    run(['artifacts', 'tag', `table@${first.data.uid.slice(0, 8)}`, 'gold'])
    const c = json(run(['run', 'h.ts#consume', '-i', 'table=table:gold', '-i', `model=${second.data.outputs.model}`, '--json']))
    expect(c.data.state, JSON.stringify(c.data.error)).to.equal('completed')
    expect(c.data.results).to.deep.equal({rows: 100, modelFiles: 'model.bin,model.yaml,notes.txt'})
    const down = json(run(['artifacts', 'lineage', 'table:gold', '--json'])).data
    expect(down.downstream.map((n: any) => n.artifact.key)).to.deep.equal(['summary'])
    const up = json(run(['artifacts', 'lineage', 'summary', '--json'])).data
    expect(up.upstream.map((n: any) => n.artifact.key).sort()).to.deep.equal(['model', 'table'])
    expect(run(['artifacts', 'lineage', 'summary']).stdout).to.contain('upstream').and.contain('table v1')
  })

  it('diffs two dataset versions and two model versions', () => {
    const d = run(['artifacts', 'diff', 'table:v1', 'table:v2'])
    expect(d.code).to.equal(0)
    expect(d.stdout).to.contain('100 -> 80')
    const m = json(run(['artifacts', 'diff', 'model:v1', 'model:v2', '--json'])).data
    expect(JSON.stringify(m.diff)).to.contain('accuracy').and.contain('depth')
    expect(run(['artifacts', 'diff', 'tree:v1', 'tree:v2']).stdout).to.contain('a.txt')
  })

  it('protects tagged versions from rm unless forced, and keeps bytes other versions need', () => {
    const kept = run(['artifacts', 'rm', 'table:gold'])
    expect(kept.stderr).to.contain('tagged gold')
    expect(json(run(['artifacts', 'ls', 'table', '--all-versions', '--json'])).data).to.have.length(2)
    const forced = json(run(['artifacts', 'rm', 'table:gold', '--force', '--json'])).data
    expect(forced.removed).to.have.length(1)
    expect(run(['artifacts', 'get', 'table:gold']).code).to.equal(4)
    expect(run(['artifacts', 'get', 'table']).code).to.equal(0)
  })

  it('finds a flipped byte with verify, and get refuses the corrupt bytes', () => {
    const v = json(run(['artifacts', 'get', 'blob:v1', '--json'])).data.artifact
    const path = join(dir, '.lode', 'objects', 'sha256', v.sha256.slice(0, 2), v.sha256.slice(2))
    chmodSync(path, 0o644)
    const bytes = readFileSync(path)
    bytes[1000] = bytes[1000]! ^ 1
    writeFileSync(path, bytes)
    const verify = run(['artifacts', 'verify'])
    expect(verify.code).to.equal(5)
    expect(verify.stdout).to.contain('CORRUPT').and.contain('blob v1')
    const verifyJson = json(run(['artifacts', 'verify', '--json']))
    expect(verifyJson.ok).to.equal(false)
    expect(verifyJson.error).to.include({code: 'integrity', exitCode: 5})
    expect(verifyJson.error.details.problems[0]).to.include({status: 'corrupt', sha256: v.sha256})
    const get = run(['artifacts', 'get', 'blob:v1', '-o', join(dir, 'bad.bin')])
    expect(get.code).to.equal(5)
    const asInput = run(['run', 'h.ts#consume', '-i', 'table=blob:v1', '-i', 'model=model'])
    expect(asInput.code, 'a corrupt input is refused before the run').to.equal(5)
    expect(asInput.stderr).to.contain('no longer match their sha256')
    expect(existsSync(join(dir, 'bad.bin'))).to.equal(false)
    // both versions hold the same bytes: the object goes only when no version references it
    run(['artifacts', 'rm', 'blob:v1', '--force'])
    expect(run(['artifacts', 'verify']).code).to.equal(5)
    run(['artifacts', 'rm', 'blob', '--all', '--force'])
    expect(run(['artifacts', 'verify']).code).to.equal(0)
  })

  it('fails a run that writes into its input, which is stored bytes', () => {
    writeFileSync(join(dir, 'writer.ts'), `
      import {appendFileSync, chmodSync} from 'node:fs'
      export async function handler(ctx, {data}) {
        chmodSync(data.localPath(), 0o644)
        appendFileSync(data.localPath(), 'oops')
      }`)
    const r = json(run(['run', 'writer.ts', '-i', 'data=summary', '--json']))
    expect(r.error.details.run.state).to.equal('error')
    expect(r.error.details.run.error.message).to.contain('wrote into its input data')
    expect(run(['artifacts', 'verify', 'summary']).code).to.equal(5)
    run(['artifacts', 'rm', 'summary', '--all', '--force'])
    expect(run(['artifacts', 'verify']).code).to.equal(0)
  })

  it('rejects malformed URIs, unknown keys and unknown tags with clear messages', () => {
    const bad = run(['artifacts', 'get', 'store://nope/x/y'])
    expect(bad.code).to.equal(2)
    expect(bad.stderr).to.contain('Unknown store URI category "nope"')
    expect(run(['artifacts', 'get', 'store://datasets/other/table']).stderr).to.contain('belongs to project "other"')
    const unknown = run(['artifacts', 'get', 'nothing'])
    expect(unknown.code).to.equal(4)
    expect(unknown.stderr).to.contain('No artifact with key "nothing"').and.contain('lode artifacts ls')
    expect(run(['artifacts', 'get', 'table:silver']).stderr).to.contain('no version tagged "silver"')
    expect(run(['artifacts', 'get', '../etc/passwd']).stderr).to.contain('Invalid artifact key')
  })

  it('leaves a consistent store after lode is killed -9 while ingesting; verify and gc clean up', async () => {
    writeFileSync(join(dir, 'big.ts'), `
      import {openSync, writeSync, closeSync} from 'node:fs'
      import {join} from 'node:path'
      export async function handler(ctx) {
        const path = join(ctx.artifactPath, 'big.bin')
        const fd = openSync(path, 'w')
        const chunk = Buffer.alloc(1 << 20, 7)
        for (let i = 0; i < 400; i++) { chunk.writeUInt32LE(i, 0); writeSync(fd, chunk) }
        closeSync(fd)
        await ctx.logArtifact('big', {localPath: path})
      }`)
    const p = lodeAsync(['run', 'big.ts', '--events', 'ndjson'], {cwd: dir})
    // killed while it reads the 400 MB file to store it: wait for that state, not for a fixed time
    const reading = await waitUntil(() => hasOpen(p.child.pid!, '/big.bin'), 30_000, 2)
    p.child.kill('SIGKILL')
    expect(reading, 'lode opened big.bin to store it').to.equal(true)
    await p
    expect(run(['artifacts', 'verify']).code).to.equal(0)
    expect(run(['artifacts', 'get', 'big']).code).to.equal(4)
    const gc = json(run(['artifacts', 'gc', '--json'])).data
    expect(gc.tempRemoved.length).to.be.greaterThan(0)
    expect(run(['artifacts', 'verify']).code).to.equal(0)
    expect(readdirSync(join(dir, '.lode', 'tmp'))).to.deep.equal([])
  })

  it('gc --keep-last keeps tagged versions and versions runs read', () => {
    for (let i = 0; i < 3; i++) run(['run', 'h.ts#make', '-p', `shift=${10 + i}`])
    const before = json(run(['artifacts', 'ls', 'plot', '--all-versions', '--json'])).data.length
    const dry = json(run(['artifacts', 'gc', '--keep-last', '1', '--dry-run', '--json'])).data
    expect(dry.versionsRemoved.length).to.be.greaterThan(0)
    expect(json(run(['artifacts', 'ls', 'plot', '--all-versions', '--json'])).data.length).to.equal(before)
    const real = json(run(['artifacts', 'gc', '--keep-last', '1', '--json'])).data
    // the removed versions' bytes were written minutes ago: kept for the hour an ingestion may take, and said so
    expect(real.objectsKept).to.be.greaterThan(0)
    expect(run(['artifacts', 'gc']).stderr).to.match(/objects? (was|were) written in the last hour and kept/)
    expect(json(run(['artifacts', 'ls', 'plot', '--all-versions', '--json'])).data.length).to.equal(1)
    const models = json(run(['artifacts', 'ls', 'model', '--all-versions', '--json'])).data.map((v: any) => v.version)
    expect(models).to.include(2) // read by the consume run
    mkdirSync(join(dir, 'x'), {recursive: true})
    expect(run(['artifacts', 'verify']).code).to.equal(0)
  })
})
