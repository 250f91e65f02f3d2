// How a sweep shows: plain lines, the live table on a terminal, ndjson events with `iter`, runs get and runs compare --parent.
import {expect} from 'chai'
import {BIN, json, lode, newProject, removeProject} from '../helpers/project.ts'
import {runInPty} from '../helpers/pty.ts'

const HANDLER = `
export async function train(ctx, {a, base}) {
  console.log('training with a=' + a)
  ctx.logResult('score', a === 2 ? 100 : a)
}
`

describe('sweeps: views, events, runs get and compare', function () {
  this.timeout(120_000)
  let dir: string
  before(() => {
    dir = newProject({'train.mjs': HANDLER})
  })
  after(() => removeProject(dir))

  it('prints a line per iteration with the best so far marked, and --events ndjson carries iter on each child event', () => {
    const plain = lode(['run', 'train.mjs#train', '-p', 'base=1', '-x', 'a=[1,2,3]', '--selector', 'max.score', '--parallel', '1'], {cwd: dir})
    expect(plain.code).to.equal(0)
    expect(plain.stderr).to.match(/#1\/3 completed [0-9a-f]{8}  a=1  score=1 .*<- best so far/)
    expect(plain.stderr).to.match(/#2\/3 completed [0-9a-f]{8}  a=2  score=100 .*<- best so far/)
    expect(plain.stderr).to.match(/#3\/3 completed [0-9a-f]{8}  a=3  score=3 [^\n<]*\n/)
    expect(plain.stderr).to.include('best: #2 (max.score = 100)  a=2')

    const r = lode(['run', 'train.mjs#train', '-p', 'base=1', '-x', 'a=[1,2]', '--events', 'ndjson'], {cwd: dir})
    expect(r.code).to.equal(0)
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    const parent = events.find((e) => e.t === 'state' && e.iter === undefined)!.run
    const children = events.filter((e) => e.run !== parent)
    expect(children.length).to.be.greaterThan(4)
    for (const e of children) expect(e.iter, JSON.stringify(e)).to.be.oneOf([1, 2])
    expect(children.filter((e) => e.t === 'result').map((e) => [e.iter, e.value])).to.have.deep.members([[1, 1], [2, 100]])
    expect(children.filter((e) => e.t === 'output').map((e) => [e.iter, e.line])).to.have.deep.members([[1, 'training with a=1'], [2, 'training with a=2']])
    expect(events.filter((e) => e.run === parent && e.t === 'state').map((e) => e.state)).to.deep.equal(['running', 'completed'])
  })

  it('runs get shows the sweep on the parent and parent/iter on an iteration; runs compare --parent lines up the iterations', () => {
    const d = json(lode(['run', 'train.mjs#train', '-p', 'base=1', '-x', 'a=[1,2,3]', '--selector', 'max.score', '--json'], {cwd: dir})).data
    const get = lode(['runs', 'get', d.uid.slice(0, 8)], {cwd: dir})
    expect(get.stdout).to.match(/sweep\s+grid, 3 iterations, 3 completed, selector max.score/)
    expect(get.stdout).to.include(`best      #2 ${d.iterations[1].uid}`)
    const child = lode(['runs', 'get', d.iterations[2].uid.slice(0, 10)], {cwd: dir})
    expect(child.stdout).to.include(`parent    ${d.uid}  (iteration #3)`)
    const childJson = json(lode(['runs', 'get', d.iterations[2].uid, '--json'], {cwd: dir})).data
    expect(childJson).to.include({parent: d.uid, iter: 3})
    expect(json(lode(['runs', 'get', d.uid, '--json'], {cwd: dir})).data.hyper.best.iter).to.equal(2)

    const c = json(lode(['runs', 'compare', '--parent', d.uid.slice(0, 8), '--json'], {cwd: dir})).data
    expect(c.runs.map((r: any) => r.uid)).to.deep.equal(d.iterations.map((i: any) => i.uid))
    expect(c.rows.find((r: any) => r.section === 'params' && r.key === 'a')).to.deep.include({values: [1, 2, 3], same: false})
    expect(c.rows.find((r: any) => r.section === 'params' && r.key === 'base')).to.deep.include({same: true})
  })

  it('shows a live table of iterations on a terminal', async () => {
    const r = await runInPty(process.execPath, [BIN, 'run', 'train.mjs#train', '-p', 'base=1', '-x', 'a=[1,2,3]', '--selector', 'max.score', '--parallel', '1'], {cwd: dir, env: {NODE_ENV: ''}, timeoutMs: 60_000})
    expect(r.exitCode).to.equal(0)
    expect(r.text).to.match(/ITER\s+STATE\s+PARAMS\s+RESULTS/)
    expect(r.text).to.match(/\*#2\s+completed\s+a=2\s+score=100/)
    expect(r.text).to.include('3 completed, 0 failed, 0 running, 0 waiting of 3')
    expect(r.text).to.include('best: #2 (max.score = 100)')
  })
})
