// A sweep whose lode was killed (kill -9) mid-sweep: its runs show as stale, and `lode runs abort PARENT` reconciles the
// whole sweep (every child it started marked aborted, the parent's iterations saying so), not the parent alone.
import {expect} from 'chai'
import {json, lode, lodeAsync, newProject, processesMarked, removeProject, waitUntil} from '../helpers/project.ts'
import {twoIterationsRunning} from '../helpers/sweeps.ts'

const HANDLER = `
export async function train(ctx, {a}) {
  await new Promise(() => setInterval(() => {}, 1000))
}
`

describe('trial 13: a sweep whose lode was killed', function () {
  this.timeout(120_000)
  let dir: string
  before(() => {
    dir = newProject({'train.mjs': HANDLER})
  })
  after(() => removeProject(dir))

  it('runs abort PARENT marks its stale children aborted and its iterations with them', async () => {
    const mark = `sweep-kill-${process.pid}-${Date.now()}`
    const p = lodeAsync(['run', 'train.mjs#train', '-x', 'a=[1,2,3,4]', '--parallel', '2'], {cwd: dir, env: {LODE_TEST_MARK: mark}})
    const parent = await twoIterationsRunning(dir)
    expect(parent, 'two iterations running').to.not.equal(null)
    p.child.kill('SIGKILL')
    await p
    // lode's watchdog ends the handlers it left
    expect(await waitUntil(() => processesMarked(mark).length === 0, 10_000)).to.equal(true)
    const ls = json(lode(['runs', 'ls', '--json'], {cwd: dir})).data
    expect((ls.runs ?? ls).map((r: {state: string}) => r.state)).to.deep.equal(['stale', 'stale', 'stale'])
    expect(lode(['runs', 'ls'], {cwd: dir}).stdout.match(/ stale /g)?.length).to.equal(3)

    const abort = lode(['runs', 'abort', parent!.slice(0, 8)], {cwd: dir})
    expect(abort.code, abort.stderr).to.equal(0)
    const children = json(lode(['runs', 'ls', '--parent', parent!, '--json'], {cwd: dir})).data
    expect((children.runs ?? children).map((r: {state: string}) => r.state)).to.deep.equal(['aborted', 'aborted'])
    const got = json(lode(['runs', 'get', parent!, '--json'], {cwd: dir})).data
    expect(got.state).to.equal('aborted')
    expect(got.iterations.map((it: {state: string}) => it.state)).to.deep.equal(['aborted', 'aborted', 'aborted', 'aborted'])
    expect(got.iterations.filter((it: {uid: string | null}) => it.uid !== null).length).to.equal(2)
    expect(lode(['runs', 'ls'], {cwd: dir}).stdout).to.not.include('stale')
  })
})
