// Sweeps as a user would try them (issue 13): what a rerun records, and hyper-files with mistakes in them.
import {expect} from 'chai'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempDir} from '../helpers/project.ts'

const HANDLER = `
export async function train(ctx, {a, b = 0}) {
  ctx.logResult('score', Number(a) * 10 + Number(b))
}
`

describe('trial 13: sweeps', function () {
  this.timeout(120_000)
  let dir: string
  before(() => {
    const root = tempDir()
    lode(['init', 'p'], {cwd: root})
    dir = join(root, 'p')
    writeFileSync(join(dir, 'train.mjs'), HANDLER)
  })
  after(() => rmSync(join(dir, '..'), {recursive: true, force: true}))

  it('a rerun sweep whose first iteration is reused is recorded as starting when it started, not when that run did', () => {
    writeFileSync(join(dir, 'wf.yaml'), 'steps:\n  train:\n    function: train.mjs\n    handler: train\n    hyperparams: {a: [1, 2]}\n    hyper_options: {parallel_runs: 1}\n')
    const step = () => {
      const r = lode(['workflow', 'run', 'wf.yaml', '--json'], {cwd: dir})
      expect(r.code, r.stderr).to.equal(0)
      return json(lode(['runs', 'get', json(r).data.steps[0].run, '--json'], {cwd: dir})).data
    }
    const old = step()
    writeFileSync(join(dir, 'wf.yaml'), readFileSync(join(dir, 'wf.yaml'), 'utf8').replace('[1, 2]', '[1, 2, 3]'))
    const again = step()
    expect(again.iterations[0].cached).to.equal(true)
    expect(again.created).to.be.at.least(old.ended)
    expect(again.started).to.be.at.least(old.ended)
    const parents = json(lode(['runs', 'ls', '--where', 'iter == null', '--sort', '-created', '--json'], {cwd: dir})).data
    expect((parents.runs ?? parents).map((r: {uid: string}) => r.uid).slice(0, 2)).to.deep.equal([again.uid, old.uid])
  })
})
