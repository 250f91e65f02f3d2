// Slurm's client commands, as lode calls them (through the one module that starts processes). One squeue a poll
// answers for every job this lode process follows (a workflow's forty steps cost one call, not forty).
import {runQuick} from '../../executor/spawn.ts'
import {parseScontrolJob, parseSqueue, type JobStatus} from './job-state.ts'

const HINT = "the slurm runtime needs Slurm's client commands (sbatch, squeue, scancel, scontrol) on PATH, configured for the cluster (SLURM_CONF)"

function failureText(command: string, r: {stderr: string; failure: {code: string | null; message: string} | null; exitCode: number | null}): string {
  if (r.failure?.code === 'ENOENT') return `${command} was not found: ${HINT}`
  const tail = r.stderr.trim().split('\n').slice(-3).join('\n')
  return `${command} failed${r.failure ? ` (${r.failure.message})` : ` with exit code ${r.exitCode}`}${tail ? `: ${tail}` : ''}`
}

/** Submit a batch script; the job id, or why it could not be submitted. */
export async function sbatch(args: string[], env: Record<string, string>): Promise<{id: string} | {error: string}> {
  const r = await runQuick('sbatch', args, {env: {...(process.env as Record<string, string>), ...env}})
  const id = r.stdout.trim().split(';')[0]
  if (r.failure || r.exitCode !== 0 || !id || !/^\d+(_\d+)?$/.test(id)) return {error: failureText('sbatch', r)}
  return {id}
}

/** Cancel jobs or array tasks (`JOBID`, `JOBID_TASK`), with one scancel. */
export async function scancel(...ids: string[]): Promise<void> {
  if (ids.length) await runQuick('scancel', ids, {timeoutMs: 5000})
}

/** Everything scontrol says of one job; null when Slurm does not know it (any more). */
export async function scontrolJob(id: string): Promise<JobStatus | null> {
  const r = await runQuick('scontrol', ['show', 'job', '-o', id], {timeoutMs: 5000})
  return r.exitCode === 0 ? parseScontrolJob(r.stdout) : null
}

/** State of these jobs; undefined when Slurm could not be asked (slurmctld down or busy): ask again later. */
export async function squeue(ids: string[]): Promise<Map<string, JobStatus> | undefined> {
  // -r: an array's pending tasks one a line (`JOBID_TASK`), not folded into one `JOBID_[1-3%2]`
  const r = await runQuick('squeue', ['--states=all', '-h', '-r', '-o', '%i|%T|%r', '-j', ids.join(',')], {timeoutMs: 10_000})
  if (r.failure || r.exitCode !== 0) {
    // an id Slurm has forgotten makes squeue fail alone: then every other job is known and answered by one each
    if (/Invalid job id/i.test(r.stderr) && ids.length > 1) {
      const one = await Promise.all(ids.map((id) => squeue([id])))
      if (one.some((m) => m === undefined)) return undefined
      return new Map(one.flatMap((m) => [...m!]))
    }
    return /Invalid job id/i.test(r.stderr) ? new Map() : undefined
  }
  return parseSqueue(r.stdout)
}

/**
 * How often the followed jobs' states are asked for. A job's start and end are seen sooner in its files (written
 * output, the exit status): Slurm is asked for the rest (why it waits, why it was ended), sparing the cores a job
 * would run on.
 */
const POLL_MS = 1000

type Listener = (status: JobStatus | null) => void
const listeners = new Map<string, Set<Listener>>()
let timer: NodeJS.Timeout | null = null
let polling = false

/** Call `on` with the job's state after each poll (null: Slurm does not know it); returns a function that stops. */
export function watchJob(id: string, on: Listener): () => void {
  let set = listeners.get(id)
  if (!set) listeners.set(id, (set = new Set()))
  set.add(on)
  schedule()
  return () => {
    set.delete(on)
    if (!set.size) listeners.delete(id)
    // a pending poll would keep lode alive up to POLL_MS after its last job ended
    if (!listeners.size && timer) {
      clearTimeout(timer)
      timer = null
    }
  }
}

function schedule(): void {
  if (!timer && !polling && listeners.size) timer = setTimeout(() => void poll(), POLL_MS)
}

async function poll(): Promise<void> {
  timer = null
  const ids = [...listeners.keys()]
  if (!ids.length) return
  polling = true
  try {
    const states = await squeue(ids)
    if (states) for (const id of ids) for (const on of listeners.get(id) ?? []) on(states.get(id) ?? null)
  } finally {
    polling = false
  }
  schedule()
}
