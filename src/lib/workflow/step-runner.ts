// One step of a workflow: resolve its function, compute its memo key, reuse a cached run or start a new one, record it.
import {LodeError, toLodeError} from '../errors.ts'
import type {ResolvedFunction} from '../executor/resolve-function.ts'
import type {Project, RunOptions} from '../project/project.ts'
import type {MemoInputs, StepRecord, StepState, WorkflowRecords} from '../store/workflows.ts'
import type {JsonValue, Run, RuntimeSpec, WorkflowEvent} from '../types.ts'
import {isTerminalState} from '../views/format.ts'
import {createLineSplitter} from '../views/output-lines.ts'
import {inputContentHash, memoKey, outputsProblem, secretDigests} from './memo.ts'
import type {StepHyper} from './hyper-step.ts'

export interface WorkflowContext {
  project: Project
  records: WorkflowRecords
  workflowId: string
  workflowName: string
  noCache: boolean
  signal: AbortSignal
  /** relative input paths are resolved from here */
  cwd: string
  hubs?: string[]
  emit: (e: WorkflowEvent) => void
  /** where steps run unless a step says otherwise */
  runtime?: RuntimeSpec
  /** slurm: the jobs steps are packed into (--slurm-pack), made when a step first asks */
  packer?: import('../runtimes/slurm/pack.ts').JobPacker
}

export interface StepRequest {
  step: string
  fn: string | ResolvedFunction
  handler?: string | null
  params: Record<string, JsonValue>
  inputs: Record<string, string>
  outputs: string[]
  /** a hyperparameter step: the step's run is the sweep's parent */
  hyper?: StepHyper
  /** anything else for project.run (name, labels, python) */
  runOptions?: Omit<RunOptions, 'params' | 'inputs' | 'outputs' | 'handler' | 'signal' | 'workflowId' | 'step' | 'memoKey'>
}

export interface StepOutcome {
  state: StepState
  run: Run | null
  outputs: Record<string, JsonValue>
  error: string | null
}

export interface PreparedStep {
  fn: ResolvedFunction
  memo: MemoInputs
  /** null when an input's content could not be told (the step then runs, and its run reports why) */
  key: string | null
}

export async function prepareStep(ctx: Pick<WorkflowContext, 'project' | 'cwd' | 'hubs'>, req: StepRequest): Promise<PreparedStep> {
  const fn = typeof req.fn === 'object' ? req.fn : await ctx.project.resolveFunction(req.fn, {handler: req.handler ?? undefined, hubs: ctx.hubs})
  const inputs: Record<string, string> = {}
  const secrets = secretDigests(ctx.project.store, req.runOptions?.secrets ?? {})
  let known = secrets !== null
  await Promise.all(Object.entries(req.inputs).map(async ([k, url]) => {
    const sha = await inputContentHash(ctx.project.store, url, ctx.cwd)
    if (sha === null) known = false
    inputs[k] = sha ?? ''
  }))
  const memo: MemoInputs = {
    kind: fn.kind, codeHash: fn.codeHash, handler: fn.handler, params: {...fn.params, ...req.params},
    inputs: Object.fromEntries(Object.entries(inputs).sort(([a], [b]) => (a < b ? -1 : 1))), outputs: [...req.outputs],
    ...(req.hyper ? {hyper: {hyperparams: req.hyper.hyperparams, options: req.hyper.options as Record<string, JsonValue>}} : {}),
    // only when it has some: the keys of steps without secrets stay as they were
    ...(secrets && Object.keys(secrets).length ? {secrets} : {}),
  }
  return {fn, memo, key: known ? memoKey(memo) : null}
}

/** A completed run with the same memo key whose outputs still verify, if any. */
export function findCached(ctx: Pick<WorkflowContext, 'project'>, key: string | null): Run | undefined {
  if (key === null) return undefined
  const run = ctx.project.store.runs.findByMemoKey(key)
  return run && outputsProblem(ctx.project.store, run) === null ? run : undefined
}

