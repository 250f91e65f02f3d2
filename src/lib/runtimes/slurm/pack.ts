// Workflow steps packed into one Slurm job (`--slurm-pack N`, or `pack: N` in a step's runtime): Slurm takes about a
// second to start a job and to free its core, which short steps feel most. Steps that start within PACK_WAIT_MS of one
// another, with the same runtime options and secrets, go into one job (at most N), whose script runs them one after
// another. Each is still a run of its own (folder, events, artifacts, state), followed from its folder; an abort ends
// only its own process group (a cancel file the pack's script watches), not the job.
import {chmodSync, mkdirSync, writeFileSync} from '../../util/fs.ts'
import {join} from 'node:path'
import type {Runtime, RuntimeRun} from '../../executor/runtime.ts'
import type {ExitInfo} from '../../executor/spawn.ts'
import type {RuntimeSpec} from '../../types.ts'
import {sbatch} from './commands.ts'
import {followJob} from './follow.ts'
import {NOT_SUBMITTED, removeJobFiles, writeJobScript} from './runtime.ts'
import {jobFiles, packScript, sbatchArgs} from './script.ts'

type SlurmSpec = Extract<RuntimeSpec, {name: 'slurm'}>
type Submitted = {id: string} | {error: string}

/** How long a pack waits for more steps after its first before it is submitted (steps ready together arrive within it). */
const PACK_WAIT_MS = 150

class JobPack {
  readonly #spec: SlurmSpec
  readonly #o: {name: string; cwd: string; size: number; secretEnv: Record<string, string>}
  readonly #members: string[] = []
  readonly #submitted: Promise<Submitted>
  #resolve!: (s: Submitted) => void
  readonly #timer: NodeJS.Timeout
  sealed = false

  constructor(spec: SlurmSpec, o: {name: string; cwd: string; size: number; secretEnv: Record<string, string>}) {
    this.#spec = spec
    this.#o = o
    this.#submitted = new Promise((resolve) => (this.#resolve = resolve))
    this.#timer = setTimeout(() => this.#seal(), PACK_WAIT_MS)
  }

  async run(r: RuntimeRun): Promise<ExitInfo> {
    writeJobScript(r)
    if (r.signal.aborted) return NOT_SUBMITTED
    writeFileSync(jobFiles(r.runDir).packed, '')
    this.#members.push(r.runDir)
    if (this.#members.length >= this.#o.size) this.#seal()
    // stopped before the pack was submitted: it leaves the pack
    const stopped = new Promise<'stopped'>((resolve) => r.signal.addEventListener('abort', () => resolve('stopped'), {once: true}))
    const first = await Promise.race([this.#submitted, stopped])
    if (first === 'stopped' && !this.sealed) {
      this.#members.splice(this.#members.indexOf(r.runDir), 1)
      return NOT_SUBMITTED
    }
    const s = first === 'stopped' ? await this.#submitted : first
    if ('error' in s) return {exitCode: null, signal: null, aborted: false, startError: s.error, leftBehind: 0}
    const job = {runtime: 'slurm' as const, id: s.id}
    r.onJob?.(job, 'queued')
    return followJob({...r, job, runDir: r.runDir, signal: r.signal, ...(this.#spec.time ? {timeLimit: this.#spec.time} : {})})
  }

  #seal(): void {
    if (this.sealed) return
    this.sealed = true
    clearTimeout(this.#timer)
    const first = this.#members[0]
    if (first === undefined) return this.#resolve({error: 'every step of the pack stopped before it was submitted'})
    const dir = jobFiles(first).dir
    const script = join(dir, 'pack.sh')
    mkdirSync(dir, {recursive: true})
    writeFileSync(script, packScript(this.#members))
    chmodSync(script, 0o700)
    // what Slurm writes itself (the script could not start) goes beside it
    const out = join(dir, 'pack.out')
    const {pack: _, ...spec} = this.#spec
    void sbatch(sbatchArgs(spec, {name: this.#o.name, cwd: this.#o.cwd, output: out, error: out, script}), this.#o.secretEnv).then((s) => this.#resolve(s))
  }
}

/** The packs of one workflow run: a step joins the open pack of its runtime options and secrets, or opens one. */
export class JobPacker {
  readonly #o: {name: string}
  readonly #open = new Map<string, JobPack>()

  constructor(o: {name: string}) {
    this.#o = o
  }

  /** The runtime of a step that may be packed (spec.pack > 1). */
  runtime(spec: SlurmSpec): Runtime {
    return {name: 'slurm', run: (r) => this.#join(spec, r), cleanup: removeJobFiles}
  }

  #join(spec: SlurmSpec, r: RuntimeRun): Promise<ExitInfo> {
    // secrets reach a job through its environment: only steps given the same ones share a job
    const key = JSON.stringify([spec, r.cwd, Object.entries(r.secretEnv).sort(([a], [b]) => (a < b ? -1 : 1))])
    let pack = this.#open.get(key)
    if (!pack || pack.sealed) this.#open.set(key, (pack = new JobPack(spec, {name: this.#o.name, cwd: r.cwd, size: spec.pack ?? 1, secretEnv: r.secretEnv})))
    return pack.run(r)
  }
}
