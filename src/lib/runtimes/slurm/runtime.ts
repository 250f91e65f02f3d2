// The slurm runtime: the run's handler command in a batch script, submitted with sbatch, followed through the run's
// folder. Only the submitting lode writes the database; the job writes files only.
import {chmodSync, mkdirSync, rm, writeFileSync} from '../../util/fs.ts'
import type {ExitInfo} from '../../executor/spawn.ts'
import type {Runtime, RuntimeRun} from '../../executor/runtime.ts'
import type {RuntimeSpec} from '../../types.ts'
import {sbatch} from './commands.ts'
import {followJob} from './follow.ts'
import {jobFiles, jobScript, runSbatchArgs} from './script.ts'

export class SlurmRuntime implements Runtime {
  readonly name = 'slurm' as const
  readonly spec: Extract<RuntimeSpec, {name: 'slurm'}>

  constructor(spec: Extract<RuntimeSpec, {name: 'slurm'}>) {
    this.spec = spec
  }

  async run(r: RuntimeRun): Promise<ExitInfo> {
    writeJobScript(r)
    if (r.signal.aborted) return NOT_SUBMITTED
    const submitted = await sbatch(runSbatchArgs(this.spec, {name: r.name, runDir: r.runDir, cwd: r.cwd}), r.secretEnv)
    if ('error' in submitted) return {exitCode: null, signal: null, aborted: false, startError: submitted.error, leftBehind: 0}
    const job = {runtime: 'slurm' as const, id: submitted.id}
    r.onJob?.(job, 'queued')
    return followJob({...r, job, runDir: r.runDir, signal: r.signal, ...(this.spec.time ? {timeLimit: this.spec.time} : {})})
  }

  async cleanup(runDir: string): Promise<void> {
    await removeJobFiles(runDir)
  }
}

/** A run stopped before its job was submitted. */
export const NOT_SUBMITTED: ExitInfo = {exitCode: null, signal: null, aborted: true, startError: null, leftBehind: 0}

/** The run's batch script, in its folder's job/. */
export function writeJobScript(r: RuntimeRun): void {
  const files = jobFiles(r.runDir)
  mkdirSync(files.dir, {recursive: true})
  writeFileSync(files.script, jobScript(r.plan, r.runDir))
  chmodSync(files.script, 0o700)
}

/** The job's raw files (unmasked output, events already journaled); its script stays, to show what was submitted. */
export async function removeJobFiles(runDir: string): Promise<void> {
  const f = jobFiles(runDir)
  await Promise.all([f.events, f.stdout, f.stderr, f.exit, f.cancel, f.packed].map((p) => rm(p, {force: true})))
}
