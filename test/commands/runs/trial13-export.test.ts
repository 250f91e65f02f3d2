// runs export of values a spreadsheet would take for formulas (issue 13, tried as an attacker would): a CSV cell that
// begins with = + - @ (or a tab or carriage return) is made inert with a leading ', as spreadsheet tools advise;
// numbers stay numbers, and NDJSON and Parquet keep the values as they are.
import {expect} from 'chai'
import {mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import pl from 'nodejs-polars'
import {addRun} from '../../helpers/runs.ts'
import {lode, tempProject} from '../../helpers/project.ts'

describe('trial 13: runs export of hostile values', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  const hostile = {f: '=HYPERLINK("http://x.example","click")', p: '+1+2', m: '-2+3', at: '@SUM(A1:A2)', tab: '\t=1', cr: '\r=1'}
  before(async () => {
    t = await tempProject()
    addRun(t.project.store, {name: '=cmd|" /C calc"!A0', params: {...hostile, neg: -0.5, nested: {a: {b: [1, '=x']}}, text: 'a,b\n"q"'}, results: {loss: -1}})
    t.project.close()
  })
  after(() => t.cleanup())

  it('makes formula-looking CSV cells inert, keeps negative numbers, and leaves NDJSON and Parquet values as they are', () => {
    const r = lode(['runs', 'export', '-o', 'runs.csv'], {cwd: t.dir})
    expect(r.code, r.stderr).to.equal(0)
    const csv = readFileSync(join(t.dir, 'runs.csv'), 'utf8')
    const df = pl.readCSV(csv)
    const row = df.toRecords()[0]!
    expect(row['name']).to.equal(`'=cmd|" /C calc"!A0`)
    expect(row['params.f']).to.equal(`'${hostile.f}`)
    expect(row['params.p']).to.equal(`'${hostile.p}`)
    expect(row['params.m']).to.equal(`'${hostile.m}`)
    expect(row['params.at']).to.equal(`'${hostile.at}`)
    expect(row['params.tab']).to.equal(`'${hostile.tab}`)
    expect(row['params.cr']).to.equal(`'${hostile.cr}`)
    expect(row['params.neg']).to.equal(-0.5)
    expect(row['results.loss']).to.equal(-1)
    expect(row['params.text']).to.equal('a,b\n"q"')
    expect(JSON.parse(row['params.nested'] as string)).to.deep.equal({a: {b: [1, '=x']}})
    // no cell of the file begins with a formula character
    for (const v of Object.values(row)) if (typeof v === 'string') expect(v, v).to.not.match(/^[=+\-@\t\r]/)

    expect(lode(['runs', 'export', '-o', 'runs.ndjson'], {cwd: t.dir}).code).to.equal(0)
    const nd = JSON.parse(readFileSync(join(t.dir, 'runs.ndjson'), 'utf8'))
    expect(nd['params.f']).to.equal(hostile.f)
    expect(nd.name).to.equal('=cmd|" /C calc"!A0')
    expect(lode(['runs', 'export', '-o', 'runs.parquet'], {cwd: t.dir}).code).to.equal(0)
    expect(pl.readParquet(join(t.dir, 'runs.parquet')).getColumn('params.m').toArray()).to.deep.equal([hostile.m])
  })

  it('refuses an output that is a folder, or under a file or a missing folder, as bad input (exit 2), leaving nothing behind', () => {
    mkdirSync(join(t.dir, 'out.csv'))
    writeFileSync(join(t.dir, 'plain'), 'x')
    const cases: [string, RegExp][] = [['out.csv', /Cannot write out\.csv: it is a folder/], ['plain/runs.csv', /Cannot write plain\/runs\.csv: .*plain.* is not a folder/], ['missing/runs.ndjson', /Cannot write missing\/runs\.ndjson: its folder does not exist/],
      ['missing/runs.parquet', /Cannot write missing\/runs\.parquet: its folder does not exist/], ['plain/runs.parquet', /plain.* is not a folder/]]
    for (const [out, message] of cases) {
      const r = lode(['runs', 'export', '-o', out], {cwd: t.dir})
      expect(r.code, `${out}: ${r.stderr}`).to.equal(2)
      expect(r.stderr, out).to.match(message)
      expect(r.stderr, out).to.not.include('.tmp')
    }
    expect(readdirSync(join(t.dir, 'out.csv'))).to.deep.equal([])
    expect(readdirSync(t.dir).filter((n) => n.endsWith('.tmp'))).to.deep.equal([])
  })
})
