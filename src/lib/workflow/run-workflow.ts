// `lode workflow run` as a library call: load, check, record, run the steps (declared or TypeScript), summarize.
import {availableParallelism, hostname} from 'node:os'
import {basename} from 'node:path'
import {NotFoundError, UserError, toLodeError} from '../errors.ts'
import {existsSync} from '../util/fs.ts'
import {watchAbortRequest, workflowAbortMarker} from '../runs/abort-request.ts'
import {isProcessAlive} from '../runs/liveness.ts'
import {onForcedExit} from '../executor/interrupt.ts'
import {abortCause} from '../util/words.ts'
import type {Project} from '../project/project.ts'
import type {StepRecord, WorkflowRecord, WorkflowRecords} from '../store/workflows.ts'
import type {JsonValue, RunState, RuntimeSpec, WorkflowEvent} from '../types.ts'
import {buildDag} from './dag.ts'
import {loadFile, loadWorkflow, type LoadedWorkflow} from './load.ts'
import {lookupIn, resolveStepFunctions, runSpecSteps, workflowParams} from './run-spec.ts'
import {summarize, type WorkflowSummary} from './summary.ts'
import type {StepOutcome, WorkflowContext} from './step-runner.ts'
import {saveWorkflowRuntime, savedWorkflowRuntime} from './runtime-record.ts'
import {render} from './template.ts'
import {newUid} from '../util/hash.ts'

export interface WorkflowRunRequest {
  /** a workflow file, a folder holding one, or a name under `workflows:` in lode.yaml (not with resume) */
  ref?: string
  /** the id (or a prefix) of a workflow to resume: only its failed, skipped and never-run steps run */
  resume?: string
  params?: Record<string, JsonValue>
  /** how many steps at once (default: the number of cores) */
  parallel?: number
  noCache?: boolean
  signal?: AbortSignal
  onEvent?: (e: WorkflowEvent) => void
  /** called once the workflow record exists, with the step names known up front */
  onStart?: (w: {id: string; name: string; steps: string[]}) => void
  hubs?: string[]
  cwd?: string
  /** where steps run unless a step says otherwise (--runtime slurm) */
  runtime?: RuntimeSpec
}

/** What to run: the workflow loaded, its params, and the record to resume if any. */
export interface WorkflowPlan {
  loaded: LoadedWorkflow
  name: string
  file: string
  params: Record<string, JsonValue>
  resume?: WorkflowRecord
}

export function planWorkflow(project: Project, records: WorkflowRecords, req: WorkflowRunRequest): WorkflowPlan {
  const cwd = req.cwd ?? process.cwd()
  let loaded: LoadedWorkflow
  let resume: WorkflowRecord | undefined
  let params: Record<string, JsonValue> = req.params ?? {}
  if (req.resume) {
    resume = records.resolve(req.resume)
    if (resume.state === 'running' && resume.host === hostname() && resume.pid !== null && resume.pid !== process.pid && isProcessAlive(resume.pid)) {
      throw new UserError(`Workflow ${resume.id.slice(0, 8)} is still running (pid ${resume.pid}).`, 'Wait for it, or stop it with Ctrl-C, then resume.')
    }
    if (req.ref && req.ref !== resume.file && req.ref !== resume.name) {
      throw new UserError(`--resume ${req.resume} is workflow "${resume.name}" (${resume.file}), not ${req.ref}.`, `Run: lode workflow run --resume ${resume.id.slice(0, 8)}`)
    }
    const fromFile = resume.file && basename(resume.file) !== 'lode.yaml' ? resume.file : null
    if (fromFile && !existsSync(fromFile)) {
      throw new NotFoundError(`Workflow ${resume.id.slice(0, 8)} (${resume.name}) was run from ${fromFile}, which no longer exists: there is nothing to resume it from.`,
        'Put the file back there to resume it, or run the workflow again from where it is now: lode workflow run FILE')
    }
    loaded = fromFile ? loadFile(fromFile) : loadWorkflow(resume.name, projectLike(project), cwd)
    params = {...resume.params, ...params}
  } else {
    if (!req.ref) throw new UserError('Name a workflow to run: a workflow.yaml or workflow.ts file, a folder holding one, or a name under "workflows:" in lode.yaml.', 'Example: lode workflow run workflow.yaml -p n_estimators=50')
    loaded = loadWorkflow(req.ref, projectLike(project), cwd)
  }
  if (loaded.type === 'yaml') {
    buildDag(loaded.spec)
    params = workflowParams(loaded.spec, params)
    return {loaded, name: loaded.spec.name, file: loaded.spec.file, params, ...(resume ? {resume} : {})}
  }
  return {loaded, name: loaded.name, file: loaded.file, params, ...(resume ? {resume} : {})}
}

