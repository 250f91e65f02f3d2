// Runs as jobs of a real single-node Slurm cluster (started for these tests, stopped after): `npm run test:slurm`.
import {expect} from 'chai'
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {spawnSync} from 'node:child_process'
import {json, lode, lodeAsync, waitUntil, type CliResult} from '../helpers/project.ts'
import {startSlurmProject, stopSlurmProject, type Cluster} from './cluster.ts'

const PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'

const TS_HANDLER = `import type {Context} from 'lode'
export async function handler(ctx: Context, {n = 2}: {n?: number}) {
  console.log('on the node', process.env.SLURM_JOB_ID)
  ctx.logResult('twice', n * 2)
  await ctx.logArtifact('note', {body: 'from a job ' + n})
}
`
const PY_HANDLER = `def handler(context, n: int = 3):
    print('python on the node')
    context.log_result('thrice', n * 3)
    context.log_artifact('pynote', body='from a python job')
`
// logs one result, waits for a file to appear (so the test decides when it goes on), then logs an artifact
const WAITER = `import type {Context} from 'lode'
import {existsSync} from 'node:fs'
export async function handler(ctx: Context, {gate = '', secs = 600}: {gate?: string; secs?: number}) {
  ctx.logResult('began', 1)
  const until = Date.now() + secs * 1000
  while (!(gate && existsSync(gate)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
  await ctx.logArtifact('after', {body: 'made after the gate opened'})
  ctx.logResult('finished', 1)
}
`
const STEP = `import type {Context, DataItem} from 'lode'
import {readFileSync} from 'node:fs'
export async function handler(ctx: Context, {tag, a, b}: {tag: string; a?: DataItem; b?: DataItem}) {
  const parts = [a, b].filter((d) => d !== undefined).map((d) => readFileSync(d.localPath(), 'utf8'))
  await ctx.logArtifact('out', {body: tag + '(' + parts.join(',') + ')'})
}
`
const DIAMOND = `name: diamond
steps:
  top: {function: step.ts, params: {tag: top}, outputs: [out]}
  left: {function: step.ts, params: {tag: left}, inputs: {a: '{{ steps.top.outputs.out }}'}, outputs: [out]}
  right: {function: step.ts, params: {tag: right}, inputs: {a: '{{ steps.top.outputs.out }}'}, outputs: [out]}
  bottom: {function: step.ts, params: {tag: bottom}, inputs: {a: '{{ steps.left.outputs.out }}', b: '{{ steps.right.outputs.out }}'}, outputs: [out]}
`

