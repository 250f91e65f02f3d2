// The slurm runtime on a real single-node cluster (started here, stopped at the end; needs slurm-wlm and munge):
// 1. lode's cost per job: `lode run noop.ts --runtime slurm`, submission to recorded completion, against a bare
//    `sbatch --wrap` of the same command whose end is seen by polling a file it touches last (target <= +300 ms).
// 2. 40 independent 1 s steps of a workflow on the 2-core cluster packed 20 to a job (--slurm-pack 20), against the
//    ideal 20 s (target <= 1.3x); one job per step, and the same 40 jobs submitted bare with sbatch, are shown for
//    what Slurm's ~1 s per job costs.
// Where lode's extra time per job went (2026-12, load average ~10 on 2 cores; timestamps from the job script, the
// handler and shims of sbatch/squeue): lode's start to its sbatch 270-800 ms (CLI start-up and project opening
// 300-390 ms of it, executeRun to sbatch 20-140 ms), the job's start to the handler 230-300 ms (the node runner,
// against ~100 ms for bare node), the handler's end to lode's exit 50-100 ms (the exit file seen, the run recorded).
// Slurm itself starts a job 0.25-1 s after sbatch, and the next job on a freed core 0-1 s after the last one ends
// (slurmd frees the core at once if the job's step is already gone when the controller ends the job, else sleeps a
// whole second before it looks again; no slurm.conf setting changes that): Slurm, not lode, is most of the 40 steps'
// time, bare sbatch included. One job array of the 40 (tried by hand) took 34.3 s against 37.6 s for 40 sbatch.
import {spawnSync} from 'node:child_process'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {haveSlurm, startCluster} from '../test/slurm/cluster.ts'
import {BIN, report, timeInterleaved, tmp} from './lib.ts'

const args = process.argv.slice(2)
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : ['job', 'workflow']
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 8
const STEPS = 40

if (!haveSlurm()) {
  console.log('skipped: slurm-wlm and munge are not installed (apt-get install -y slurm-wlm munge)')
  process.exit(0)
}

const cluster = await startCluster({cpus: 2})
/** Until the node runs nothing (sinfo: idle, not mix, alloc or completing). */
function waitIdle(): void {
  const until = Date.now() + 30_000
  while (spawnSync('sinfo', ['-h', '-o', '%t'], {encoding: 'utf8'}).stdout.trim() !== 'idle') {
    if (Date.now() > until) throw new Error('the node did not become idle within 30 s')
    spawnSync('sleep', ['0.05'])
  }
}
Object.assign(process.env, cluster.env)
const dir = tmp('lode-bench-slurm-')
try {
  spawnSync(process.execPath, [BIN, 'init', '--name', 'bench'], {cwd: dir, stdio: 'ignore'})
  writeFileSync(join(dir, 'noop.ts'), 'export function handler() {}\n')

  if (only.includes('job')) {
    const done = join(dir, 'bare-done')
    // the same command lode's job runs (node on the handler file), its end seen by polling as lode follows a job
    const bare = `rm -f ${done}; sbatch --parsable --chdir=${dir} --output=/dev/null --wrap "${process.execPath} ${join(dir, 'noop.ts')}; touch ${done}" >/dev/null && until [ -e ${done} ]; do sleep 0.01; done`
    // each sample starts on an idle node: the previous job's core can stay taken up to a second after it ended
    const [lode, sbatch] = timeInterleaved([
      {cmd: process.execPath, args: [BIN, 'run', 'noop.ts', '--runtime', 'slurm'], cwd: dir, before: waitIdle},
      {cmd: 'bash', args: ['-c', bare], cwd: dir, before: waitIdle},
    ], {runs, warmup: 1})
    report('lode run --runtime slurm (submit to recorded)', lode!, sbatch!, '<= +300 ms')
    // for scale: what lode adds to the same handler run locally, on this machine at this moment
    const [local, node] = timeInterleaved([
      {cmd: process.execPath, args: [BIN, 'run', 'noop.ts'], cwd: dir},
      {cmd: process.execPath, args: [join(dir, 'noop.ts')], cwd: dir},
    ], {runs, warmup: 1})
    report('  lode run noop.ts locally, against node', local!, node!, 'informative')
  }

  if (only.includes('workflow')) {
    const steps = Array.from({length: STEPS}, (_, i) => `  s${i}: {function: nap, params: {i: ${i}}}`).join('\n')
    writeFileSync(join(dir, 'lode.yaml'), `name: bench\nfunctions:\n  nap: {command: [sleep, '1']}\n`)
    writeFileSync(join(dir, 'wide.yaml'), `name: wide\nsteps:\n${steps}\n`)
    const bareDir = join(dir, 'bare')
    const bare = `mkdir -p ${bareDir} && rm -f ${bareDir}/*; for i in $(seq ${STEPS}); do sbatch --parsable --output=/dev/null --wrap "sleep 1; touch ${bareDir}/\${i}" >/dev/null; done; until [ "$(ls ${bareDir} | wc -l)" -ge ${STEPS} ]; do sleep 0.05; done`
    const wide = [BIN, 'workflow', 'run', 'wide.yaml', '--runtime', 'slurm', '--parallel', String(STEPS), '--no-cache']
    const [packed, workflow, sbatch] = timeInterleaved([
      // half the steps to a job: two jobs, one per core, each running its 20 steps one after another
      {cmd: process.execPath, args: [...wide, '--slurm-pack', String(STEPS / 2)], cwd: dir, before: waitIdle},
      {cmd: process.execPath, args: wide, cwd: dir, before: waitIdle},
      {cmd: 'bash', args: ['-c', bare], cwd: dir, before: waitIdle},
    ], {runs: 1, warmup: 0})
    const ideal = (STEPS * 1000) / 2
    report(`${STEPS} x 1 s workflow steps on 2 cores, --slurm-pack ${STEPS / 2}, vs ideal`, packed!, ideal, '<= 1.3x')
    report(`  the same, one job per step, vs ideal`, workflow!, ideal, 'informative')
    report(`  the same ${STEPS} jobs by bare sbatch vs ideal`, sbatch!, ideal, 'informative')
  }
} finally {
  await cluster.stop()
  rmSync(dir, {recursive: true, force: true})
}
