// A workflow written in TypeScript: its default export receives a workflow-aware project and calls project.run(...);
// each call is one step, memoized and recorded under the workflow, and independent awaits run concurrently.
import module from 'node:module'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {LodeError, UserError} from '../errors.ts'
import {defaultRunName} from '../executor/execute.ts'
import type {ResolvedFunction} from '../executor/resolve-function.ts'
import type {Project, RunOptions} from '../project/project.ts'
import type {StepRecord, WorkflowRecord} from '../store/workflows.ts'
import type {FunctionKind, JsonValue, Run} from '../types.ts'
import {Semaphore} from './semaphore.ts'
import {reuseStep, runStep, type StepOutcome, type WorkflowContext} from './step-runner.ts'

/**
 * The module's promise, or an error once nothing left could settle it (the event loop ran empty: it awaits a promise
 * nobody resolves). Without this, Node ended lode mid-await (exit 13) and left the workflow recorded as running.
 */
export function settledOrStuck<T>(promise: Promise<T> | T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stuck = () => reject(new ModuleStuckError())
    process.once('beforeExit', stuck)
    Promise.resolve(promise).then(resolve, reject).finally(() => process.off('beforeExit', stuck))
  })
}

export class ModuleStuckError extends UserError {
  constructor() {
    super('the workflow module never finished: its default export awaits a promise that nothing pending can settle (no step, timer or I/O was left)',
      'Make sure every promise it awaits is resolved or rejected')
    this.name = 'ModuleStuckError'
  }
}

/** Thrown by `project.run` inside a workflow module when the step did not complete (as MLRun's run_function raises). */
export class StepFailedError extends LodeError {
  readonly step: string
  readonly run: Run | null

  constructor(step: string, outcome: StepOutcome) {
    super('run_failed', `step ${step} ${outcome.state === 'aborted' ? 'was aborted' : 'failed'}${outcome.error ? `: ${outcome.error}` : ''}`)
    this.name = 'StepFailedError'
    this.step = step
    this.run = outcome.run
  }
}

export interface WorkflowStepOptions extends RunOptions {
  /** the step's name in the workflow (default: the run name, or one made from the function and handler) */
  step?: string
}

/** What a workflow module's default export receives. */
export class WorkflowProject {
  readonly name: string
  readonly dir: string
  readonly params: Record<string, JsonValue>
  readonly workflowId: string
  private readonly ctx: WorkflowContext
  private readonly slots: Semaphore
  private readonly resume: WorkflowRecord | undefined
  private readonly names = new Set<string>()
  private readonly inFlight = new Set<Promise<unknown>>()
  readonly outcomes = new Map<string, StepOutcome>()

  constructor(ctx: WorkflowContext, o: {parallel: number; params: Record<string, JsonValue>; resume?: WorkflowRecord}) {
    this.ctx = ctx
    this.name = ctx.project.name
    this.dir = ctx.project.dir
    this.params = o.params
    this.workflowId = ctx.workflowId
    this.slots = new Semaphore(o.parallel)
    this.resume = o.resume
  }

  get store(): Project['store'] {
    return this.ctx.project.store
  }

  resolveFunction(ref: string | undefined, opts: {handler?: string; kind?: FunctionKind; command?: string[]; hubs?: string[]} = {}): Promise<ResolvedFunction> {
    return this.ctx.project.resolveFunction(ref, {hubs: this.ctx.hubs, ...opts})
  }

  /** Run (or reuse) one step. Resolves to the run; rejects with StepFailedError when it did not complete. */
  run(fn: string | ResolvedFunction | undefined, opts: WorkflowStepOptions = {}): Promise<Run> {
    const task = this.runStep(fn, opts)
    this.inFlight.add(task)
    void task.then(() => this.inFlight.delete(task), () => this.inFlight.delete(task))
    return task
  }

