// Run a declared workflow as a DAG: independent steps in parallel (up to N), a failed step stops only its dependents.
import {existsSync} from '../util/fs.ts'
import {resolve} from 'node:path'
import {UserError, toLodeError} from '../errors.ts'
import type {ResolvedFunction} from '../executor/resolve-function.ts'
import type {Project} from '../project/project.ts'
import type {WorkflowRecord} from '../store/workflows.ts'
import type {JsonValue} from '../types.ts'
import {collectSecrets} from '../secrets/sources.ts'
import {formatFunctionRef, isHubRef, isStoreUri, parseFunctionRef} from '../uri/refs.ts'
import {isInside} from '../util/inside.ts'
import {buildDag, downstreamOf, type Dag} from './dag.ts'
import {refuseOutside} from './load.ts'
import {invalid, type StepSpec, type WorkflowSpec} from './spec.ts'
import {failStep, reuseStep, runStep, skipStep, type StepOutcome, type WorkflowContext} from './step-runner.ts'
import {render, type TemplateRef} from './template.ts'
import {stepHyper, type StepHyper} from './hyper-step.ts'

/** Workflow params: the declared defaults, overridden by -p; an undeclared name is refused. */
export function workflowParams(spec: WorkflowSpec, overrides: Record<string, JsonValue> = {}): Record<string, JsonValue> {
  const unknown = Object.keys(overrides).filter((k) => !Object.hasOwn(spec.params, k))
  if (unknown.length) {
    const declared = Object.keys(spec.params)
    throw new UserError(`Unknown workflow param${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}: ${declared.length ? `${spec.name} declares ${declared.join(', ')}` : `${spec.name} declares no params`}.`,
      `Declare it under "params:" in ${spec.file}`)
  }
  return {...spec.params, ...overrides}
}

/**
 * The function reference of a step: a file relative to the workflow's folder becomes absolute. A file must stay in
 * the project (or in the folder of a workflow the user named outside it) once links are followed.
 */
export function stepFunctionRef(step: StepSpec, dir: string, config: {functions?: Record<string, unknown>}, projectDir?: string): string {
  const ref = step.function
  if (isHubRef(ref) || config.functions?.[ref] !== undefined) return ref
  const {target, handler} = parseFunctionRef(ref)
  const path = resolve(dir, target)
  if (!existsSync(path)) return ref
  if (projectDir !== undefined && !isInside(dir, path)) refuseOutside(path, projectDir, 'function file')
  return formatFunctionRef({target: path, handler})
}

/** Resolve every step's function before anything runs: a missing file is refused up front, naming the step. */
export async function resolveStepFunctions(project: Project, spec: WorkflowSpec, hubs?: string[]): Promise<Map<string, ResolvedFunction>> {
  const problems: string[] = []
  const out = new Map<string, ResolvedFunction>()
  // steps that name the same function and handler share one resolution (reading and hashing its file once)
  const resolved = new Map<string, Promise<ResolvedFunction>>()
  const refs = new Map<string, string>()
  await Promise.all(spec.steps.map(async (step) => {
    try {
      const ref = refs.get(step.function) ?? stepFunctionRef(step, spec.dir, project.config, project.dir)
      refs.set(step.function, ref)
      const key = JSON.stringify([ref, step.handler])
      if (!resolved.has(key)) resolved.set(key, project.resolveFunction(ref, {handler: step.handler ?? undefined, hubs}))
      out.set(step.name, await resolved.get(key)!)
    } catch (error) {
      problems.push(`steps.${step.name}.function: ${toLodeError(error).message}`)
    }
    try {
      stepSecrets(project, step)
    } catch (error) {
      problems.push(`steps.${step.name}.secrets: ${toLodeError(error).message}`)
    }
  }))
  if (problems.length) throw invalid(spec.file, problems)
  return out
}

export function stepSecrets(project: Project, step: StepSpec): Record<string, string> {
  return step.secrets.length ? collectSecrets({names: step.secrets}, {config: project.config, dir: project.dir}) : {}
}

/** A step's params and inputs with every reference filled in; relative input paths resolved from the workflow's folder. */
export function renderStep(step: StepSpec, dir: string, lookup: (ref: TemplateRef) => JsonValue | undefined): {params: Record<string, JsonValue>; inputs: Record<string, string>; hyper?: StepHyper} {
  const params = render(step.params, lookup) as Record<string, JsonValue>
  const hyper = step.hyperparams ? stepHyper(render(step.hyperparams, lookup) as Record<string, JsonValue>, render(step.hyperOptions ?? {}, lookup) as Record<string, JsonValue>) : undefined
  const inputs: Record<string, string> = {}
  for (const [k, v] of Object.entries(render(step.inputs, lookup) as Record<string, JsonValue>)) {
    const text = typeof v === 'string' ? v : JSON.stringify(v)
    const local = resolve(dir, text)
    inputs[k] = !isStoreUri(text) && !text.includes('://') && existsSync(local) ? local : text
  }
  return {params, inputs, ...(hyper ? {hyper} : {})}
}

