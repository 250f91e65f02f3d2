import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import pl from 'nodejs-polars'
import {addRun} from '../../helpers/runs.ts'
import {lode, tempProject} from '../../helpers/project.ts'

describe('runs export (issue 13)', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  let a: string, b: string
  before(async () => {
    t = await tempProject()
    const s = t.project.store
    a = addRun(s, {name: 'one', params: {model: 'tree', lr: 0.1, layers: [2, 3]}, results: {accuracy: 0.95, ok: true}, labels: {team: 'ml'}})
    b = addRun(s, {name: 'two, "quoted"', params: {model: 'linear', lr: 0.01}, results: {accuracy: 0.91}})
    addRun(s, {name: 'three', params: {model: 'svm'}, state: 'error'})
    t.project.close()
  })
  after(() => t.cleanup())
  const ex = (...args: string[]) => lode(['runs', 'export', ...args], {cwd: t.dir})

  it('writes CSV with params.* and results.* as columns', () => {
    const r = ex('--where', 'results.accuracy > 0.5', '-o', 'runs.csv')
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.match(/Wrote 2 runs/)
    const lines = readFileSync(join(t.dir, 'runs.csv'), 'utf8').trim().split('\n')
    expect(lines[0]).to.equal('uid,name,state,kind,function,handler,created,started,ended,duration_ms,params.layers,params.lr,params.model,results.accuracy,results.ok,labels.team')
    expect(lines[1]).to.match(new RegExp(`^${b},"two, ""quoted""",completed,.*,500,,0\\.01,linear,0\\.91,,$`))
    expect(lines[2]).to.match(new RegExp(`^${a},one,completed,.*,"\\[2,3\\]",0\\.1,tree,0\\.95,true,ml$`))
  })

  it('writes NDJSON and Parquet with the same rows', () => {
    expect(ex('-o', 'runs.ndjson').code).to.equal(0)
    const rows = readFileSync(join(t.dir, 'runs.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(rows.map((x) => x.name)).to.deep.equal(['three', 'two, "quoted"', 'one'])
    expect(rows[2]).to.deep.include({'params.lr': 0.1, 'results.ok': true, 'params.layers': '[2,3]', 'results.accuracy': 0.95})
    expect(rows[0]['results.accuracy']).to.equal(null)
    const r = ex('-o', 'runs.parquet', '--json')
    expect(r.code, r.stderr).to.equal(0)
    expect(JSON.parse(r.stdout).data).to.deep.include({format: 'parquet', rows: 3})
    const df = pl.readParquet(join(t.dir, 'runs.parquet'))
    expect(df.height).to.equal(3)
    expect(df.getColumn('params.lr').dtype.equals(pl.Float64)).to.equal(true)
    expect(df.getColumn('results.ok').dtype.equals(pl.Bool)).to.equal(true)
    expect(df.getColumn('params.model').toArray()).to.deep.equal(['svm', 'linear', 'tree'])
  })

  it('refuses an unknown extension or a bad expression, writing nothing', () => {
    const r = ex('-o', 'runs.xlsx')
    expect(r.code).to.equal(2)
    expect(r.stderr).to.match(/\.csv, \.ndjson \(or \.jsonl\) or \.parquet/)
    expect(ex('--where', 'results.accuracy >', '-o', 'bad.csv').code).to.equal(2)
    expect(existsSync(join(t.dir, 'bad.csv'))).to.equal(false)
    expect(ex('-o', join(t.dir, 'no', 'such', 'dir.csv')).code).to.equal(2)
  })
})
