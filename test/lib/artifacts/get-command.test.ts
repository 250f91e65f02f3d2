// `lode artifacts get --preview / --meta` show 64-bit integers with their exact digits, as text and under --json.
import {expect} from 'chai'
import {json, lode, tempProject} from '../../helpers/project.ts'

describe('artifacts get: exact 64-bit integers', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  before(async () => {
    t = await tempProject('i64')
    t.write('d.csv', 'a,b\n9223372036854775807,1\n1,2\n-9223372036854775808,3\n')
    t.write('h.ts', "export async function handler(ctx) {\n  await ctx.logDataset('d', {localPath: 'd.csv'})\n}\n")
    const run = await t.project.run('h.ts')
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
  })
  after(() => t.cleanup())

  it('--preview shows the digits, in text and --json', () => {
    const text = lode(['artifacts', 'get', 'd', '--preview', '3'], {cwd: t.dir})
    expect(text.code, text.stderr).to.equal(0)
    expect(text.stdout).to.contain('9223372036854775807').and.contain('-9223372036854775808').and.not.contain('9223372036854776000')
    const r = lode(['artifacts', 'get', 'd', '--preview', '3', '--json'], {cwd: t.dir})
    expect(json(r).data.rows).to.deep.equal([['9223372036854775807', 1], [1, 2], ['-9223372036854775808', 3]])
  })

  it('--meta shows the exact min and max, in text and --json', () => {
    const text = lode(['artifacts', 'get', 'd', '--meta'], {cwd: t.dir})
    expect(text.code, text.stderr).to.equal(0)
    expect(text.stdout).to.contain('9223372036854775807').and.contain('-9223372036854775808').and.not.contain('9223372036854776000')
    const r = lode(['artifacts', 'get', 'd', '--meta', '--json'], {cwd: t.dir})
    const a = json(r).data.artifact.meta.dataset.stats.find((s: {name: string}) => s.name === 'a')
    expect(a).to.include({min: '-9223372036854775808', max: '9223372036854775807'})
  })
})
