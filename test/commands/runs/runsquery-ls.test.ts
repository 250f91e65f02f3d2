import {expect} from 'chai'
import {addRun} from '../../helpers/runs.ts'
import {lode, tempProject} from '../../helpers/project.ts'

describe('runs ls --where --sort --columns (issue 13)', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  const uids: Record<string, string> = {}
  before(async () => {
    t = await tempProject()
    uids.a = addRun(t.project.store, {params: {model: 'tree', lr: 0.1}, results: {accuracy: 0.95}, labels: {team: 'ml'}})
    uids.b = addRun(t.project.store, {params: {model: 'tree', lr: 0.01}, results: {accuracy: 0.91}})
    uids.c = addRun(t.project.store, {params: {model: 'linear', lr: 0.1}, results: {accuracy: 0.97}})
    uids.d = addRun(t.project.store, {params: {model: 'tree'}, results: {}, state: 'error'})
    uids.i2 = addRun(t.project.store, {parent: uids.c, iter: 2, results: {accuracy: 0.5}})
    uids.i1 = addRun(t.project.store, {parent: uids.c, iter: 1, results: {accuracy: 0.6}})
    t.project.close()
  })
  after(() => t.cleanup())

  const ls = (...args: string[]) => lode(['runs', 'ls', ...args], {cwd: t.dir})
  const uidsOf = (stdout: string) => (JSON.parse(stdout).data as {uid: string}[]).map((r) => Object.entries(uids).find(([, u]) => u === r.uid)?.[0])

  it('filters in the store and sorts by a JSON field, runs without it last', () => {
    const r = ls('--where', 'results.accuracy > 0.9 and params.model == "tree"', '--sort=-results.accuracy', '--json')
    expect(r.stderr).to.equal('')
    expect(uidsOf(r.stdout)).to.deep.equal(['a', 'b'])
    expect(uidsOf(ls('--sort', 'results.accuracy', '--json').stdout)).to.deep.equal(['i2', 'i1', 'b', 'a', 'c', 'd'])
    expect(uidsOf(ls('--where', '(not (params.model == "tree") or labels.team == "ml") and parent == null', '--json').stdout)).to.deep.equal(['c', 'a'])
    expect(uidsOf(ls('--where', 'params.lr == null', '--state', 'error', '--json').stdout)).to.deep.equal(['d'])
  })

  it('--parent lists the runs a run made, in iteration order', () => {
    expect(uidsOf(ls('--parent', uids.c!.slice(0, 10), '--json').stdout)).to.deep.equal(['i1', 'i2'])
    expect(uidsOf(ls('--parent', uids.c!, '--sort', '-results.accuracy', '--json').stdout)).to.deep.equal(['i1', 'i2'])
    expect(uidsOf(ls('--where', 'iter >= 2', '--json').stdout)).to.deep.equal(['i2'])
    expect(ls('--parent', 'zz').code).to.equal(2)
    expect(ls('--parent', uids.a!).stdout.trim()).to.equal('No runs match these filters.')
  })

  it('adds --columns to the table', () => {
    const r = ls('--where', 'params.lr >= 0.1', '--sort', 'results.accuracy', '--columns', 'params.lr,results.accuracy')
    expect(r.code).to.equal(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).to.match(/PARAMS\.LR\s+RESULTS\.ACCURACY$/)
    expect(lines[1]).to.match(/0\.1\s+0\.95$/)
    expect(lines[2]).to.match(/0\.1\s+0\.97$/)
    expect(lines).to.have.length(3)
    expect(ls('--where', 'results.accuracy > 2').stdout.trim()).to.equal('No runs match these filters.')
  })

  it('refuses a malformed or hostile expression with exit 2 and the column', () => {
    const r = ls('--where', 'results.accuracy >> 0.9')
    expect(r.code).to.equal(2)
    expect(r.stderr).to.match(/--where: expected a value after ">", found ">" \(column 19\)/)
    const j = ls('--where', "state == 'x' or 1; DROP TABLE runs", '--json')
    expect(j.code).to.equal(2)
    expect(JSON.parse(j.stdout).error.message).to.match(/column/)
    expect(ls('--where', '('.repeat(5000)).code).to.equal(2)
    expect(ls('--sort', 'results.', '--json').code).to.equal(2)
    expect(ls('--columns', 'bogus').stderr).to.match(/unknown field "bogus"/)
    // the store is intact
    expect(uidsOf(ls('--json').stdout)).to.have.length(6)
  })
})
