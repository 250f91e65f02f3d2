// A sweep's failures: failed iterations below and past --max-errors, a stop condition, and Ctrl-C mid-sweep.
import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../../src/lib/project/project.ts'
import {Store} from '../../src/lib/store/store.ts'
import {json, lode, lodeAsync, newProject, processesMarked, removeProject, waitUntil} from '../helpers/project.ts'
import {twoIterationsRunning} from '../helpers/sweeps.ts'

const HANDLER = `
export async function train(ctx, {a}) {
  if (a === ${'${FAIL}'}) throw new Error('bad a')
  if (a === ${'${HANG}'}) await new Promise(() => setInterval(() => {}, 1000))
  ctx.logResult('score', a * 10)
}
`

describe('sweeps: failures, stop conditions and Ctrl-C', function () {
  this.timeout(120_000)
  let dir: string
  const write = (fail: number, hang: number) => writeFileSync(join(dir, 'train.mjs'), HANDLER.replace('${FAIL}', String(fail)).replace('${HANG}', String(hang)))
  before(() => {
    dir = newProject()
  })
  after(() => removeProject(dir))

  it('records a failed iteration and completes the parent while failures stay within --max-errors', () => {
    write(2, -1)
    const r = lode(['run', 'train.mjs#train', '-x', 'a=[1,2,3]', '--max-errors', '1', '--parallel', '1', '--selector', 'max.score', '--json'], {cwd: dir})
    expect(r.code).to.equal(0)
    const d = json(r).data
    expect(d.state).to.equal('completed')
    expect(d.iterations.map((i: any) => i.state)).to.deep.equal(['completed', 'error', 'completed'])
    expect(d.hyper.best.iter).to.equal(3)
  })

  it('past --max-errors cancels the rest: running iterations aborted, the others not started, the parent error', () => {
    write(1, 2)
    const r = lode(['run', 'train.mjs#train', '-x', 'a=[2,1,3,4]', '--max-errors', '0', '--parallel', '2', '--json'], {cwd: dir})
    expect(r.code).to.equal(1)
    const d = json(r).error.details.run
    expect(d.state).to.equal('error')
    expect(d.error.message).to.include('more than 0 iterations failed')
    const [hung, failed, ...rest] = d.iterations
    expect(failed.state).to.equal('error')
    expect(hung.state).to.equal('aborted')
    expect(hung.uid).to.be.a('string')
    for (const it of rest) expect(it).to.include({state: 'aborted', uid: null})
  })

  it('a stop condition ends the sweep early: the rest are not started and say so', () => {
    write(-1, -1)
    const r = lode(['run', 'train.mjs#train', '-x', 'a=[1,2,3,4]', '--stop-condition', 'score >= 20 and a > 1', '--parallel', '1', '--json'], {cwd: dir})
    expect(r.code).to.equal(0)
    const d = json(r).data
    expect(d.iterations.map((i: any) => i.state)).to.deep.equal(['completed', 'completed', 'skipped', 'skipped'])
    expect(d.hyper.stopped).to.include('held for iteration #2')
    const bad = lode(['run', 'train.mjs#train', '-x', 'a=[1,2]', '--stop-condition', 'score >>= 2'], {cwd: dir})
    expect(bad.code).to.equal(2)
    expect(bad.stderr).to.include('--stop-condition')
  })

  it('Ctrl-C mid-sweep aborts every running iteration and the parent, and leaves no process', async () => {
    write(-1, 0)
    const mark = `sweep-${process.pid}-${Date.now()}`
    const p = lodeAsync(['run', 'train.mjs#train', '-x', 'a=[0,0,0,0,0]', '--parallel', '2', '--json'], {cwd: dir, env: {LODE_TEST_MARK: mark}})
    // two handlers running, each recorded as a running child
    const running = () => {
      const store = Store.open(join(dir, '.lode'), 'p')
      try {
        return store.runs.list({state: 'running', limit: 100}).filter((r) => r.parent !== null && store.runs.handlerPid(r.uid) !== null).length >= 2
      } finally {
        store.close()
      }
    }
    expect(await waitUntil(running, 60_000)).to.equal(true)
    p.child.kill('SIGINT')
    const r = await p
    expect(r.code).to.equal(130)
    expect(await waitUntil(() => processesMarked(mark).length === 0, 10_000)).to.equal(true)
    const d = json(r).error.details.run
    expect(d.state).to.equal('aborted')
    const started = d.iterations.filter((i: any) => i.uid !== null)
    expect(started.length).to.be.greaterThan(0)
    expect(d.iterations.every((i: any) => i.state === 'aborted')).to.equal(true)
    const project = await Project.open(dir)
    try {
      const children = project.store.runs.list({parent: d.uid, limit: 100})
      expect(children.length).to.equal(started.length)
      expect(children.every((c) => c.state === 'aborted')).to.equal(true)
      expect(project.store.runs.get(d.uid)!.state).to.equal('aborted')
    } finally {
      project.close()
    }
  })

  it('lode runs abort PARENT from another process stops the whole sweep', async () => {
    write(-1, 0)
    const mark = `sweep-abort-${process.pid}-${Date.now()}`
    const p = lodeAsync(['run', 'train.mjs#train', '-x', 'a=[0,0,0,0]', '--parallel', '2', '--json'], {cwd: dir, env: {LODE_TEST_MARK: mark}})
    const parent = await twoIterationsRunning(dir)
    expect(parent, 'two iterations running').to.not.equal(null)
    const abort = lode(['runs', 'abort', parent!.slice(0, 12)], {cwd: dir})
    expect(abort.code, abort.stderr).to.equal(0)
    const r = await p
    expect(r.code).to.equal(130)
    const d = json(r).error.details.run
    expect(d.state).to.equal('aborted')
    expect(d.error.message).to.include('lode runs abort')
    expect(d.iterations.every((i: any) => i.state === 'aborted')).to.equal(true)
    expect(await waitUntil(() => processesMarked(mark).length === 0, 10_000)).to.equal(true)
  })
})
