// Workflow steps packed into Slurm jobs (--slurm-pack N), on a real single-node cluster: each step is still a run of
// its own (its results, artifacts, output), N to a job; an abort ends that step alone.
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, lodeAsync, waitUntil, type CliResult} from '../helpers/project.ts'
import {startSlurmProject, stopSlurmProject, type Cluster} from './cluster.ts'

const STEP = `import type {Context} from 'lode'
import {existsSync} from 'node:fs'
export async function handler(ctx: Context, {i, gate = ''}: {i: number; gate?: string}) {
  console.log('step', i, 'in job', process.env.SLURM_JOB_ID)
  while (gate && !existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 50))
  ctx.logResult('i', i)
  await ctx.logArtifact('note', {body: 'from step ' + i})
}
`
const steps = (n: number, gate: (i: number) => string) =>
  `name: wide\nsteps:\n${Array.from({length: n}, (_, i) => `  s${i}: {function: step.ts, params: {i: ${i}, gate: '${gate(i)}'}}`).join('\n')}\n`

describe('slurm: workflow steps packed into jobs', function () {
  this.timeout(180_000)
  let cluster: Cluster
  let dir: string
  const run = (args: string[]) => lode(args, {cwd: dir, env: cluster.env})
  const record = (uid: string) => json(run(['runs', 'get', uid, '--json'])).data
  const explain = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`

  before(async function () {
    ({cluster, dir} = await startSlurmProject(this, 'pack', (d) => ({
      'step.ts': STEP,
      'six.yaml': steps(6, () => ''),
      'three.yaml': steps(3, (i) => join(d, i === 2 ? 'never' : 'gate')),
      'later.yaml': steps(3, (i) => join(d, i === 2 ? 'never-2' : 'gate-2')).replace('name: wide', 'name: later'),
    })))
  })
  after(() => stopSlurmProject(cluster, dir))

  it('runs 6 independent steps as 2 jobs of 3, each step a run of its own', () => {
    const r = run(['workflow', 'run', 'six.yaml', '--runtime', 'slurm', '--slurm-pack', '3', '--parallel', '6', '--json'])
    expect(r.code, explain(r)).to.equal(0)
    const runs = (json(r).data.steps as {run: string; state: string}[]).map((s) => {
      expect(s.state).to.equal('done')
      return record(s.run)
    })
    const jobs = new Map<string, number>()
    for (const x of runs) jobs.set(x.job.id, (jobs.get(x.job.id) ?? 0) + 1)
    expect([...jobs.values()]).to.deep.equal([3, 3])
    for (const x of runs) {
      const i = x.params.i as number
      expect(x.results).to.deep.equal({i})
      expect(readFileSync(join(dir, '.lode', 'runs', x.uid, 'output.log'), 'utf8')).to.include(`step ${i} in job ${x.job.id}`)
      expect(run(['artifacts', 'get', `note@${x.uid}`, '-o', join(dir, `note-${i}.txt`)]).code).to.equal(0)
      expect(readFileSync(join(dir, `note-${i}.txt`), 'utf8')).to.equal(`from step ${i}`)
    }
  })

  it('runs abort of one packed step ends it alone; the steps beside it in the job complete', async () => {
    const p = lodeAsync(['workflow', 'run', 'three.yaml', '--runtime', 'slurm', '--slurm-pack', '3', '--parallel', '3', '--json'], {cwd: dir, env: cluster.env})
    let uid: string | undefined
    expect(await waitUntil(() => {
      const runs = json(run(['runs', 'ls', '--name', 's2', '--json'])).data as {uid: string; state: string; job?: {id: string}}[]
      uid = runs.find((x) => ['queued', 'running'].includes(x.state) && x.job)?.uid
      return uid !== undefined
    }, 60_000, 200)).to.equal(true)
    expect(run(['runs', 'abort', uid!]).code).to.equal(0)
    writeFileSync(join(dir, 'gate'), '')
    const r = await p
    expect(r.code, explain(r)).to.equal(1)
    const states = Object.fromEntries((json(r).error.details.workflow.steps as {name: string; state: string}[]).map((s) => [s.name, s.state]))
    expect(states).to.deep.equal({s0: 'done', s1: 'done', s2: 'aborted'})
    expect(record(uid!).state).to.equal('aborted')
  })

  it('lode killed -9 mid-pack: runs attach follows each step; runs abort of one while attached ends it alone', async () => {
    const p = lodeAsync(['workflow', 'run', 'later.yaml', '--runtime', 'slurm', '--slurm-pack', '3', '--parallel', '3'], {cwd: dir, env: cluster.env})
    let uids: Record<string, string> = {}
    expect(await waitUntil(() => {
      const runs = json(run(['runs', 'ls', '--json'])).data as {uid: string; name: string; state: string; workflowId: string; job?: {id: string}}[]
      const mine = runs.filter((x) => ['queued', 'running'].includes(x.state) && x.job)
      uids = Object.fromEntries(mine.map((x) => [x.name, x.uid]))
      return mine.length === 3
    }, 60_000, 200)).to.equal(true)
    p.child.kill('SIGKILL')
    await p
    const attached = lodeAsync(['runs', 'attach', uids.s2!, '--json'], {cwd: dir, env: cluster.env})
    // attach has claimed the run: runs abort reaches it through the run's abort marker
    expect(await waitUntil(() => record(uids.s2!).pid !== null && json(run(['runs', 'ls', '--json'])).data.find((x: {uid: string}) => x.uid === uids.s2).state !== 'detached', 30_000, 200)).to.equal(true)
    expect(run(['runs', 'abort', uids.s2!]).code).to.equal(0)
    const a = await attached
    expect(a.code, explain(a)).to.equal(130)
    expect(record(uids.s2!).state).to.equal('aborted')
    writeFileSync(join(dir, 'gate-2'), '')
    for (const step of ['s0', 's1']) {
      const r = run(['runs', 'attach', uids[step]!, '--json'])
      expect(r.code, `${step}: ${explain(r)}`).to.equal(0)
      expect(json(r).data).to.include({state: 'completed'})
      expect(json(r).data.results).to.deep.equal({i: Number(step.slice(1))})
    }
  })
})
