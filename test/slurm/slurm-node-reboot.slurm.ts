// A node restarted mid-job, on a real single-node cluster: slurmd, slurmstepd and every process of the job killed at
// once, slurmd started again. Slurm fails the job (NODE_FAIL) at the node's next registration; lode, still following
// the job or attached to it later, records the run as error with that cause and with what the job logged before.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, lodeAsync, waitUntil, type CliResult} from '../helpers/project.ts'
import {startSlurmProject, stopSlurmProject, type Cluster} from './cluster.ts'

// logs a result, stages a file it never logs, writes half an event line (as a node losing power cuts it), then waits
const CUT = `import type {Context} from 'lode'
import {writeFileSync, writeSync} from 'node:fs'
import {join} from 'node:path'
export async function handler(ctx: Context) {
  ctx.logResult('began', 1)
  writeFileSync(join(ctx.artifactPath, 'staged-only.txt'), 'never logged')
  writeSync(3, '{"t":"result","ts":1,"key":"cut","va')
  await new Promise((resolve) => setTimeout(resolve, 600_000))
}
`

describe('slurm: a node restarted mid-job', function () {
  // Slurm notices the job missing at the node's registration: every ~20 pings of SlurmdTimeout/3 (here 1 s), once
  // the job is older than BatchStartTimeout + MessageTimeout (20 s)
  this.timeout(180_000)
  let cluster: Cluster
  let dir: string
  const run = (args: string[]) => lode(args, {cwd: dir, env: cluster.env})
  const record = (uid: string) => json(run(['runs', 'get', uid, '--json'])).data
  const latestUid = () => json(run(['runs', 'ls', '--limit', '1', '--json'])).data[0]?.uid as string | undefined
  const jobState = (id: string) => spawnSync('squeue', ['--states=all', '-h', '-o', '%T', '-j', id], {env: {...process.env, ...cluster.env}, encoding: 'utf8'}).stdout.trim()
  const explain = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`

  before(async function () {
    ({cluster, dir} = await startSlurmProject(this, 'reboot', () => ({'cut.ts': CUT}), {slurmdTimeout: 3}))
  })
  after(() => stopSlurmProject(cluster, dir))

  /** Starts cut.ts as a job; its uid once the job has written its cut line. */
  async function startCutJob(): Promise<{uid: string; p: ReturnType<typeof lodeAsync>}> {
    const before = latestUid()
    const p = lodeAsync(['run', 'cut.ts', '--runtime', 'slurm', '--json'], {cwd: dir, env: cluster.env})
    let uid: string | undefined
    const events = () => (uid ? join(dir, '.lode', 'runs', uid, 'job', 'events.jsonl') : '')
    expect(await waitUntil(() => {
      uid = latestUid()
      return uid !== undefined && uid !== before && existsSync(events()) && readFileSync(events(), 'utf8').includes('"key":"cut"')
    }, 60_000, 100), 'the job wrote its events').to.equal(true)
    return {uid: uid!, p}
  }

  type Failed = {state: string; error: {message: string}; exitCode: number | null; signal: string | null; results: unknown; outputs: Record<string, unknown>; warnings: string[]; job: {id: string}}
  function expectNodeFailed(r: Failed) {
    expect(r.state).to.equal('error')
    expect(r.error.message).to.match(new RegExp(`^NODE_FAIL: the node ${cluster.node} running job ${r.job.id} failed`))
    // the cut line is said as what it is, not taken for writers that interleaved
    expect(r.error.message).to.match(/the job's last event line was cut short \(\d+ bytes\)/)
    expect(r.warnings.join('\n')).to.not.include('not JSON')
    // Slurm makes up an exit for a failed node's job (ExitCode=0:1): the handler's own is not known
    expect([r.exitCode, r.signal]).to.deep.equal([null, null])
    expect(r.results).to.deep.equal({began: 1})
    // the staged file it never logged is not an artifact
    expect(Object.keys(r.outputs)).to.deep.equal(['began'])
    expect(jobState(r.job.id)).to.equal('NODE_FAIL')
  }

  it('the lode following the job records it as error NODE_FAIL with what it logged', async () => {
    const {uid, p} = await startCutJob()
    const t0 = Date.now()
    await cluster.rebootNode()
    const r = await p
    console.log(`      (NODE_FAIL recorded ${((Date.now() - t0) / 1000).toFixed(1)} s after the reboot)`)
    expect(r.code, explain(r)).to.equal(1)
    expectNodeFailed(json(r).error.details.run)
    expect(record(uid).state).to.equal('error')
    // the run's folder holds only what lode keeps
    expect(existsSync(join(dir, '.lode', 'runs', uid, 'staging'))).to.equal(false)
  })

  it('lode killed -9, the node restarted: runs attach records the run as error NODE_FAIL', async () => {
    const {uid, p} = await startCutJob()
    p.child.kill('SIGKILL')
    await p
    await cluster.rebootNode()
    expect(json(run(['runs', 'ls', '--json'])).data.find((x: {uid: string}) => x.uid === uid).state).to.be.oneOf(['detached', 'error'])
    const r = lode(['runs', 'attach', uid, '--json'], {cwd: dir, env: cluster.env})
    expect(r.code, explain(r)).to.equal(1)
    expectNodeFailed(json(r).error.details.run)
  })
})