export async function runStep(ctx: WorkflowContext, req: StepRequest): Promise<StepOutcome> {
  const started = Date.now()
  let prepared: PreparedStep
  try {
    prepared = await prepareStep(ctx, req)
  } catch (error) {
    return settle(ctx, req.step, {state: 'failed', run: null, outputs: {}, error: toLodeError(error).message}, {started, memo: null, key: null, fn: null})
  }
  const {fn, memo, key} = prepared
  const record = {started, memo, key, fn: fn.label}
  const cached = ctx.noCache ? undefined : findCached(ctx, key)
  if (cached) return settle(ctx, req.step, {state: 'cached', run: cached, outputs: cached.outputs, error: null}, record)
  if (ctx.signal.aborted) return settle(ctx, req.step, {state: 'aborted', run: null, outputs: {}, error: 'aborted before it started'}, record)

  const runtime = req.runOptions?.runtime ?? ctx.runtime
  // a sweep's iterations are a job array of their own
  const packed = runtime?.name === 'slurm' && (runtime.pack ?? 1) > 1 && !req.hyper
  if (packed) {
    const {JobPacker} = await import('../runtimes/slurm/pack.ts')
    // after the import: steps starting together share one packer
    ctx.packer ??= new JobPacker({name: ctx.workflowName})
  }
  let run: Run
  let uid = ''
  const lines = createLineSplitter((stream, line) => ctx.emit({t: 'output', ts: Date.now(), run: uid, stream, line, step: req.step}))
  try {
    run = await ctx.project.run(fn, {
      ...req.runOptions,
      ...(runtime ? {runtime} : {}),
      ...(packed ? {jobRuntime: ctx.packer!.runtime(runtime)} : {}),
      name: req.runOptions?.name ?? req.step,
      params: req.params,
      inputs: req.inputs,
      outputs: req.outputs,
      ...(req.hyper ? {hyperparams: req.hyper.hyperparams, hyperOptions: req.hyper.options, reuse: iterationReuse(ctx, prepared)} : {}),
      workflowId: ctx.workflowId,
      step: req.step,
      memoKey: key ?? undefined,
      signal: ctx.signal,
      cwd: ctx.cwd,
      onCreated: (r) => {
        uid = r.uid
        ctx.records.setStep(ctx.workflowId, req.step, stepRecord({state: 'running', run: r, outputs: {}, error: null}, record))
        ctx.emit({t: 'wf-step', ts: Date.now(), workflow: ctx.workflowId, step: req.step, state: 'running', run: r.uid})
      },
      onEvent: (e) => {
        // the run's last line without its newline goes before the state that ends the run
        if (e.t === 'state' && isTerminalState(e.state)) lines.flush()
        ctx.emit({...e, step: req.step})
      },
      onOutput: (stream, chunk) => lines.push(stream, chunk),
    })
  } catch (error) {
    // Bad input found before the run started (a missing file, an unknown artifact).
    const message = error instanceof LodeError ? error.message : toLodeError(error).message
    return settle(ctx, req.step, {state: 'failed', run: null, outputs: {}, error: message}, record)
  }
  lines.flush()
  const state: StepState = run.state === 'completed' ? 'done' : run.state === 'aborted' ? 'aborted' : 'failed'
  return settle(ctx, req.step, {state, run, outputs: run.outputs, error: run.error?.message ?? null}, record)
}

/** A sweep step's iterations are memoized like steps: the key a step with the iteration's params would have. */
export function iterationReuse(ctx: Pick<WorkflowContext, 'project' | 'noCache'>, {fn, memo, key}: PreparedStep): NonNullable<RunOptions['reuse']> {
  const {hyper: _, ...plain} = memo
  return {
    key: (params) => (key === null ? null : memoKey({...plain, params: {...fn.params, ...params}})),
    find: (k) => (ctx.noCache ? undefined : findCached(ctx, k)),
  }
}

/** A step that will not run because a step it needs did not complete. */
export function skipStep(ctx: WorkflowContext, step: string, reason: string): StepOutcome {
  return settle(ctx, step, {state: 'skipped', run: null, outputs: {}, error: reason}, {started: null, memo: null, key: null, fn: null})
}

/** A step that could not start (its params or inputs could not be filled in). */
export function failStep(ctx: WorkflowContext, step: string, error: string): StepOutcome {
  return settle(ctx, step, {state: 'failed', run: null, outputs: {}, error}, {started: Date.now(), memo: null, key: null, fn: null})
}

/** A step reused as it was recorded (resume). */
export function reuseStep(ctx: WorkflowContext, step: string, run: Run, previous: StepRecord): StepOutcome {
  return settle(ctx, step, {state: 'cached', run, outputs: run.outputs, error: null},
    {started: Date.now(), memo: previous.memo, key: previous.memoKey, fn: previous.function})
}

interface RecordParts {
  started: number | null
  memo: MemoInputs | null
  key: string | null
  fn: string | null
}

function stepRecord(o: StepOutcome, parts: RecordParts, ended: number | null = null): StepRecord {
  return {
    state: o.state, run: o.run?.uid ?? null, function: parts.fn, memoKey: parts.key, memo: parts.memo, outputs: o.outputs,
    error: o.error, started: parts.started, ended,
  }
}

function settle(ctx: WorkflowContext, step: string, outcome: StepOutcome, parts: RecordParts): StepOutcome {
  const ended = Date.now()
  ctx.records.setStep(ctx.workflowId, step, stepRecord(outcome, parts, ended))
  const durationMs = outcome.state === 'cached' || outcome.state === 'skipped' || parts.started === null ? undefined : ended - parts.started
  // The view knows no 'aborted' step: an interrupted step shows as failed, with why.
  const viewState = outcome.state === 'aborted' ? 'failed' : outcome.state
  ctx.emit({
    t: 'wf-step', ts: ended, workflow: ctx.workflowId, step, state: viewState as Exclude<StepState, 'aborted'>,
    ...(outcome.run ? {run: outcome.run.uid} : {}), ...(outcome.error ? {error: outcome.error} : {}), ...(durationMs === undefined ? {} : {durationMs}),
  })
  return outcome
}