export async function runWorkflow(project: Project, req: WorkflowRunRequest): Promise<WorkflowSummary> {
  const records = project.store.workflows
  const plan = planWorkflow(project, records, req)
  const parallel = req.parallel ?? availableParallelism()
  if (!Number.isInteger(parallel) || parallel < 1) throw new UserError(`--parallel must be a whole number of at least 1, got ${parallel}.`)
  const {loaded} = plan
  // Everything that can be refused is refused before the record exists and before any step runs.
  const functions = loaded.type === 'yaml' ? await resolveStepFunctions(project, loaded.spec, req.hubs) : undefined
  // Only TypeScript workflows need the module loader (and, through it, the executor: ~85 ms of imports that a fully
  // cached declared workflow never pays).
  const modules = loaded.type === 'module' ? await import('./run-module.ts') : undefined
  const main = loaded.type === 'module' ? await modules!.importWorkflowModule(loaded.file) : undefined

  const stepNames = loaded.type === 'yaml' ? loaded.spec.steps.map((s) => s.name) : Object.keys(plan.resume?.steps ?? {})
  let id: string
  if (plan.resume) {
    id = plan.resume.id
    records.setState(id, 'running', {params: plan.params})
  } else {
    id = newUid()
    const steps: Record<string, StepRecord> = {}
    for (const name of stepNames) steps[name] = emptyStep()
    records.create({id, name: plan.name, file: plan.file, state: 'running', params: plan.params, steps, created: Date.now()})
  }
  // resumed without --runtime: where it was started; given one, that one is remembered for the next resume
  const runtime = req.runtime ?? (plan.resume ? savedWorkflowRuntime(project.store, id) : undefined)
  if (req.runtime) saveWorkflowRuntime(project.store, id, req.runtime)
  const emit = (e: WorkflowEvent) => req.onEvent?.(e)
  req.onStart?.({id, name: plan.name, steps: stepNames})
  emit({t: 'wf-state', ts: Date.now(), workflow: id, state: 'running'})

  // Stopped by the caller (Ctrl-C), or by `lode workflow abort` from another process (a marker this one watches).
  const stop = new AbortController()
  const onAbort = () => stop.abort(req.signal?.reason)
  if (req.signal?.aborted) onAbort()
  else req.signal?.addEventListener('abort', onAbort, {once: true})
  const unwatch = watchAbortRequest(workflowAbortMarker(project.store, id), () => stop.abort('lode workflow abort'))
  const unregister = onForcedExit((signal) => records.setState(id, 'aborted', {error: `aborted (${abortCause(signal)})`, ended: Date.now()}))
  try {
    return await runSteps(project, {req: {...req, ...(runtime ? {runtime} : {})}, plan, id, records, parallel, functions, modules, main, signal: stop.signal, emit})
  } finally {
    unregister()
    unwatch()
    req.signal?.removeEventListener('abort', onAbort)
  }
}

interface StepsRun {
  req: WorkflowRunRequest
  plan: WorkflowPlan
  id: string
  records: WorkflowRecords
  parallel: number
  functions: Awaited<ReturnType<typeof resolveStepFunctions>> | undefined
  modules: typeof import('./run-module.ts') | undefined
  main: Awaited<ReturnType<typeof import('./run-module.ts').importWorkflowModule>> | undefined
  signal: AbortSignal
  emit: (e: WorkflowEvent) => void
}

async function runSteps(project: Project, {req, plan, id, records, parallel, functions, modules, main, signal, emit}: StepsRun): Promise<WorkflowSummary> {
  const {loaded} = plan
  const ctx: WorkflowContext = {
    project, records, workflowId: id, workflowName: plan.name, noCache: req.noCache ?? false, signal,
    cwd: req.cwd ?? process.cwd(), hubs: req.hubs, emit, ...(req.runtime ? {runtime: req.runtime} : {}),
  }
  let outcomes: Map<string, StepOutcome>
  let outputs: Record<string, JsonValue> = {}
  let failure: string | null = null
  if (loaded.type === 'yaml') {
    outcomes = await runSpecSteps({ctx, spec: loaded.spec, params: plan.params, functions: functions!, parallel, ...(plan.resume ? {resume: plan.resume} : {})})
    const values = new Map([...outcomes].map(([k, v]) => [k, v.outputs]))
    const lookup = lookupIn(plan.params, values)
    outputs = render(loaded.spec.outputs, (ref) => lookup(ref) ?? null) as Record<string, JsonValue>
  } else {
    const wp = new modules!.WorkflowProject(ctx, {parallel, params: plan.params, ...(plan.resume ? {resume: plan.resume} : {})})
    try {
      const returned = await modules!.settledOrStuck(main!(wp, plan.params))
      outputs = jsonOutputs(returned)
    } catch (error) {
      failure = error instanceof modules!.StepFailedError || error instanceof modules!.ModuleStuckError ? error.message : `the workflow module threw: ${toLodeError(error).message}`
    }
    await wp.settled()
    outcomes = wp.outcomes
  }

  const states = [...outcomes.values()].map((o) => o.state)
  const state: RunState = signal.aborted ? 'aborted'
    : failure || states.some((s) => s === 'failed' || s === 'aborted' || s === 'skipped') ? 'error' : 'completed'
  const failed = [...outcomes].filter(([, o]) => o.state === 'failed' || o.state === 'aborted').map(([name]) => name)
  const error = state === 'completed' ? null : state === 'aborted' ? `aborted (${abortCause(typeof signal.reason === 'string' ? signal.reason : 'SIGINT')})` : failure ?? `failed step${failed.length > 1 ? 's' : ''}: ${failed.join(', ')}`
  const ended = Date.now()
  records.setState(id, state, {error, ended})
  emit({t: 'wf-state', ts: ended, workflow: id, state})
  return summarize(records.get(id)!, project.store, outputs)
}

function emptyStep(): StepRecord {
  return {state: 'waiting', run: null, function: null, memoKey: null, memo: null, outputs: {}, error: null, started: null, ended: null}
}

function projectLike(project: Project) {
  return {dir: project.dir, config: project.config}
}

/** A workflow module's return value, kept when it is a mapping: runs become their outputs. */
function jsonOutputs(value: unknown): Record<string, JsonValue> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {}
  try {
    return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (isRun(v) ? v.outputs : v))) as Record<string, JsonValue>
  } catch {
    return {}
  }
}

function isRun(v: unknown): v is {outputs: Record<string, JsonValue>} {
  return !!v && typeof v === 'object' && 'uid' in v && 'outputs' in v && 'state' in v
}