/** Own properties only: `{{ params.constructor }}` is an unknown param, not Object's constructor. */
export function lookupIn(params: Record<string, JsonValue>, outputs: Map<string, Record<string, JsonValue>>) {
  const own = (o: Record<string, JsonValue> | undefined, k: string) => (o && Object.hasOwn(o, k) ? o[k] : undefined)
  return (ref: TemplateRef): JsonValue | undefined => (ref.type === 'param' ? own(params, ref.name) : own(outputs.get(ref.step), ref.key))
}

export interface SpecRunOptions {
  ctx: WorkflowContext
  spec: WorkflowSpec
  dag?: Dag
  params: Record<string, JsonValue>
  functions: Map<string, ResolvedFunction>
  parallel: number
  /** resume: steps settled in this record are reused */
  resume?: WorkflowRecord
}

/**
 * Schedule the steps; returns each step's outcome. Never throws for a failing step. A settled step updates only its
 * dependents (how many steps each still waits for), so scheduling costs the same per step at 5 steps or 5,000.
 */
export async function runSpecSteps(o: SpecRunOptions): Promise<Map<string, StepOutcome>> {
  const {ctx, spec} = o
  const dag = o.dag ?? buildDag(spec)
  const byName = new Map(spec.steps.map((s) => [s.name, s]))
  const position = new Map(dag.order.map((name, i) => [name, i]))
  const outcomes = new Map<string, StepOutcome>()
  const outputs = new Map<string, Record<string, JsonValue>>()
  const running = new Map<string, Promise<void>>()
  const pending = new Set(dag.order)
  const waitingOn = new Map(dag.order.map((name) => [name, dag.deps.get(name)!.length]))
  // steps whose dependencies all succeeded, in the DAG's order (a sorted list of positions)
  const ready: number[] = dag.order.map((_, i) => i).filter((i) => waitingOn.get(dag.order[i]!) === 0)

  const settled = (name: string, outcome: StepOutcome) => {
    outcomes.set(name, outcome)
    outputs.set(name, outcome.outputs)
    if (isSuccess(outcome)) {
      for (const d of dag.dependents.get(name) ?? []) {
        const left = waitingOn.get(d)! - 1
        waitingOn.set(d, left)
        if (left === 0 && pending.has(d)) insertSorted(ready, position.get(d)!)
      }
      return
    }
    // in order, so that a skipped step's own dependents are skipped after it
    const blockedSteps = [...downstreamOf(dag, name)].filter((d) => pending.has(d)).sort((a, b) => position.get(a)! - position.get(b)!)
    for (const d of blockedSteps) {
      if (!pending.has(d)) continue
      const blocked = dag.deps.get(d)!.find((x) => outcomes.has(x) && !isSuccess(outcomes.get(x)!))!
      pending.delete(d)
      const why = outcomes.get(blocked)!.state === 'skipped' ? 'was skipped' : outcomes.get(blocked)!.state === 'aborted' ? 'was aborted' : 'failed'
      outcomes.set(d, skipStep(ctx, d, `upstream step ${blocked} ${why}`))
      outputs.set(d, {})
    }
  }

  const start = (name: string) => {
    const step = byName.get(name)!
    const task = (async () => {
      let outcome!: StepOutcome
      const previous = o.resume?.steps[name]
      const reusable = previous && (previous.state === 'done' || previous.state === 'cached') && previous.run ? ctx.project.store.runs.get(previous.run) : undefined
      if (reusable && reusable.state === 'completed') {
        outcome = reuseStep(ctx, name, reusable, previous!)
      } else {
        let rendered: ReturnType<typeof renderStep> | undefined
        try {
          rendered = renderStep(step, spec.dir, lookupIn(o.params, outputs))
        } catch (error) {
          outcome = failStep(ctx, name, `cannot fill in its params and inputs: ${(error as Error).message}`)
        }
        if (rendered) {
          outcome = await runStep(ctx, {step: name, fn: o.functions.get(name)!, params: rendered.params, inputs: rendered.inputs, outputs: step.outputs, hyper: rendered.hyper,
            runOptions: {secrets: stepSecrets(ctx.project, step), ...(step.runtime ? {runtime: step.runtime} : {})}})
        }
      }
      settled(name, outcome)
    })()
    running.set(name, task.finally(() => running.delete(name)))
  }

  for (;;) {
    while (!ctx.signal.aborted && running.size < o.parallel && ready.length) {
      const name = dag.order[ready.shift()!]!
      if (!pending.delete(name)) continue
      start(name)
    }
    if (running.size === 0) break
    await Promise.race(running.values())
  }
  // Interrupted: what never started stays "never ran" (resume runs it).
  return outcomes
}

function insertSorted(list: number[], value: number): void {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid]! < value) lo = mid + 1
    else hi = mid
  }
  list.splice(lo, 0, value)
}

function isSuccess(o: StepOutcome): boolean {
  return o.state === 'done' || o.state === 'cached'
}
