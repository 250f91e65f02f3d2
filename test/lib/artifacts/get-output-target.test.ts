// `artifacts get -o` renames the body over its target: a target that would be destroyed rather than written (the
// store, the project's lode.yaml, a FIFO or device) is refused, and a place that cannot be written is the user's error.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {lode, tempProject} from '../../helpers/project.ts'

describe('artifacts get -o: targets it must not replace', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  before(async () => {
    t = await tempProject('outtarget')
    t.write('h.ts', "export async function handler(ctx) {\n  await ctx.logArtifact('a', {body: 'hello'})\n}\n")
    const run = await t.project.run('h.ts')
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
  })
  after(() => t.cleanup())

  it("refuses the project's lode.yaml, and leaves it as it was", () => {
    const before = readFileSync(join(t.dir, 'lode.yaml'), 'utf8')
    const r = lode(['artifacts', 'get', 'a', '-o', 'lode.yaml'], {cwd: t.dir})
    expect(r.code, r.stderr).to.equal(2)
    expect(r.stderr).to.contain("the project's lode.yaml")
    expect(readFileSync(join(t.dir, 'lode.yaml'), 'utf8')).to.equal(before)
  })

  it('refuses a path inside .lode/, and the store still opens', () => {
    const r = lode(['artifacts', 'get', 'a', '-o', join('.lode', 'lode.db')], {cwd: t.dir})
    expect(r.code, r.stderr).to.equal(2)
    expect(r.stderr).to.contain('inside')
    const ls = lode(['artifacts', 'ls'], {cwd: t.dir})
    expect(ls.code, ls.stderr).to.equal(0)
    expect(ls.stdout).to.match(/^a\s/m)
  })

  it('refuses a FIFO instead of replacing it with a plain file', () => {
    const fifo = join(t.dir, 'pipe')
    execFileSync('mkfifo', [fifo])
    const r = lode(['artifacts', 'get', 'a', '-o', 'pipe'], {cwd: t.dir})
    expect(r.code, r.stderr).to.equal(2)
    expect(r.stderr).to.contain('a FIFO')
    expect(statSync(fifo).isFIFO()).to.equal(true)
  })

  it('says a target under a plain file cannot be written (exit 2), not an internal error', () => {
    t.write('plain.txt', 'x')
    const r = lode(['artifacts', 'get', 'a', '-o', 'plain.txt/sub/a.txt'], {cwd: t.dir})
    expect(r.code, r.stderr).to.equal(2)
    expect(r.stderr).to.contain('Cannot write').and.not.contain('Internal error')
  })

  it('still writes over an ordinary file of the user', () => {
    t.write('mine.txt', 'old')
    const r = lode(['artifacts', 'get', 'a', '-o', 'mine.txt'], {cwd: t.dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(readFileSync(join(t.dir, 'mine.txt'), 'utf8')).to.equal('hello')
  })
})
