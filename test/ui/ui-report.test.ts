// `lode report`: one self-contained HTML file (no request to anywhere), data embedded safely, bad arguments refused.
import {expect} from 'chai'
import {mkdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {lode, json} from '../helpers/project.ts'
import {HOSTILE_HTML, uiFixture} from './fixture.ts'

describe('lode report', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof uiFixture>>

  before(async () => {
    t = await uiFixture()
  })

  after(() => t?.cleanup())

  it('writes one file with the page inlined and the chosen runs embedded', () => {
    const r = lode(['report', '--where', 'params.lr >= 0.2', '-o', 'report.html', '--json'], {cwd: t.dir})
    expect(r.code, r.stderr).to.equal(0)
    const out = json(r).data
    expect(out.runs).to.have.members([t.runs[1]!.uid, t.runs[2]!.uid])
    const html = readFileSync(join(t.dir, 'report.html'), 'utf8')
    // nothing to fetch: no script or stylesheet by URL, and a CSP that forbids any connection
    expect(html).not.to.match(/<script[^>]+src=/)
    expect(html).not.to.match(/<link[^>]+stylesheet/)
    expect(html).to.include("default-src 'none'")
    const data = JSON.parse(/<script id="lode-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!)
    expect(Object.keys(data)).to.include.members([`/api/runs/${t.runs[1]!.uid}`, '/api/compare', '/api/artifacts'])
    expect(data['/api/runs'].runs.map((x: {uid: string}) => x.uid)).to.have.members(out.runs)
    // the handler's HTML is embedded as data that cannot close the script element
    expect(Object.values(data)).to.include(HOSTILE_HTML)
    expect(html.split('</script>').length - 1).to.equal(2) // the data's and the app's, nothing from the handler
  })

  it('takes runs by uid, and the newest ones by default', () => {
    const r = lode(['report', t.runs[0]!.uid.slice(0, 8), '-o', 'one.html', '--json'], {cwd: t.dir})
    expect(json(r).data.runs).to.deep.equal([t.runs[0]!.uid])
    const all = lode(['report', '-o', 'all.html', '--json'], {cwd: t.dir})
    expect(json(all).data.runs).to.deep.equal(t.runs.map((x) => x.uid).reverse())
  })

  it('refuses a folder as -o, a missing folder, and a bad --where (exit 2), writing nothing', () => {
    mkdirSync(join(t.dir, 'out'))
    const dir = lode(['report', '-o', 'out'], {cwd: t.dir})
    expect(dir.code).to.equal(2)
    expect(dir.stderr).to.match(/is a folder/)
    expect(lode(['report', '-o', 'nowhere/r.html'], {cwd: t.dir}).code).to.equal(2)
    const bad = lode(['report', '--where', 'params.lr >', '-o', 'bad.html'], {cwd: t.dir})
    expect(bad.code).to.equal(2)
    expect(() => readFileSync(join(t.dir, 'bad.html'))).to.throw()
  })
})
