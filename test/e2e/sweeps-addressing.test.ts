// A sweep's artifacts by address: KEY#iter and store://...#iter name an iteration's versions, KEY and the parent's
// outputs the best's; the parent stores iteration_results and a plot of the selector.
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, newProject, removeProject} from '../helpers/project.ts'

const HANDLER = `
export async function train(ctx, {a, tag}) {
  ctx.logResult('score', -Math.abs(a - 2))
  await ctx.logArtifact('model', {body: tag + ':' + a}, {format: 'txt'})
}
`

describe('sweeps: addressing iterations', function () {
  this.timeout(120_000)
  let dir: string
  before(() => {
    dir = newProject({'train.mjs': HANDLER})
  })
  after(() => removeProject(dir))

  const bytes = (ref: string) => {
    const out = join(dir, `got-${Math.random().toString(16).slice(2)}`)
    const r = lode(['artifacts', 'get', ref, '-o', out], {cwd: dir})
    expect(r.code, `${ref}: ${r.stderr}`).to.equal(0)
    return readFileSync(out, 'utf8')
  }

  it('KEY#iter, store://...#iter, KEY#iter@PARENT, KEY@PARENT, KEY and PARENT/KEY name the right versions', () => {
    const sweep = (tag: string) => json(lode(['run', 'train.mjs#train', '-p', `tag=${tag}`, '-x', 'a=[1,2,3]', '--selector', 'max.score', '--parallel', '1', '--json'], {cwd: dir})).data
    const first = sweep('one')
    const second = sweep('two')
    expect(second.hyper.best.iter).to.equal(2)
    // the newest sweep, by iteration; KEY and the parent's outputs are its best (#2), not the last to end (#3)
    expect(bytes('model#1')).to.equal('two:1')
    expect(bytes('model#3')).to.equal('two:3')
    expect(bytes('store://artifacts/p/model#3')).to.equal('two:3')
    expect(bytes('model')).to.equal('two:2')
    expect(bytes('model#0')).to.equal('two:2')
    expect(bytes(second.outputs.model)).to.equal('two:2')
    expect(bytes(`${second.uid.slice(0, 8)}/model`)).to.equal('two:2')
    // an older sweep, through its parent
    expect(bytes(`model#3@${first.uid.slice(0, 8)}`)).to.equal('one:3')
    expect(bytes(`model@${first.uid.slice(0, 8)}`)).to.equal('one:2')
    expect(bytes(first.outputs.model)).to.equal('one:2')
    const missing = lode(['artifacts', 'get', 'model#7', '-o', join(dir, 'none')], {cwd: dir})
    expect(missing.code).to.equal(4)
  })

  it('stores iteration_results (a row per iteration) and an SVG plot of the selector on the parent', () => {
    const d = json(lode(['run', 'train.mjs#train', '-p', 'tag=r', '-x', 'a=[1,2,3]', '--selector', 'max.score', '--json'], {cwd: dir})).data
    const csv = bytes(d.outputs.iteration_results).trim().split('\n')
    expect(csv[0]).to.equal('iter,state,param.a,result.score,duration_ms')
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).to.deep.equal(['1,completed,1,-1', '2,completed,2,0', '3,completed,3,-1'])
    const svg = bytes(d.outputs.iteration_plot)
    expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(svg).to.include('max.score against each hyperparam (best: #2)')
    expect((svg.match(/<circle /g) ?? []).length).to.equal(3)
  })
})
