// `runs rm` and sweeps, as a user would try them: deleting the best iteration must not take the version the parent's
// outputs (and `KEY`) point at; deleting a parent takes its iterations with it, not leaving them pointing at nothing.
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, lodeAsync, newProject, processesMarked, removeProject, waitUntil} from '../helpers/project.ts'

const HANDLER = `
export async function train(ctx, {a}) {
  ctx.logResult('score', a)
  await ctx.logArtifact('model', {body: 'model ' + a}, {format: 'txt'})
}
`

describe('trial 13: runs rm of sweeps', function () {
  this.timeout(120_000)
  let dir: string
  beforeEach(() => {
    dir = newProject({'train.mjs': HANDLER})
  })
  afterEach(() => removeProject(dir))

  const sweep = () => json(lode(['run', 'train.mjs#train', '-x', 'a=[1,2,3]', '--selector', 'max.score', '--parallel', '1', '--json'], {cwd: dir})).data
  const bytes = (ref: string) => {
    const out = join(dir, `got-${Math.random().toString(16).slice(2)}`)
    const r = lode(['artifacts', 'get', ref, '-o', out], {cwd: dir})
    expect(r.code, `${ref}: ${r.stderr}`).to.equal(0)
    return readFileSync(out, 'utf8')
  }
  const rm = (...args: string[]) => json(lode(['runs', 'rm', ...args, '--json'], {cwd: dir})).data

  it('keeps the best iteration\'s versions while its sweep parent stays', () => {
    const s = sweep()
    expect(s.hyper.best.iter).to.equal(3)
    const out = rm(s.hyper.best.uid, '--yes')
    expect(out.runs.map((r: {uid: string}) => r.uid)).to.deep.equal([s.hyper.best.uid])
    expect(out.versionsRemoved).to.deep.equal([])
    expect(out.versionsKept.map((v: {key: string; why: string}) => [v.key, v.why])).to.deep.equal([['model', `the best iteration of sweep ${s.uid.slice(0, 8)}, whose outputs point at it`]])
    expect(bytes(s.outputs.model)).to.equal('model 3')
    expect(bytes(`model@${s.uid.slice(0, 8)}`)).to.equal('model 3')
    expect(bytes('model')).to.equal('model 3')
    expect(lode(['artifacts', 'lineage', s.outputs.model], {cwd: dir}).stdout).to.include('made by a deleted run')
  })

  it('deletes a sweep parent with its iterations, and says so in the dry run', () => {
    const s = sweep()
    const children = s.iterations.map((it: {uid: string}) => it.uid)
    const dry = lode(['runs', 'rm', s.uid.slice(0, 8)], {cwd: dir})
    expect(dry.code, dry.stderr).to.equal(0)
    expect(dry.stdout).to.match(/Would delete 4 runs:/)
    const out = rm(s.uid.slice(0, 8), '--yes')
    expect(out.runs.map((r: {uid: string}) => r.uid).sort()).to.deep.equal([s.uid, ...children].sort())
    const left = json(lode(['runs', 'ls', '--json'], {cwd: dir})).data
    expect((left.runs ?? left).length).to.equal(0)
    expect(lode(['artifacts', 'get', 'model#1', '-o', join(dir, 'x')], {cwd: dir}).code).to.equal(4)
  })

  it('keeps an iteration another sweep reused (a workflow rerun), with the version that sweep\'s outputs name', () => {
    writeFileSync(join(dir, 'wf.yaml'), 'steps:\n  train:\n    function: train.mjs\n    handler: train\n    hyperparams: {a: [1, 2]}\n    hyper_options: {selector: max.score, parallel_runs: 1}\n    outputs: [model]\n')
    const step = (r: ReturnType<typeof lode>) => json(r).data.steps[0] as {run: string; outputs: {model: string}}
    const old = step(lode(['workflow', 'run', 'wf.yaml', '--json'], {cwd: dir}))
    writeFileSync(join(dir, 'wf.yaml'), readFileSync(join(dir, 'wf.yaml'), 'utf8').replace('[1, 2]', '[1, 2, 0]'))
    const again = step(lode(['workflow', 'run', 'wf.yaml', '--json'], {cwd: dir}))
    expect(again.run).to.not.equal(old.run)
    const out = rm(old.run, '--yes')
    // the old parent goes; its iterations are the new sweep's #1 and #2 (reused) and stay
    expect(out.runs.map((r: {uid: string}) => r.uid)).to.deep.equal([old.run])
    expect(bytes(again.outputs.model)).to.equal('model 2')
    const got = json(lode(['runs', 'get', again.run, '--json'], {cwd: dir})).data
    for (const it of got.iterations as {uid: string}[]) expect(lode(['runs', 'get', it.uid], {cwd: dir}).code, it.uid).to.equal(0)
  })

  it('never deletes an iteration of a sweep still running: the sweep may yet pick it', async () => {
    writeFileSync(join(dir, 'slow.mjs'), `export async function train(ctx, {a}) {
  if (a === 2) await new Promise(() => setInterval(() => {}, 1000))
  ctx.logResult('score', a)
}
`)
    const mark = `trial13-rm-${process.pid}-${Date.now()}`
    const p = lodeAsync(['run', 'slow.mjs#train', '-x', 'a=[1,2]', '--selector', 'max.score', '--parallel', '1'], {cwd: dir, env: {LODE_TEST_MARK: mark}})
    const states = () => (json(lode(['runs', 'ls', '--where', 'iter != null', '--sort', 'iter', '--json'], {cwd: dir})).data as {state: string}[]).map((r) => r.state)
    expect(await waitUntil(() => states().join() === 'completed,running', 60_000, 200)).to.equal(true)
    const out = rm('--where', 'iter == 1', '--yes')
    p.child.kill('SIGINT')
    await p
    expect(await waitUntil(() => processesMarked(mark).length === 0, 10_000)).to.equal(true)
    expect(out.runs).to.deep.equal([])
    expect(out.running.map((r: {state: string; sweep: string}) => [r.state, typeof r.sweep])).to.deep.equal([['completed', 'string']])
    expect(states()[0]).to.equal('completed')
  })
})
