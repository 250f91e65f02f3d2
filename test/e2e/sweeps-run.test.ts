// `lode run` with hyperparams, end to end: the grid and its best, list and random strategies, and refused input.
import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../../src/lib/project/project.ts'
import {json, lode, newProject, removeProject} from '../helpers/project.ts'

const HANDLER = `
export async function train(ctx, {a, b}) {
  ctx.logResult('score', a * 10 + b)
  ctx.logResult('loss', Math.abs(a - 2) + Math.abs(b - 1))
  await ctx.logArtifact('model', {body: 'a=' + a + ' b=' + b}, {format: 'txt'})
}
`

describe('sweeps: lode run --hyperparam', function () {
  this.timeout(120_000)
  let dir: string
  before(() => {
    dir = newProject({'train.mjs': HANDLER})
  })
  after(() => removeProject(dir))

  it('a 3x3 grid picks the best by max. and by min., and the parent takes its results and artifact versions', async () => {
    const max = json(lode(['run', 'train.mjs#train', '-x', 'a=[1,2,3]', '-x', 'b=[1,2,3]', '--selector', 'max.score', '--parallel', '2', '--json'], {cwd: dir}))
    expect(max.ok).to.equal(true)
    expect(max.data.iterations).to.have.length(9)
    expect(max.data.iterations.map((i: any) => i.state)).to.deep.equal(Array(9).fill('completed'))
    expect(max.data.iterations[0].params).to.deep.equal({a: 1, b: 1})
    expect(max.data.iterations[8].params).to.deep.equal({a: 3, b: 3})
    expect(max.data.hyper.best).to.include({iter: 9, value: 33})
    expect(max.data.results).to.include({score: 33, loss: 3, best_iteration: 9})

    const min = json(lode(['run', 'train.mjs#train', '-x', 'a=[1,2,3]', '-x', 'b=[1,2,3]', '--selector', 'min.loss', '--json'], {cwd: dir}))
    expect(min.data.hyper.best).to.include({iter: 4, value: 0})
    expect(min.data.hyper.options).to.include({strategy: 'grid'})
    const best = min.data.iterations[3]
    expect(best.params).to.deep.equal({a: 2, b: 1})
    expect(min.data.outputs.model).to.equal(`store://artifacts/p/model#4@${best.uid}`)
    expect(min.data.outputs.iteration_results).to.match(/^store:\/\/datasets\/p\/iteration_results@/)

    const project = await Project.open(dir)
    try {
      const children = project.store.runs.list({parent: min.data.uid, limit: 100})
      expect(children.map((c) => c.iter)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9])
      expect(children.every((c) => c.parent === min.data.uid && c.state === 'completed')).to.equal(true)
      expect(project.store.hyper.get(min.data.uid)!.best!.uid).to.equal(best.uid)
      // `model` (latest) is the best iteration's version, whatever iteration ended last
      expect(project.store.artifacts.resolve({key: 'model'}).producer).to.equal(best.uid)
      expect(project.store.artifacts.resolve({key: 'model'}).iter).to.equal(4)
    } finally {
      project.close()
    }
  })

  it('refuses a list strategy of unequal lengths, and a param given both ways, before anything runs (exit 2)', () => {
    const before = json(lode(['runs', 'ls', '--json', '--limit', '1000'], {cwd: dir})).data.length
    const list = lode(['run', 'train.mjs#train', '-x', 'a=[1,2,3]', '-x', 'b=[1,2]', '--strategy', 'list'], {cwd: dir})
    expect(list.code).to.equal(2)
    expect(list.stderr).to.include('every list must be as long: a: 3, b: 2')
    const both = lode(['run', 'train.mjs#train', '-x', 'a=[1,2]', '-p', 'a=3', '-p', 'b=1'], {cwd: dir})
    expect(both.code).to.equal(2)
    expect(both.stderr).to.include('"a" given both as a param and as a hyperparam')
    const notList = lode(['run', 'train.mjs#train', '-x', 'a=3'], {cwd: dir})
    expect(notList.code).to.equal(2)
    expect(notList.stderr).to.include('needs a non-empty list')
    const stray = lode(['run', 'train.mjs#train', '-p', 'a=1', '-p', 'b=1', '--selector', 'max.score'], {cwd: dir})
    expect(stray.code).to.equal(2)
    expect(stray.stderr).to.include('--selector applies to hyperparameter runs only')
    expect(json(lode(['runs', 'ls', '--json', '--limit', '1000'], {cwd: dir})).data.length).to.equal(before)
  })

  it('a list strategy takes the i-th values; a random one with a seed repeats, and records the seed', () => {
    const list = json(lode(['run', 'train.mjs#train', '-x', 'a=[1,2,3]', '-x', 'b=[3,2,1]', '--strategy', 'list', '--json'], {cwd: dir}))
    expect(list.data.iterations.map((i: any) => i.params)).to.deep.equal([{a: 1, b: 3}, {a: 2, b: 2}, {a: 3, b: 1}])
    const args = ['run', 'train.mjs#train', '-x', 'a=[1,2,3,4,5,6,7,8,9]', '-x', 'b=[1,2,3,4,5,6,7,8,9]', '--strategy', 'random', '--max-iterations', '4', '--seed', '42', '--json']
    const one = json(lode(args, {cwd: dir}))
    const two = json(lode(args, {cwd: dir}))
    expect(one.data.hyper.options).to.include({seed: 42, maxIterations: 4, strategy: 'random'})
    expect(one.data.iterations).to.have.length(4)
    expect(two.data.iterations.map((i: any) => i.params)).to.deep.equal(one.data.iterations.map((i: any) => i.params))
    const distinct = new Set(one.data.iterations.map((i: any) => JSON.stringify(i.params)))
    expect(distinct.size).to.be.greaterThan(1)
  })

  it('reads --hyper-file: YAML as a grid, CSV as a list (a line per iteration); a broken one is refused', () => {
    writeFileSync(join(dir, 'grid.yaml'), 'a: [1, 2]\nb: [5]\n')
    writeFileSync(join(dir, 'rows.csv'), 'a,b\n1,9\n3,"7"\n')
    const grid = json(lode(['run', 'train.mjs#train', '--hyper-file', 'grid.yaml', '--json'], {cwd: dir}))
    expect(grid.data.iterations.map((i: any) => i.params)).to.deep.equal([{a: 1, b: 5}, {a: 2, b: 5}])
    const rows = json(lode(['run', 'train.mjs#train', '--hyper-file', 'rows.csv', '--json'], {cwd: dir}))
    expect(rows.data.hyper.options.strategy).to.equal('list')
    expect(rows.data.iterations.map((i: any) => i.params)).to.deep.equal([{a: 1, b: 9}, {a: 3, b: 7}])
    writeFileSync(join(dir, 'bad.yaml'), 'a: 3\n')
    const bad = lode(['run', 'train.mjs#train', '--hyper-file', 'bad.yaml'], {cwd: dir})
    expect(bad.code).to.equal(2)
    expect(bad.stderr).to.include('Hyperparam "a" needs a non-empty list')
    const missing = lode(['run', 'train.mjs#train', '--hyper-file', 'nope.csv'], {cwd: dir})
    expect(missing.code).to.equal(4)
  })
})
