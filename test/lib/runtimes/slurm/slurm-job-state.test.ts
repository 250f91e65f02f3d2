import {expect} from 'chai'
import {causeOf, exitOfJob, memoryKillOf, outOfMemoryCause, parseScontrolJob, parseSqueue, phaseOf} from '../../../../src/lib/runtimes/slurm/job-state.ts'
import {runtimeFromConfig, runtimeFromFlags} from '../../../../src/lib/executor/runtime-spec.ts'
import {UserError} from '../../../../src/lib/errors.ts'

// as Slurm 22.05's `scontrol show job -o` prints them
const job = (state: string, reason = 'None', exit = '0:0') =>
  `JobId=17 JobName=lode-train UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901759 Nice=0 Account=(null) QOS=(null) JobState=${state} Reason=${reason} Dependency=(null) Requeue=0 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=${exit} RunTime=00:01:02 TimeLimit=00:01:00 TimeMin=N/A SubmitTime=2026-12-03T06:59:28 Partition=debug NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 WorkDir=/tmp/p StdErr=/tmp/p/.lode/runs/x/job/stderr StdIn=/dev/null StdOut=/tmp/p/.lode/runs/x/job/stdout Power= \n`

describe('slurm job states', () => {
  it('reads state, reason and exit code from scontrol show job', () => {
    expect(parseScontrolJob(job('TIMEOUT', 'TimeLimit', '0:15'))).to.deep.equal({id: '17', state: 'TIMEOUT', reason: 'TimeLimit', exitCode: 0, signal: 15, node: 'vm'})
    expect(parseScontrolJob(job('PENDING', 'Resources'))).to.include({state: 'PENDING', reason: 'Resources'})
    expect(parseScontrolJob('slurm_load_jobs error: Invalid job id specified')).to.equal(null)
  })

  it('names an array task JOBID_TASK, as squeue -r does, though scontrol gives it a job id of its own', () => {
    const task = job('FAILED', 'NonZeroExitCode', '3:0').replace('JobId=17 ', 'JobId=19 ArrayJobId=17 ArrayTaskId=2 ')
    expect(parseScontrolJob(task)).to.deep.equal({id: '17_2', state: 'FAILED', reason: 'NonZeroExitCode', exitCode: 3, signal: 0, node: 'vm'})
  })

  it('reads squeue lines by job id', () => {
    const m = parseSqueue('17|RUNNING|None\n18|PENDING|Priority\n')
    expect(m.get('18')).to.deep.equal({id: '18', state: 'PENDING', reason: 'Priority'})
    expect(m.get('17')?.state).to.equal('RUNNING')
  })

  it('maps Slurm states to queued, running and ended', () => {
    for (const s of ['PENDING', 'REQUEUED', 'CONFIGURING']) expect(phaseOf(s), s).to.equal('queued')
    for (const s of ['RUNNING', 'COMPLETING', 'SUSPENDED']) expect(phaseOf(s), s).to.equal('running')
    for (const s of ['COMPLETED', 'FAILED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'CANCELLED', 'CANCELLED+']) expect(phaseOf(s), s).to.equal('ended')
  })

  it("says Slurm's cause first, with what to do", () => {
    const of = (state: string) => causeOf(parseScontrolJob(job(state))!, {timeLimit: '1'})
    expect(of('TIMEOUT')).to.match(/^TIMEOUT: .*--time 1\)/)
    expect(of('OUT_OF_MEMORY')).to.match(/^OUT_OF_MEMORY: .*--mem/)
    expect(of('NODE_FAIL')).to.match(/^NODE_FAIL: the node vm running job 17 failed \(it stopped answering Slurm, or restarted\)/)
    expect(of('CANCELLED')).to.match(/^CANCELLED: job 17 was cancelled outside lode/)
    expect(of('FAILED')).to.match(/^FAILED: /)
  })
})

describe('slurm exit codes', () => {
  it("keeps the script's exit as Slurm recorded it, but not the one Slurm makes up for a failed node's job", () => {
    expect(exitOfJob(parseScontrolJob(job('FAILED', 'NonZeroExitCode', '3:0'))!)).to.deep.equal({exitCode: 3, signal: null})
    expect(exitOfJob(parseScontrolJob(job('TIMEOUT', 'TimeLimit', '0:15'))!)).to.deep.equal({exitCode: null, signal: 15})
    // what slurmctld 22.05 recorded for a job missing from its node after slurmd came back
    expect(exitOfJob(parseScontrolJob(job('NODE_FAIL', 'None', '0:1'))!)).to.deep.equal({exitCode: null, signal: null})
  })
})

describe('slurm memory kills', () => {
  it("reads slurmstepd's word on a job it killed past its --mem (Slurm 22.05 without cgroups records it FAILED)", () => {
    const stderr = 'Traceback...\nslurmstepd-vm: error: StepId=1.batch exceeded memory limit (435122176 > 104857600), being killed\nslurmstepd-vm: error: Exceeded job memory limit\n'
    const kill = memoryKillOf(stderr)
    expect(kill).to.deep.equal({used: 435122176, limit: 104857600})
    expect(outOfMemoryCause(kill!)).to.equal('OUT_OF_MEMORY: Slurm killed the job past its memory limit (415 MiB used, 100 MiB asked for); ask for more with --mem')
    expect(memoryKillOf('my handler printed: exceeded memory limit (1 > 0)\n')).to.equal(null)
  })
})

describe('runtime options', () => {
  it('takes --runtime slurm and its options over a function\'s own', () => {
    expect(runtimeFromFlags({})).to.equal(undefined)
    expect(runtimeFromFlags({runtime: 'slurm', time: '5', cpus: '2', 'slurm-arg': ['--qos=x']}, {name: 'slurm', mem: '1G', args: ['--exclusive']}))
      .to.deep.equal({name: 'slurm', mem: '1G', time: '5', cpus: 2, args: ['--exclusive', '--qos=x']})
    expect(runtimeFromFlags({time: '1:00'}, {name: 'slurm'})).to.deep.equal({name: 'slurm', time: '1:00'})
    expect(runtimeFromFlags({runtime: 'local'}, {name: 'slurm', time: '5'})).to.deep.equal({name: 'local'})
  })

  it('refuses Slurm options without a cluster runtime, and values Slurm would refuse, saying what to write', () => {
    expect(() => runtimeFromFlags({time: '5'})).to.throw(UserError, /options of a cluster runtime/)
    expect(() => runtimeFromFlags({runtime: 'slurm', time: 'an hour'})).to.throw(UserError, /not a Slurm time limit/)
    expect(() => runtimeFromFlags({runtime: 'slurm', mem: 'lots'})).to.throw(UserError, /memory size/)
    expect(() => runtimeFromFlags({runtime: 'slurm', 'slurm-arg': ['qos=high']})).to.throw(UserError, /not an sbatch option/)
  })

  it('reads runtime: from lode.yaml as a name or a mapping', () => {
    expect(runtimeFromConfig('slurm', 'f')).to.deep.equal({name: 'slurm'})
    expect(runtimeFromConfig({name: 'slurm', time: '0:30', cpus: 2, args: ['--exclusive']}, 'f')).to.deep.equal({name: 'slurm', time: '0:30', cpus: 2, args: ['--exclusive']})
    expect(() => runtimeFromConfig('kubernetes', 'lode.yaml: functions.train')).to.throw(UserError, /functions.train: unknown runtime "kubernetes"/)
    expect(() => runtimeFromConfig({name: 'slurm', memory: '4G'}, 'f')).to.throw(UserError, /unknown runtime option "memory"/)
  })

  it('takes a pack size (steps per job) from --slurm-pack or pack:, a whole number of at least 1', () => {
    expect(runtimeFromFlags({runtime: 'slurm', 'slurm-pack': 8})).to.deep.equal({name: 'slurm', pack: 8})
    expect(runtimeFromConfig({name: 'slurm', pack: 4}, 'f')).to.deep.equal({name: 'slurm', pack: 4})
    expect(() => runtimeFromConfig({name: 'slurm', pack: 0}, 'f')).to.throw(UserError, /pack must be a whole number of at least 1/)
    expect(() => runtimeFromFlags({'slurm-pack': 2})).to.throw(UserError, /options of a cluster runtime/)
  })
})
