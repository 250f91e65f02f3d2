// A sweep's iterations as one Slurm job array. Each iteration's run writes its batch script into its own folder, as a
// job of its own would; once every iteration has either done so or said it will not run (cached, refused, cancelled),
// one `sbatch --array=1,2,...%P` submits a script whose task N runs iteration N's. Each run then follows its task,
// `JOBID_N`, from its own folder: the same follower, states and attach as a single job.
import {chmodSync, mkdirSync, writeFileSync} from '../../util/fs.ts'
import {join} from 'node:path'
import type {Runtime, RuntimeRun} from '../../executor/runtime.ts'
import type {ExitInfo} from '../../executor/spawn.ts'
import type {RuntimeSpec} from '../../types.ts'
import {sbatch, scancel} from './commands.ts'
import {followJob} from './follow.ts'
import {NOT_SUBMITTED, removeJobFiles, writeJobScript} from './runtime.ts'
import {arrayScript, sbatchArgs} from './script.ts'

/** Cancels asked for within this long go to one scancel (a stop condition ending every queued task at once). */
const CANCEL_BATCH_MS = 20

type Submitted = {id: string} | {error: string}

export interface JobArrayOptions {
  /** the sweep's name, for the job's */
  name: string
  /** the parent run's folder: the array's own script goes in its job/ */
  dir: string
  cwd: string
  /** task numbers: the iterations, 1..N */
  tasks: number[]
  /** tasks at once (%P) */
  parallel: number
  /** the sweep stopped (Ctrl-C, lode runs abort of the parent, too many errors): one scancel ends the whole array */
  signal: AbortSignal
}

export class JobArray {
  readonly #spec: Extract<RuntimeSpec, {name: 'slurm'}>
  readonly #o: JobArrayOptions
  /** task -> its run's folder */
  readonly #ready = new Map<number, string>()
  readonly #waiting: Set<number>
  #secretEnv: Record<string, string> = {}
  readonly #submitted: Promise<Submitted>
  #resolve!: (s: Submitted) => void
  #id: string | null = null
  /** sbatch was called: every ready task is in the array */
  #sent = false
  #cancelAll: Promise<void> | null = null
  #batch: {ids: Set<string>; done: Promise<void>} | null = null
  #onSubmitted: ((id: string) => void) | null = null

  constructor(spec: Extract<RuntimeSpec, {name: 'slurm'}>, o: JobArrayOptions) {
    this.#spec = spec
    this.#o = o
    this.#waiting = new Set(o.tasks)
    this.#submitted = new Promise((resolve) => (this.#resolve = resolve))
    o.signal.addEventListener('abort', () => void this.#cancelArray(), {once: true})
  }

  /** The array's job id, once submitted. */
  get id(): string | null {
    return this.#id
  }

  /** Called with the array's job id once it is submitted (at once if it is already). */
  onSubmitted(on: (id: string) => void): void {
    if (this.#id !== null) on(this.#id)
    else this.#onSubmitted = on
  }

  /** The runtime of iteration `task`: its run joins the array. */
  task(task: number): Runtime {
    return {name: 'slurm', run: (r) => this.#run(task, r), cleanup: removeJobFiles}
  }

  /** Iteration `task` will not run (cached, refused, cancelled before it began, or already over). */
  skip(task: number): void {
    if (this.#waiting.delete(task)) this.#submitWhenAllSaid()
  }

  async #run(task: number, r: RuntimeRun): Promise<ExitInfo> {
    writeJobScript(r)
    if (r.signal.aborted) {
      this.skip(task)
      return NOT_SUBMITTED
    }
    this.#ready.set(task, r.runDir)
    this.#secretEnv = r.secretEnv
    this.skip(task)
    // stopped while the others were still being prepared: it leaves the array before it is submitted
    const stopped = new Promise<'stopped'>((resolve) => r.signal.addEventListener('abort', () => resolve('stopped'), {once: true}))
    const submitted = await Promise.race([this.#submitted, stopped])
    if (submitted === 'stopped' && !this.#sent) {
      this.#ready.delete(task)
      return NOT_SUBMITTED
    }
    const s = submitted === 'stopped' ? await this.#submitted : submitted
    if ('error' in s) return {exitCode: null, signal: null, aborted: false, startError: s.error, leftBehind: 0}
    const job = {runtime: 'slurm' as const, id: `${s.id}_${task}`}
    r.onJob?.(job, 'queued')
    return followJob({...r, job, runDir: r.runDir, signal: r.signal, cancel: (id) => this.#cancel(id), ...(this.#spec.time ? {timeLimit: this.#spec.time} : {})})
  }

  #submitWhenAllSaid(): void {
    if (this.#waiting.size) return
    if (!this.#ready.size || this.#o.signal.aborted) return this.#resolve({error: 'the sweep stopped before its job array was submitted'})
    const dir = join(this.#o.dir, 'job')
    const script = join(dir, 'array.sh')
    mkdirSync(dir, {recursive: true})
    writeFileSync(script, arrayScript(this.#ready))
    chmodSync(script, 0o700)
    // what Slurm writes itself (the script could not start) goes beside it
    const out = join(dir, 'task-%a.out')
    const tasks = [...this.#ready.keys()].sort((a, b) => a - b).join(',')
    const args = sbatchArgs(this.#spec, {name: this.#o.name, cwd: this.#o.cwd, output: out, error: out, script, array: `${tasks}%${this.#o.parallel}`})
    this.#sent = true
    void sbatch(args, this.#secretEnv).then((s) => {
      if ('id' in s) {
        this.#id = s.id
        this.#onSubmitted?.(s.id)
        if (this.#o.signal.aborted) void this.#cancelArray()
      }
      this.#resolve(s)
    })
  }

  #cancelArray(): Promise<void> {
    if (this.#id === null) return Promise.resolve() // not submitted: nothing runs; the tasks leave it as they stop
    return (this.#cancelAll ??= scancel(this.#id))
  }

  /** One task's cancel; those asked for together go to Slurm in one scancel, and none once the whole array is. */
  #cancel(id: string): Promise<void> {
    if (this.#o.signal.aborted) return this.#cancelArray()
    if (!this.#batch) {
      const batch = {ids: new Set<string>(), done: new Promise<void>((resolve) => setTimeout(() => {
        this.#batch = null
        void scancel(...batch.ids).then(resolve)
      }, CANCEL_BATCH_MS))}
      this.#batch = batch
    }
    this.#batch.ids.add(id)
    return this.#batch.done
  }
}