describe('the slurm runtime, on a real cluster', function () {
  this.timeout(240_000)
  let cluster: Cluster
  let dir: string
  const run = (args: string[]) => lode(args, {cwd: dir, env: cluster.env})
  const runAsync = (args: string[]) => lodeAsync(args, {cwd: dir, env: cluster.env})
  const record = (uid: string) => json(run(['runs', 'get', uid, '--json'])).data
  const latestUid = () => json(run(['runs', 'ls', '--limit', '1', '--json'])).data[0]?.uid as string | undefined
  const jobState = (id: string) => spawnSync('squeue', ['--states=all', '-h', '-o', '%T', '-j', id], {env: {...process.env, ...cluster.env}, encoding: 'utf8'}).stdout.trim()
  const explain = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`

  before(async function () {
    ({cluster, dir} = await startSlurmProject(this, 'sl', () => ({'h.ts': TS_HANDLER, 'h.py': PY_HANDLER, 'waiter.ts': WAITER, 'step.ts': STEP, 'diamond.yaml': DIAMOND})))
  })
  after(() => stopSlurmProject(cluster, dir))

  it('runs a TypeScript and a Python handler as jobs; their results and artifacts are recorded, the job id with them', () => {
    const ts = run(['run', 'h.ts', '-p', 'n=4', '--runtime', 'slurm', '--json'])
    expect(ts.code, explain(ts)).to.equal(0)
    const tsRun = json(ts).data
    expect(tsRun).to.include({state: 'completed'})
    expect(tsRun.results).to.deep.equal({twice: 8})
    expect(tsRun.job).to.include({runtime: 'slurm'})
    expect(tsRun.job.id).to.match(/^\d+$/)
    expect(jobState(tsRun.job.id)).to.equal('COMPLETED')
    // started when the job started, after it was submitted
    expect(tsRun.started).to.be.above(tsRun.created)
    const runDir = join(dir, '.lode', 'runs', tsRun.uid)
    expect(readFileSync(join(runDir, 'output.log'), 'utf8')).to.include(`on the node ${tsRun.job.id}`)
    // the job's raw files go once the run is recorded; the script stays
    expect(readdirSync(join(runDir, 'job'))).to.deep.equal(['job.sh'])
    expect(run(['artifacts', 'get', `note@${tsRun.uid}`, '-o', join(dir, 'note.txt')]).code).to.equal(0)
    expect(readFileSync(join(dir, 'note.txt'), 'utf8')).to.equal('from a job 4')

    const py = run(['run', 'h.py', '--runtime', 'slurm', '--python', PYTHON, '--json'])
    expect(py.code, explain(py)).to.equal(0)
    const pyRun = json(py).data
    expect(pyRun.results).to.deep.equal({thrice: 9})
    expect(Object.keys(pyRun.outputs)).to.include('pynote')
    expect(readFileSync(join(dir, '.lode', 'runs', pyRun.uid, 'output.log'), 'utf8')).to.include('python on the node')
  })

  it('a function whose lode.yaml says runtime: slurm runs as a job', () => {
    writeFileSync(join(dir, 'lode.yaml'), `name: sl\nfunctions:\n  twice: {file: h.ts, runtime: {name: slurm, time: '5'}}\n`)
    try {
      const r = run(['run', 'twice', '--json'])
      expect(r.code, explain(r)).to.equal(0)
      expect(json(r).data.job).to.include({runtime: 'slurm'})
    } finally {
      writeFileSync(join(dir, 'lode.yaml'), 'name: sl\n')
    }
  })

  it('a job past its --time is error TIMEOUT, with what it logged until then', async () => {
    const r = run(['run', 'waiter.ts', '--runtime', 'slurm', '--time', '1', '--json'])
    expect(r.code, explain(r)).to.equal(1)
    const failed = json(r).error.details.run
    expect(failed.state).to.equal('error')
    expect(failed.error.message).to.match(/^TIMEOUT: Slurm ended the job at its time limit \(--time 1\)/)
    expect(failed.results).to.deep.equal({began: 1})
    expect(jobState(failed.job.id)).to.equal('TIMEOUT')
  })

  it('lode runs abort cancels the job; the run is aborted with what it logged', async () => {
    const gate = join(dir, 'never')
    const p = runAsync(['run', 'waiter.ts', '-p', `gate=${gate}`, '--runtime', 'slurm'])
    let uid: string | undefined
    expect(await waitUntil(() => (uid = latestUid()) !== undefined && record(uid).state === 'running', 60_000, 200)).to.equal(true)
    const job = record(uid!).job.id
    const aborted = run(['runs', 'abort', uid!])
    expect(aborted.code, explain(aborted)).to.equal(0)
    const r = await p
    expect(r.code, explain(r)).to.equal(130)
    expect(record(uid!)).to.include({state: 'aborted'})
    expect(await waitUntil(() => jobState(job) === 'CANCELLED', 30_000, 200)).to.equal(true)
  })

  it('Ctrl-C cancels the job; lode records the run aborted before its forced exit', async () => {
    const p = runAsync(['run', 'waiter.ts', '--runtime', 'slurm'])
    let uid: string | undefined
    expect(await waitUntil(() => (uid = latestUid()) !== undefined && record(uid).state === 'running' && record(uid).job?.id !== undefined, 60_000, 200)).to.equal(true)
    const job = record(uid!).job.id
    p.child.kill('SIGINT')
    const r = await p
    expect(r.code, explain(r)).to.equal(130)
    // recorded by lode itself, not by its forced exit (which ends lode once 1.8 s have passed since the Ctrl-C)
    expect(r.stderr).to.not.include('stopped without waiting')
    expect(record(uid!).state).to.equal('aborted')
    expect(record(uid!).error.message).to.equal('aborted (interrupted by Ctrl-C)')
    expect(await waitUntil(() => jobState(job) === 'CANCELLED', 30_000, 200)).to.equal(true)
  })

  it('lode killed -9 while its job runs: the job goes on, runs ls says detached, runs attach records it with its artifacts', async () => {
    const gate = join(dir, 'gate-open')
    const p = runAsync(['run', 'waiter.ts', '-p', `gate=${gate}`, '--runtime', 'slurm'])
    let uid: string | undefined
    // the job has started and logged its first result
    expect(await waitUntil(() => {
      uid = latestUid()
      return uid !== undefined && existsSync(join(dir, '.lode', 'runs', uid, 'job', 'events.jsonl')) && readFileSync(join(dir, '.lode', 'runs', uid, 'job', 'events.jsonl'), 'utf8').includes('began')
    }, 60_000, 100)).to.equal(true)
    p.child.kill('SIGKILL')
    await p
    const job = record(uid!).job.id
    expect(jobState(job)).to.equal('RUNNING')
    expect(json(run(['runs', 'ls', '--json'])).data.find((r: {uid: string}) => r.uid === uid).state).to.equal('detached')
    const attach = runAsync(['runs', 'attach', uid!, '--json'])
    writeFileSync(gate, '')
    const r = await attach
    expect(r.code, explain(r)).to.equal(0)
    const done = json(r).data
    expect(done.state).to.equal('completed')
    expect(done.results).to.deep.equal({began: 1, finished: 1})
    expect(Object.keys(done.outputs)).to.include('after')
    expect(run(['artifacts', 'get', `after@${uid}`, '-o', join(dir, 'after.txt')]).code).to.equal(0)
    expect(readFileSync(join(dir, 'after.txt'), 'utf8')).to.equal('made after the gate opened')
  })

  it('a detached job that ended meanwhile is recorded by the next lode command', async () => {
    const gate = join(dir, 'gate-2')
    const p = runAsync(['run', 'waiter.ts', '-p', `gate=${gate}`, '--runtime', 'slurm'])
    let uid: string | undefined
    expect(await waitUntil(() => (uid = latestUid()) !== undefined && record(uid).state === 'running', 60_000, 200)).to.equal(true)
    p.child.kill('SIGKILL')
    await p
    const job = record(uid!).job.id
    writeFileSync(gate, '')
    expect(await waitUntil(() => jobState(job) === 'COMPLETED', 60_000, 200)).to.equal(true)
    const ls = json(run(['runs', 'ls', '--json'])).data.find((r: {uid: string}) => r.uid === uid)
    expect(ls.state).to.equal('completed')
    expect(ls.results).to.deep.equal({began: 1, finished: 1})
  })

  it('a node whose slurmd restarts mid-job: the job goes on and the run is recorded with what it logged', async () => {
    const gate = join(dir, 'gate-3')
    const p = runAsync(['run', 'waiter.ts', '-p', `gate=${gate}`, '--runtime', 'slurm', '--json'])
    let uid: string | undefined
    expect(await waitUntil(() => (uid = latestUid()) !== undefined && record(uid).state === 'running', 60_000, 200)).to.equal(true)
    await cluster.restartNode()
    writeFileSync(gate, '')
    const r = await p
    expect(r.code, explain(r)).to.equal(0)
    expect(json(r).data.results).to.deep.equal({began: 1, finished: 1})
  })

  it('a job cancelled outside lode is error CANCELLED', async () => {
    const p = runAsync(['run', 'waiter.ts', '--runtime', 'slurm', '--json'])
    let uid: string | undefined
    // queued or running: either way the job exists, and a cancel from outside ends it
    expect(await waitUntil(() => (uid = latestUid()) !== undefined && ['queued', 'running'].includes(record(uid).state) && Boolean(record(uid).job?.id), 60_000, 200)).to.equal(true)
    spawnSync('scancel', [record(uid!).job.id], {env: {...process.env, ...cluster.env}})
    const r = await p
    expect(r.code, explain(r)).to.equal(1)
    expect(json(r).error.details.run.error.message).to.match(/^CANCELLED: job \d+ was cancelled outside lode/)
  })

  it('a diamond workflow runs its steps as jobs, the two middle ones at once; a rerun reuses them all', () => {
    const first = run(['workflow', 'run', 'diamond.yaml', '--runtime', 'slurm', '--json'])
    expect(first.code, explain(first)).to.equal(0)
    const steps = json(first).data.steps as {name: string; state: string; run: string}[]
    expect(steps.map((s) => s.state)).to.deep.equal(['done', 'done', 'done', 'done'])
    const runs = Object.fromEntries(steps.map((s) => [s.name, record(s.run)]))
    for (const r of Object.values(runs)) expect((r as {job: {runtime: string}}).job.runtime).to.equal('slurm')
    // left and right were both submitted before either ended
    expect(runs.left.created).to.be.below(runs.right.ended)
    expect(runs.right.created).to.be.below(runs.left.ended)
    expect(run(['artifacts', 'get', `out@${runs.bottom.uid}`, '-o', join(dir, 'bottom.txt')]).code).to.equal(0)
    expect(readFileSync(join(dir, 'bottom.txt'), 'utf8')).to.equal('bottom(left(top()),right(top()))')

    const again = run(['workflow', 'run', 'diamond.yaml', '--runtime', 'slurm', '--json'])
    expect(again.code, explain(again)).to.equal(0)
    expect((json(again).data.steps as {state: string}[]).map((s) => s.state)).to.deep.equal(['cached', 'cached', 'cached', 'cached'])
    // the same workflow run locally reuses the runs made on the cluster: the records are the same
    const local = run(['workflow', 'run', 'diamond.yaml', '--json'])
    expect((json(local).data.steps as {state: string}[]).map((s) => s.state)).to.deep.equal(['cached', 'cached', 'cached', 'cached'])
  })
})
