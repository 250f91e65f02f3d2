// Run a declared workflow as a DAG: independent steps in parallel (up to N), a failed step stops only its dependents.
import {existsSync} from 'node:fs'
import {resolve} from 'node:path'
import {UserError, toLodeError} from '../errors.ts'
import type {ResolvedFunction} from '../executor/resolve-function.ts'
import type {Project} from '../project/project.ts'
import type {WorkflowRecord} from '../store/workflows.ts'
import type {JsonValue} from '../types.ts'
import {collectSecrets} from '../secrets/sources.ts'
import {formatFunctionRef, isHubRef, isStoreUri, parseFunctionRef} from '../uri/refs.ts'
import {isInside} from '../util/inside.ts'
import {buildDag, type Dag} from './dag.ts'
import {refuseOutside} from './load.ts'
import {invalid, type StepSpec, type WorkflowSpec} from './spec.ts'
import {failStep, reuseStep, runStep, skipStep, type StepOutcome, type WorkflowContext} from './step-runner.ts'
import {render, type TemplateRef} from './template.ts'

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
  await Promise.all(spec.steps.map(async (step) => {
    try {
      out.set(step.name, await project.resolveFunction(stepFunctionRef(step, spec.dir, project.config, project.dir), {handler: step.handler ?? undefined, hubs}))
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

function stepSecrets(project: Project, step: StepSpec): Record<string, string> {
  return step.secrets.length ? collectSecrets({names: step.secrets}, {config: project.config, dir: project.dir}) : {}
}

/** A step's params and inputs with every reference filled in; relative input paths resolved from the workflow's folder. */
export function renderStep(step: StepSpec, dir: string, lookup: (ref: TemplateRef) => JsonValue | undefined): {params: Record<string, JsonValue>; inputs: Record<string, string>} {
  const params = render(step.params, lookup) as Record<string, JsonValue>
  const inputs: Record<string, string> = {}
  for (const [k, v] of Object.entries(render(step.inputs, lookup) as Record<string, JsonValue>)) {
    const text = typeof v === 'string' ? v : JSON.stringify(v)
    const local = resolve(dir, text)
    inputs[k] = !isStoreUri(text) && !text.includes('://') && existsSync(local) ? local : text
  }
  return {params, inputs}
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

/** Schedule the steps; returns each step's outcome. Never throws for a failing step. */
export async function runSpecSteps(o: SpecRunOptions): Promise<Map<string, StepOutcome>> {
  const {ctx, spec} = o
  const dag = o.dag ?? buildDag(spec)
  const byName = new Map(spec.steps.map((s) => [s.name, s]))
  const outcomes = new Map<string, StepOutcome>()
  const outputs = new Map<string, Record<string, JsonValue>>()
  const running = new Map<string, Promise<void>>()
  const pending = new Set(dag.order)

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
          outcome = await runStep(ctx, {step: name, fn: o.functions.get(name)!, params: rendered.params, inputs: rendered.inputs, outputs: step.outputs,
            runOptions: {secrets: stepSecrets(ctx.project, step)}})
        }
      }
      outcomes.set(name, outcome)
      outputs.set(name, outcome.outputs)
    })()
    running.set(name, task.finally(() => running.delete(name)))
  }

  while (pending.size > 0 || running.size > 0) {
    // In order, so that a skipped step's own dependents are skipped in the same pass.
    for (const name of dag.order) {
      if (!pending.has(name)) continue
      const deps = dag.deps.get(name)!
      const blocked = deps.find((d) => outcomes.has(d) && !isSuccess(outcomes.get(d)!))
      if (blocked) {
        pending.delete(name)
        const why = outcomes.get(blocked)!.state === 'skipped' ? 'was skipped' : outcomes.get(blocked)!.state === 'aborted' ? 'was aborted' : 'failed'
        outcomes.set(name, skipStep(ctx, name, `upstream step ${blocked} ${why}`))
        outputs.set(name, {})
      }
    }
    if (!ctx.signal.aborted) {
      for (const name of dag.order) {
        if (running.size >= o.parallel) break
        if (!pending.has(name)) continue
        if (dag.deps.get(name)!.every((d) => outcomes.has(d) && isSuccess(outcomes.get(d)!))) {
          pending.delete(name)
          start(name)
        }
      }
    }
    if (running.size === 0) break
    await Promise.race(running.values())
  }
  // Interrupted: what never started stays "never ran" (resume runs it).
  return outcomes
}

function isSuccess(o: StepOutcome): boolean {
  return o.state === 'done' || o.state === 'cached'
}
