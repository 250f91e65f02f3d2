import {expect} from 'chai'
import {addRun, addVersion} from '../../helpers/runs.ts'
import {lode, tempProject} from '../../helpers/project.ts'

describe('runs compare (issue 13)', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  let a: string, b: string, c: string, d: string, e: string
  before(async () => {
    t = await tempProject()
    const s = t.project.store
    const input = {key: 'data', url: 'data.csv', path: '/x/data.csv', sha256: 'ab'.repeat(32), size: 3}
    a = addRun(s, {params: {model: 'tree', lr: 0.1}, results: {accuracy: 0.95}, inputs: {data: input}})
    b = addRun(s, {params: {model: 'tree', lr: 0.01}, results: {accuracy: 0.91}, inputs: {data: input}})
    c = addRun(s, {params: {model: 'linear', lr: 0.1}, results: {accuracy: 0.97}})
    d = addRun(s, {params: {note: '=1+2'}})
    e = addRun(s, {params: {constructor: 1, toString: 'x'}, results: {valueOf: 0.5}})
    addVersion(s, 'model', a, 'model-a')
    addVersion(s, 'model', b, 'model-b')
    addVersion(s, 'report', a, 'same')
    addVersion(s, 'report', b, 'same')
    t.project.close()
  })
  after(() => t.cleanup())
  const cmp = (...args: string[]) => lode(['runs', 'compare', ...args], {cwd: t.dir})

  it('puts differing values side by side and folds the same ones', () => {
    const r = cmp(a.slice(0, 10), b.slice(0, 10))
    expect(r.code, r.stderr).to.equal(0)
    const lines = r.stdout.split('\n')
    expect(lines.find((l) => l.includes('params.lr'))).to.match(/^≠ params\.lr\s+0\.1\s+0\.01\s*$/)
    expect(lines.find((l) => l.includes('results.accuracy'))).to.match(/0\.95\s+0\.91/)
    expect(lines.some((l) => l.includes('params.model') && l.startsWith('≠'))).to.equal(false)
    expect(r.stdout).to.match(/same in all: params\.model=tree, inputs\.data=sha256:abababab[ab]*…, outputs\.report=sha256:/)
    expect(r.stdout).to.include(`output model differs; see: lode artifacts diff model@${a.slice(0, 12)} model@${b.slice(0, 12)}`)
    expect(r.stdout).to.include('output report: the same bytes in both')
  })

  it('--json and --csv carry every field; --where picks the runs', () => {
    const j = JSON.parse(cmp('--where', 'params.lr == 0.1', '--json').stdout).data
    expect(j.runs.map((x: {uid: string}) => x.uid)).to.deep.equal([c, a])
    expect(j.rows.find((x: {key: string}) => x.key === 'model')).to.deep.include({section: 'params', values: ['linear', 'tree'], same: false})
    expect(j.rows.find((x: {key: string}) => x.key === 'lr')).to.deep.include({same: true})
    expect(j.rows.find((x: {key: string}) => x.key === 'data')).to.deep.include({section: 'inputs', values: [null, `sha256:${'ab'.repeat(32)}`], same: false})
    expect(j.outputs).to.have.length(0)
    const csv = cmp(a, b, c, '--csv').stdout.trim().split('\n')
    expect(csv[0]).to.equal(`field,same,${a},${b},${c}`)
    expect(csv).to.include('params.lr,false,0.1,0.01,0.1')
    expect(csv).to.include('params.model,false,tree,tree,linear')
    // a cell a spreadsheet would run as a formula is made inert, as in runs export
    expect(cmp(a, d, '--csv').stdout.split('\n')).to.include("params.note,false,,'=1+2")
  })

  it("compares keys named like an object's own members (constructor, toString) as any other", () => {
    const r = cmp(a, e, '--json')
    expect(r.code, r.stderr).to.equal(0)
    const rows = JSON.parse(r.stdout).data.rows
    expect(rows.find((x: {key: string}) => x.key === 'constructor')).to.deep.include({section: 'params', values: [null, 1], same: false})
    expect(rows.find((x: {key: string}) => x.key === 'toString')).to.deep.include({section: 'params', values: [null, 'x'], same: false})
    expect(rows.find((x: {key: string}) => x.key === 'valueOf')).to.deep.include({section: 'results', values: [null, 0.5], same: false})
    const text = cmp(e, a)
    expect(text.code, text.stderr).to.equal(0)
    expect(text.stdout.split('\n').find((l) => l.includes('params.constructor'))).to.match(/^≠ params\.constructor\s+1\s+-\s*$/)
  })

  it('refuses fewer than two runs, unknown uids and bad expressions', () => {
    expect(cmp(a).code).to.equal(2)
    expect(cmp(a, 'ffff0000').code).to.equal(4)
    const r = cmp('--where', 'params.lr ==', '--json')
    expect(r.code).to.equal(2)
    expect(JSON.parse(r.stdout).error.message).to.match(/expected a value after "=="/)
    expect(cmp(a, b, '--where', 'state == "x"').stderr).to.match(/not both/)
  })
})
