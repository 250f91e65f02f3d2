// `lode workflow run --resume` of a workflow started with --runtime slurm, on a real single-node cluster.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, type CliResult} from '../helpers/project.ts'
import {startSlurmProject, stopSlurmProject, type Cluster} from './cluster.ts'

// fails until its gate file exists
const GATED = `import {existsSync} from 'node:fs'
export function handler(_ctx: unknown, {gate}: {gate: string}) {
  if (!existsSync(gate)) throw new Error('the gate is closed')
}
`

describe('workflow --resume on slurm', function () {
  this.timeout(120_000)
  let cluster: Cluster
  let dir: string
  const run = (args: string[]) => lode(args, {cwd: dir, env: cluster.env})
  const explain = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`

  before(async function () {
    ({cluster, dir} = await startSlurmProject(this, 'res', (d) => ({'gated.ts': GATED, 'wf.yaml': `name: wf\nsteps:\n  gated: {function: gated.ts, params: {gate: ${JSON.stringify(join(d, 'gate'))}}}\n`})))
  })
  after(() => stopSlurmProject(cluster, dir))

  it('remembers the --runtime and its options the workflow was started with', () => {
    const first = run(['workflow', 'run', 'wf.yaml', '--runtime', 'slurm', '--time', '7', '--json'])
    expect(first.code, explain(first)).to.equal(1)
    const id = json(first).error.details.workflow.id as string
    writeFileSync(join(dir, 'gate'), '')
    const resumed = run(['workflow', 'run', '--resume', id, '--json'])
    expect(resumed.code, explain(resumed)).to.equal(0)
    const step = (json(resumed).data.steps as {name: string; state: string; run: string}[])[0]!
    expect(step.state).to.equal('done')
    const job = json(run(['runs', 'get', step.run, '--json'])).data.job
    expect(job, 'the resumed step ran as a Slurm job').to.include({runtime: 'slurm'})
    const limit = spawnSync('scontrol', ['show', 'job', '-o', job.id], {env: {...process.env, ...cluster.env}, encoding: 'utf8'}).stdout
    expect(limit).to.match(/TimeLimit=00:07:00/)
  })
})
