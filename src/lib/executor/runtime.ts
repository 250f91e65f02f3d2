// Where a run's process executes: a local process (spawn.ts) or a job of a cluster scheduler. The executor plans the
// handler's command the same way for every runtime and talks to this interface only; one file per runtime.
import {UserError} from '../errors.ts'
import type {LaunchPlan} from '../runtimes/plan.ts'
import type {RunJob, RuntimeSpec} from '../types.ts'
import type {ExitInfo, SpawnHooks} from './spawn.ts'

export interface RuntimeRun extends SpawnHooks {
  uid: string
  name: string
  /** the run's folder: a runtime that is not local keeps its job's files there (a filesystem the nodes share) */
  runDir: string
  plan: LaunchPlan
  cwd: string
  /** the run is stopped (Ctrl-C, lode runs abort): end the process, cancel the job */
  signal: AbortSignal
  /** secret values: they reach the handler's environment, never a file */
  secretEnv: Record<string, string>
  /** a local process started (its pid leads the handler's process group) */
  onStart?(pid: number): void
  /** a job was submitted, or changed state: queued (with the scheduler's reason), then running */
  onJob?(job: RunJob, state: 'queued' | 'running'): void
}

export interface Runtime {
  readonly name: RuntimeSpec['name']
  /** Start the handler and follow it to its end: events and output through the hooks, the exit as it was. */
  run(r: RuntimeRun): Promise<ExitInfo>
  /** Once the run is recorded: remove what the job left in the run's folder (raw output, before masking). */
  cleanup?(runDir: string): Promise<void>
}

export async function runtimeFor(spec: RuntimeSpec | undefined): Promise<Runtime> {
  if (!spec || spec.name === 'local') return (await import('./runtime-local.ts')).localRuntime
  if (spec.name === 'slurm') return new (await import('../runtimes/slurm/runtime.ts')).SlurmRuntime(spec)
  throw new UserError(`Unknown runtime "${(spec as {name: string}).name}".`, 'Use --runtime local or --runtime slurm')
}
