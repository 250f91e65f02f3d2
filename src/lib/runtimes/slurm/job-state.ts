// What Slurm says of a job (`scontrol show job -o`, `squeue -o '%i|%T|%r'`), and what that means for the run.
// Without accounting (no sacct) a finished job stays visible for MinJobAge; past that Slurm no longer knows it.

export interface JobStatus {
  id: string
  /** Slurm's JobState: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, CANCELLED... */
  state: string
  /** why it waits (Priority, Resources) or ended (NonZeroExitCode); 'None' when there is nothing to say */
  reason: string
  /** ExitCode=<status>:<signal>, when scontrol says it */
  exitCode?: number
  signal?: number
  /** the node that ran its batch script (BatchHost), when scontrol says it */
  node?: string
}

/** The job's fields from one line of `scontrol show job -o` (values never hold spaces for the keys read here). */
export function parseScontrolJob(text: string): JobStatus | null {
  const field = (key: string) => new RegExp(`(?:^|\\s)${key}=(\\S*)`).exec(text)?.[1]
  // an array task's JobId is a number of its own (or the array's, while pending): named as lode names it, JOBID_TASK
  const task = field('ArrayTaskId')
  const id = field('ArrayJobId') && task && /^\d+$/.test(task) ? `${field('ArrayJobId')}_${task}` : field('JobId')
  const state = field('JobState')
  if (!id || !state) return null
  const exit = /^(\d+):(\d+)$/.exec(field('ExitCode') ?? '')
  const node = field('BatchHost')
  return {id, state, reason: field('Reason') ?? 'None', ...(exit ? {exitCode: Number(exit[1]), signal: Number(exit[2])} : {}), ...(node && node !== '(null)' ? {node} : {})}
}

/** Lines of `squeue --states=all -h -o '%i|%T|%r'`, by job id. */
export function parseSqueue(text: string): Map<string, JobStatus> {
  const jobs = new Map<string, JobStatus>()
  for (const line of text.split('\n')) {
    const [id, state, reason] = line.trim().split('|')
    if (id && state) jobs.set(id, {id, state, reason: reason || 'None'})
  }
  return jobs
}

const QUEUED = new Set(['PENDING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESV_DEL_HOLD', 'CONFIGURING'])
const ENDED = new Set(['COMPLETED', 'FAILED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'CANCELLED', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED', 'REVOKED', 'SPECIAL_EXIT'])

/** What lode makes of a job's state: still waiting, running, or ended. */
export function phaseOf(state: string): 'queued' | 'running' | 'ended' {
  const s = state.replace(/\+$/, '').split(/\s/)[0]!
  if (QUEUED.has(s)) return 'queued'
  if (ENDED.has(s)) return 'ended'
  return 'running' // RUNNING, COMPLETING, SIGNALING, STAGE_OUT, SUSPENDED, RESIZING...
}

/**
 * A job slurmd killed past its --mem, from what slurmstepd wrote to its stderr ("StepId=7.batch exceeded memory limit
 * (435122176 > 104857600), being killed"): without cgroups (jobacct_gather's OverMemoryKill) Slurm records such a job
 * as FAILED (JobLaunchFailure), not OUT_OF_MEMORY. Bytes used and allowed; null when it says no such thing.
 */
export function memoryKillOf(stderr: string): {used: number; limit: number} | null {
  const m = /slurmstepd\S*: error: \S+ exceeded memory limit \((\d+) > (\d+)\), being killed/.exec(stderr)
  return m ? {used: Number(m[1]), limit: Number(m[2])} : null
}

export function outOfMemoryCause(kill: {used: number; limit: number}): string {
  const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MiB`
  return `OUT_OF_MEMORY: Slurm killed the job past its memory limit (${mib(kill.used)} used, ${mib(kill.limit)} asked for); ask for more with --mem`
}

/** States whose ExitCode Slurm makes up (a failed node's job gets 0:1): the handler's own exit is not known. */
const NO_EXIT = new Set(['NODE_FAIL', 'BOOT_FAIL'])

/** The batch script's exit as Slurm recorded it (ExitCode=<status>:<signal>); nulls where Slurm does not know it. */
export function exitOfJob(job: JobStatus): {exitCode: number | null; signal: number | null} {
  if (NO_EXIT.has(job.state.replace(/\+$/, ''))) return {exitCode: null, signal: null}
  // a script killed by a signal has no exit code of its own (Slurm says 0)
  return job.signal ? {exitCode: null, signal: job.signal} : {exitCode: job.exitCode ?? null, signal: null}
}

/**
 * Why Slurm ended a job before its script finished, as the run's error says it (the cause first, in Slurm's word).
 * `cancelledByLode`: lode itself asked (then the run is aborted, not an error).
 */
export function causeOf(job: JobStatus, o: {timeLimit?: string} = {}): string {
  const state = job.state.replace(/\+$/, '')
  switch (state) {
    case 'TIMEOUT': return `TIMEOUT: Slurm ended the job at its time limit${o.timeLimit ? ` (--time ${o.timeLimit})` : ''}; ask for more with --time`
    case 'OUT_OF_MEMORY': return 'OUT_OF_MEMORY: Slurm ended the job, which used more memory than it asked for; ask for more with --mem'
    case 'NODE_FAIL': return `NODE_FAIL: the node ${job.node ? `${job.node} ` : ''}running job ${job.id} failed (it stopped answering Slurm, or restarted); run it again`
    case 'CANCELLED': return `CANCELLED: job ${job.id} was cancelled outside lode (scancel, or an administrator)`
    case 'BOOT_FAIL': return 'BOOT_FAIL: the node for the job could not boot'
    case 'DEADLINE': return 'DEADLINE: the job reached its deadline'
    case 'PREEMPTED': return 'PREEMPTED: the job was preempted by another one'
    case 'FAILED': return `FAILED: Slurm could not run the job's script${job.reason !== 'None' ? ` (${job.reason})` : ''}${job.exitCode !== undefined ? `, exit code ${job.exitCode}` : ''}`
    default: return `${state}: Slurm ended job ${job.id} before the handler finished`
  }
}
