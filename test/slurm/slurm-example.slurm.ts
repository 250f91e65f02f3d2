// The README's example pipeline (examples/cancer: hub functions, Python with scikit-learn, a parallel pair of steps)
// with --runtime slurm on a real single-node cluster, as a new user would run it; then again, every step cached.
import {expect} from 'chai'
import {cpSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, ROOT, type CliResult} from '../helpers/project.ts'
import {startSlurmProject, stopSlurmProject, type Cluster} from './cluster.ts'

const PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'

describe('slurm: the example pipeline', function () {
  this.timeout(240_000)
  let cluster: Cluster
  let dir: string
  const run = (args: string[]) => lode(args, {cwd: dir, env: {...cluster.env, LODE_PYTHON: PYTHON}})
  const explain = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`

  before(async function () {
    ({cluster, dir} = await startSlurmProject(this, 'cancer', () => ({'h.ts': 'export function handler(ctx: {logResult(k: string, v: number): void}) {\n  ctx.logResult(\'x\', 1)\n}\n'})))
    cpSync(join(ROOT, 'examples', 'cancer'), dir, {recursive: true, filter: (src) => !src.includes('.lode')})
  })
  after(() => stopSlurmProject(cluster, dir))

  it('runs every step as a job and records the model and its accuracy; a rerun reuses them all', () => {
    const first = run(['workflow', 'run', 'workflow.yaml', '--runtime', 'slurm', '--json'])
    expect(first.code, explain(first)).to.equal(0)
    const wf = json(first).data
    const steps = wf.steps as {name: string; state: string; run: string}[]
    expect(steps.map((s) => [s.name, s.state])).to.deep.equal([['ingest', 'done'], ['train', 'done'], ['evaluate', 'done'], ['predict', 'done']])
    for (const s of steps) expect(json(run(['runs', 'get', s.run, '--json'])).data.job, s.name).to.include({runtime: 'slurm'})
    expect(wf.outputs.accuracy).to.be.above(0.9)
    expect(wf.outputs.model).to.match(/^store:\/\/models\/cancer\/model@/)
    expect(run(['artifacts', 'get', wf.outputs.model, '--json']).code).to.equal(0)

    const again = run(['workflow', 'run', 'workflow.yaml', '--runtime', 'slurm', '--json'])
    expect(again.code, explain(again)).to.equal(0)
    expect((json(again).data.steps as {state: string}[]).map((s) => s.state)).to.deep.equal(['cached', 'cached', 'cached', 'cached'])
  })

  it('says a job runs before what it logged', () => {
    const r = run(['run', 'h.ts', '--runtime', 'slurm'])
    expect(r.code, explain(r)).to.equal(0)
    const lines = r.stderr.split('\n')
    const queued = lines.findIndex((l) => /queued slurm job \d+/.test(l))
    const running = lines.findIndex((l) => /run \w+ running h\.ts/.test(l))
    const result = lines.findIndex((l) => /result x=1/.test(l))
    expect([queued, running, result].every((i) => i >= 0), r.stderr).to.equal(true)
    expect(queued < running && running < result, r.stderr).to.equal(true)
  })
})