  /** Wait for every step started, including ones the workflow stopped awaiting (a sibling of a failed step). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight])
  }

  private async runStep(fnRef: string | ResolvedFunction | undefined, opts: WorkflowStepOptions): Promise<Run> {
    const fn = typeof fnRef === 'object' ? fnRef : await this.resolveFunction(fnRef, {handler: opts.handler, kind: opts.kind, command: opts.command, hubs: opts.hubs})
    const step = this.uniqueName(opts.step ?? opts.name ?? defaultRunName(fn))
    const inputs: Record<string, string> = {}
    for (const [k, v] of Object.entries(opts.inputs ?? {})) {
      if (v === undefined || v === null || String(v) === '') {
        throw new UserError(`step ${step}: input "${k}" has no value (is it the output of a step that failed or did not log it?).`)
      }
      inputs[k] = String(v)
    }
    const previous: StepRecord | undefined = this.resume?.steps[step]
    let outcome: StepOutcome
    const reusable = previous && (previous.state === 'done' || previous.state === 'cached') && previous.run ? this.ctx.project.store.runs.get(previous.run) : undefined
    if (reusable?.state === 'completed') {
      outcome = reuseStep(this.ctx, step, reusable, previous!)
    } else {
      this.ctx.emit({t: 'wf-step', ts: Date.now(), workflow: this.workflowId, step, state: 'waiting'})
      const release = await this.slots.acquire()
      try {
        outcome = await runStep(this.ctx, {
          step, fn, params: (opts.params ?? {}) as Record<string, JsonValue>, inputs, outputs: opts.outputs ?? [],
          runOptions: {name: opts.name, labels: opts.labels, python: opts.python},
        })
      } finally {
        release()
      }
    }
    this.outcomes.set(step, outcome)
    if (outcome.state !== 'done' && outcome.state !== 'cached') throw new StepFailedError(step, outcome)
    return outcome.run!
  }

  private uniqueName(name: string): string {
    let candidate = name
    for (let i = 2; this.names.has(candidate); i++) candidate = `${name}-${i}`
    this.names.add(candidate)
    return candidate
  }
}

let hooksRegistered = false

/** Let `import ... from 'lode'` in a workflow module resolve to this installation of lode. */
function registerLodeResolution(): void {
  if (hooksRegistered) return
  hooksRegistered = true
  // Built, this module is dist/lib/workflow/run-module.js; under the test runner it is src/...ts, and 'lode' is still the
  // built package (as for handlers, whose runner is always the built one). In the lode command, whose modules are one
  // file (dist/cli.cjs, scripts/build-cli.mjs), 'lode' is the library from that file: one copy of each module, so an
  // error class the workflow throws is the one the command knows.
  const dist = new URL(import.meta.url.endsWith('.ts') ? '../../../dist/' : '../../', import.meta.url)
  const inCommand = module.createRequire(import.meta.url).cache[fileURLToPath(new URL('cli.cjs', dist))] !== undefined
  const lodeIndex = new URL(inCommand ? 'cli-library.mjs' : 'index.js', dist).href
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === 'lode') return {url: lodeIndex, shortCircuit: true, format: 'module'}
      return nextResolve(specifier, context)
    },
  })
}

export type WorkflowMain = (project: WorkflowProject, params: Record<string, JsonValue>) => unknown

export async function importWorkflowModule(file: string): Promise<WorkflowMain> {
  registerLodeResolution()
  let mod: Record<string, unknown>
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    const hint = e.code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' ? 'Node strips types but does not transform enums or parameter properties.' : undefined
    throw new UserError(`Cannot load the workflow ${file}: ${e.message}`, hint)
  }
  const main = mod.default ?? mod.workflow ?? mod.pipeline
  if (typeof main !== 'function') {
    throw new UserError(`${file} has no default export: a workflow module exports \`default async function (project) { ... }\`.`,
      'Example:\n  export default async function (project) {\n    const ingest = await project.run(\'hub://load_dataset\', {params: {dataset: \'breast_cancer\'}, outputs: [\'dataset\']})\n  }')
  }
  return main as WorkflowMain
}
