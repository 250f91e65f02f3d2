// A hyperparameter sweep with --runtime slurm as one job array, on a real single-node cluster: `npm run test:slurm`.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, lodeAsync, waitUntil, type CliResult} from '../helpers/project.ts'
import {startSlurmProject, stopSlurmProject, type Cluster} from './cluster.ts'

// fails for n = 2; logs a result and an artifact otherwise
const TRIAL = `import type {Context} from 'lode'
export async function handler(ctx: Context, {n}: {n: number}) {
  if (n === 2) throw new Error('n = 2 is refused')
  ctx.logResult('score', n * 10)
  await ctx.logArtifact('note', {body: 'iteration with n=' + n})
}
`
// logs a result, then waits for its gate file
const WAITER = `import type {Context} from 'lode'
import {existsSync} from 'node:fs'
export async function handler(ctx: Context, {gate, n}: {gate: string; n: number}) {
  ctx.logResult('began', n)
  while (!existsSync(gate)) await new Promise((r) => setTimeout(r, 50))
  ctx.logResult('finished', n)
}
`

interface Child {uid: string; iter: number; state: string; results: Record<string, unknown>; outputs: Record<string, unknown>; error: {message: string} | null; job: {id: string} | null}

describe('a hyperparameter sweep on slurm, as one job array', function () {
  this.timeout(180_000)
  let cluster: Cluster
  let dir: string
  const run = (args: string[]) => lode(args, {cwd: dir, env: cluster.env})
  const runAsync = (args: string[]) => lodeAsync(args, {cwd: dir, env: cluster.env})
  const explain = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`
  const children = (parent: string): Child[] => json(run(['runs', 'ls', '--parent', parent, '--json'])).data
  const record = (uid: string) => json(run(['runs', 'get', uid, '--json'])).data
  const parents = () => (json(run(['runs', 'ls', '--limit', '20', '--json'])).data as {uid: string; iter: number | null}[]).filter((r) => r.iter === null).map((r) => r.uid)
  /** the parent of the sweep started after `known` were listed */
  const newParent = (known: string[]) => parents().find((uid) => !known.includes(uid))
  const taskState = (id: string) => spawnSync('squeue', ['--states=all', '-h', '-r', '-o', '%T', '-j', id], {env: {...process.env, ...cluster.env}, encoding: 'utf8'}).stdout.trim()

  before(async function () {
    ({cluster, dir} = await startSlurmProject(this, 'arr', () => ({'trial.ts': TRIAL, 'waiter.ts': WAITER})))
  })
  after(() => stopSlurmProject(cluster, dir))

  it('submits the iterations as one array; each task is its own run; a failing task below --max-errors leaves the sweep completed', () => {
    const r = run(['run', 'trial.ts', '--runtime', 'slurm', '-x', 'n=[1,2,3]', '--parallel', '2', '--max-errors', '1', '--selector', 'max.score', '--json'])
    expect(r.code, explain(r)).to.equal(0)
    const parent = json(r).data
    expect(parent.state).to.equal('completed')
    expect(parent.hyper.best.iter).to.equal(3)
    const kids = children(parent.uid)
    expect(kids.map((c) => [c.iter, c.state])).to.deep.equal([[1, 'completed'], [2, 'error'], [3, 'completed']])
    // one sbatch: every task of the same array job, task N running iteration N; the parent records the array
    const ids = kids.map((c) => /^(\d+)_(\d+)$/.exec(c.job?.id ?? ''))
    expect(ids.every(Boolean), JSON.stringify(kids.map((c) => c.job))).to.equal(true)
    expect(new Set(ids.map((m) => m![1])).size).to.equal(1)
    expect(ids.map((m) => Number(m![2]))).to.deep.equal([1, 2, 3])
    expect(record(parent.uid).job).to.include({runtime: 'slurm', id: ids[0]![1]})
    expect(taskState(kids[1]!.job!.id)).to.equal('FAILED')
    expect(kids[1]!.error!.message).to.include('n = 2 is refused')
    // each run its own folder, output and artifact
    for (const c of [kids[0]!, kids[2]!]) {
      const n = c.iter
      expect(c.results).to.deep.equal({score: n * 10})
      const to = join(dir, `note-${n}.txt`)
      expect(run(['artifacts', 'get', `note@${c.uid}`, '-o', to]).code).to.equal(0)
      expect(readFileSync(to, 'utf8')).to.equal(`iteration with n=${n}`)
    }
  })

  it("a child's abort cancels its task only; the parent's abort cancels the rest of the array", async () => {
    const gate = join(dir, 'never')
    const known = parents()
    const p = runAsync(['run', 'waiter.ts', '--runtime', 'slurm', '-p', `gate=${gate}`, '-x', 'n=[1,2,3]', '--parallel', '1'])
    let parent: string | undefined
    const running = (iter: number) => {
      parent ??= newParent(known)
      return parent !== undefined && children(parent).some((c) => c.iter === iter && c.state === 'running')
    }
    expect(await waitUntil(() => running(1), 60_000, 200)).to.equal(true)
    const first = children(parent!).find((c) => c.iter === 1)!
    expect(run(['runs', 'abort', first.uid]).code).to.equal(0)
    // with --parallel 1 the next task starts once the first was cancelled
    expect(await waitUntil(() => running(2), 60_000, 200)).to.equal(true)
    expect(record(first.uid).state).to.equal('aborted')
    expect(taskState(first.job!.id)).to.equal('CANCELLED')
    expect(children(parent!).find((c) => c.iter === 3)!.state).to.equal('queued')

    const aborted = run(['runs', 'abort', parent!])
    expect(aborted.code, explain(aborted)).to.equal(0)
    const r = await p
    expect(r.code, explain(r)).to.equal(130)
    expect(record(parent!).state).to.equal('aborted')
    const kids = children(parent!)
    expect(kids.map((c) => c.state)).to.deep.equal(['aborted', 'aborted', 'aborted'])
    for (const c of kids) expect(await waitUntil(() => taskState(c.job!.id) === 'CANCELLED', 30_000, 200), c.job!.id).to.equal(true)
  })

  it('lode killed -9 mid-sweep: runs attach of the parent records every task and the sweep', async () => {
    const gate = join(dir, 'gate-open')
    const known = parents()
    const p = runAsync(['run', 'waiter.ts', '--runtime', 'slurm', '-p', `gate=${gate}`, '-x', 'n=[1,2,3]', '--parallel', '2', '--selector', 'max.finished'])
    let parent: string | undefined
    expect(await waitUntil(() => {
      parent ??= newParent(known)
      return parent !== undefined && children(parent).filter((c) => c.state === 'running').length === 2
    }, 60_000, 200)).to.equal(true)
    p.child.kill('SIGKILL')
    await p
    const ls = json(run(['runs', 'ls', '--json'])).data as {uid: string; state: string}[]
    expect(ls.find((r) => r.uid === parent)!.state).to.equal('detached')
    const attach = runAsync(['runs', 'attach', parent!, '--json'])
    writeFileSync(gate, '')
    const r = await attach
    expect(r.code, explain(r)).to.equal(0)
    expect(json(r).data.state).to.equal('completed')
    const kids = children(parent!)
    expect(kids.map((c) => [c.state, c.results])).to.deep.equal([1, 2, 3].map((n) => ['completed', {began: n, finished: n}]))
    const done = record(parent!)
    expect(done.results).to.include({finished: 3, best_iteration: 3})
  })
})
