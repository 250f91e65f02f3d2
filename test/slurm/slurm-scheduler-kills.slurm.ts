// Jobs the scheduler ends, on a real single-node cluster that enforces --mem (without cgroups: slurmd samples each
// job's memory and kills one past its limit): the run is error with Slurm's cause and what it logged until then.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {json, lode, lodeAsync, waitUntil, type CliResult} from '../helpers/project.ts'
import {startSlurmProject, stopSlurmProject, type Cluster} from './cluster.ts'

// logs a result, then holds 400 MB (touched, so it is resident) until it is killed
const HOG = `import type {Context} from 'lode'
export async function handler(ctx: Context) {
  ctx.logResult('began', 1)
  const held = Buffer.alloc(400 * 1024 * 1024, 1)
  ctx.logResult('allocated', held.length)
  await new Promise((resolve) => setTimeout(resolve, 120_000))
}
`
// waits for its gate file, then logs an artifact
const GATED = `import type {Context} from 'lode'
import {existsSync} from 'node:fs'
export async function handler(ctx: Context, {gate}: {gate: string}) {
  while (!existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 50))
  await ctx.logArtifact('out', {body: 'made'})
}
`
const SMALL = `import type {Context} from 'lode'
export async function handler(ctx: Context) {
  ctx.logResult('fine', 1)
}
`

describe('slurm: jobs the scheduler kills', function () {
  this.timeout(180_000)
  let cluster: Cluster
  let dir: string
  const run = (args: string[]) => lode(args, {cwd: dir, env: cluster.env})
  const explain = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`
  const jobState = (id: string) => spawnSync('squeue', ['--states=all', '-h', '-o', '%T', '-j', id], {env: {...process.env, ...cluster.env}, encoding: 'utf8'}).stdout.trim()

  before(async function () {
    ({cluster, dir} = await startSlurmProject(this, 'kills', () => ({'hog.ts': HOG, 'small.ts': SMALL, 'gated.ts': GATED,
      'wf.yaml': `name: wf\nsteps:\n  first: {function: gated.ts, params: {gate: never}, outputs: [out]}\n  second: {function: small.ts, inputs: {x: '{{ steps.first.outputs.out }}'}}\n`}), {memoryLimits: true}))
  })
  after(() => stopSlurmProject(cluster, dir))

  it('a job past its --mem is error OUT_OF_MEMORY with what it used, though Slurm says FAILED without cgroups', () => {
    const r = run(['run', 'hog.ts', '--runtime', 'slurm', '--mem', '100M', '--json'])
    expect(r.code, explain(r)).to.equal(1)
    const failed = json(r).error.details.run
    expect(failed.state).to.equal('error')
    expect(failed.error.message).to.match(/^OUT_OF_MEMORY: Slurm killed the job past its memory limit \(\d+ MiB used, 100 MiB asked for\); ask for more with --mem/)
    expect(failed.results).to.include({began: 1})
    // what Slurm itself says of it here
    expect(jobState(failed.job.id)).to.equal('FAILED')
    // a job within its limit is not taken for one past it
    const ok = run(['run', 'small.ts', '--runtime', 'slurm', '--mem', '200M', '--json'])
    expect(ok.code, explain(ok)).to.equal(0)
  })

  it('a workflow step whose job is cancelled from outside fails CANCELLED; the steps after it do not run', async () => {
    const p = lodeAsync(['workflow', 'run', 'wf.yaml', '--runtime', 'slurm', '--json'], {cwd: dir, env: cluster.env})
    let job: string | undefined
    expect(await waitUntil(() => {
      const runs = json(run(['runs', 'ls', '--name', 'first', '--json'])).data as {state: string; job?: {id: string}}[]
      job = runs.find((r) => r.state === 'running')?.job?.id
      return job !== undefined
    }, 60_000, 200)).to.equal(true)
    spawnSync('scancel', [job!], {env: {...process.env, ...cluster.env}})
    const r = await p
    expect(r.code, explain(r)).to.equal(1)
    const steps = json(r).error.details.workflow.steps as {name: string; state: string; error?: string}[]
    expect(steps.map((s) => [s.name, s.state])).to.deep.equal([['first', 'failed'], ['second', 'skipped']])
    expect(steps[0]!.error).to.match(new RegExp(`CANCELLED: job ${job} was cancelled outside lode`))
  })
})
