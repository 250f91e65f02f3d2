// `lode workflow run --explain`: for every step, whether it would run or be reused, and why. Nothing runs.
import {UserError, toLodeError} from '../errors.ts'
import type {Project} from '../project/project.ts'
import type {JsonValue} from '../types.ts'
import {formatTable} from '../util/format.ts'
import {buildDag} from './dag.ts'
import {describeChanges, outputsProblem} from './memo.ts'
import {lookupIn, renderStep, resolveStepFunctions, stepSecrets} from './run-spec.ts'
import {planWorkflow, type WorkflowRunRequest} from './run-workflow.ts'
import {findCached, iterationReuse, prepareStep, type PreparedStep} from './step-runner.ts'
import type {StepHyper} from './hyper-step.ts'

export interface StepExplanation {
  step: string
  /** run: it would run; cached: an earlier run would be reused */
  action: 'run' | 'cached'
  reasons: string[]
  /** the run that would be reused */
  run: string | null
}

export interface WorkflowExplanation {
  name: string
  file: string
  params: Record<string, JsonValue>
  steps: StepExplanation[]
}

export async function explainWorkflow(project: Project, req: WorkflowRunRequest): Promise<WorkflowExplanation> {
  const records = project.store.workflows
  const plan = planWorkflow(project, records, req)
  if (plan.loaded.type !== 'yaml') {
    throw new UserError('--explain needs a declared workflow (workflow.yaml): the steps of a TypeScript workflow are known only as it runs.',
      'Run it: its steps are memoized all the same, and `lode workflow get ID` shows which were cached.')
  }
  const {spec} = plan.loaded
  const dag = buildDag(spec)
  const functions = await resolveStepFunctions(project, spec, req.hubs)
  const cwd = req.cwd ?? process.cwd()
  const outputs = new Map<string, Record<string, JsonValue>>()
  const willRun = new Set<string>()
  const steps: StepExplanation[] = []
  for (const name of dag.order) {
    const step = spec.steps.find((s) => s.name === name)!
    const previous = plan.resume?.steps[name]
    const reusable = previous && (previous.state === 'done' || previous.state === 'cached') && previous.run ? project.store.runs.get(previous.run) : undefined
    if (reusable?.state === 'completed') {
      steps.push({step: name, action: 'cached', reasons: [`completed in workflow ${plan.resume!.id.slice(0, 8)} (run ${reusable.uid.slice(0, 8)})`], run: reusable.uid})
      outputs.set(name, reusable.outputs)
      continue
    }
    const upstream = dag.deps.get(name)!.filter((d) => willRun.has(d))
    if (upstream.length) {
      willRun.add(name)
      steps.push({step: name, action: 'run', reasons: upstream.map((d) => `upstream step ${d} will rerun`), run: null})
      continue
    }
    let explanation: StepExplanation
    try {
      const {params, inputs, hyper} = renderStep(step, spec.dir, lookupIn(plan.params, outputs))
      const prepared = await prepareStep({project, cwd, hubs: req.hubs}, {step: name, fn: functions.get(name)!, params, inputs, outputs: step.outputs, hyper, runOptions: {secrets: stepSecrets(project, step)}})
      const cached = req.noCache ? undefined : findCached({project}, prepared.key)
      if (cached) {
        explanation = {step: name, action: 'cached', reasons: [`cached (run ${cached.uid.slice(0, 8)})`], run: cached.uid}
        outputs.set(name, cached.outputs)
      } else if (req.noCache) {
        explanation = {step: name, action: 'run', reasons: ['--no-cache'], run: null}
      } else if (prepared.key === null) {
        const missing = Object.entries(prepared.memo.inputs).filter(([, sha]) => sha === '').map(([k]) => k)
        const reasons = missing.map((k) => `input ${k} cannot be found (${inputs[k]})`)
        explanation = {step: name, action: 'run', reasons: reasons.length ? reasons : ['its secrets cannot be compared with an earlier run\'s (the store is read-only)'], run: null}
      } else {
        const last = records.lastMemoOf(spec.name, name, plan.resume ? {excludeId: plan.resume.id} : {})
        const reasons = last?.record.memo ? describeChanges(last.record.memo, prepared.memo) : ['never ran']
        if (reasons.length === 0) {
          const earlier = project.store.runs.findByMemoKey(prepared.key)
          reasons.push(earlier ? `the outputs of run ${earlier.uid.slice(0, 8)} are gone: ${outputsProblem(project.store, earlier)}` : 'the earlier run is gone')
        }
        if (hyper) reasons.push(await reusedIterations({project}, prepared, hyper, params))
        explanation = {step: name, action: 'run', reasons, run: null}
      }
    } catch (error) {
      explanation = {step: name, action: 'run', reasons: [`cannot tell: ${toLodeError(error).message}`], run: null}
    }
    if (explanation.action === 'run') willRun.add(name)
    steps.push(explanation)
  }
  return {name: spec.name, file: spec.file, params: plan.params, steps}
}

export function formatExplanation(e: WorkflowExplanation): string {
  const toRun = e.steps.filter((s) => s.action === 'run').length
  const rows = e.steps.map((s) => [s.step, s.action === 'run' ? 'will run' : 'cached', s.reasons.join('; ').replace(/^cached \(run (\w+)\)$/, 'same code, params and inputs as run $1')])
  return `${formatTable(['STEP', 'DECISION', 'WHY'], rows)}\n\n${toRun} of ${e.steps.length} step${e.steps.length === 1 ? '' : 's'} would run (nothing was run: --explain).`
}

/** How many of a sweep step's iterations ran before with the same code, params and inputs (and would be reused). */
async function reusedIterations(ctx: {project: Project}, prepared: PreparedStep, hyper: StepHyper, params: Record<string, JsonValue>): Promise<string> {
  const [{hyperOptions}, {iterationsOf}] = await Promise.all([import('../hyper/options.ts'), import('../hyper/generate.ts')])
  const o = hyperOptions({hyperparams: hyper.hyperparams, ...hyper.options}, params)
  if (o.strategy === 'random' && hyper.options.seed === undefined) return 'a random sweep without a seed: its iterations cannot be told in advance'
  const reuse = iterationReuse({project: ctx.project, noCache: false}, prepared)
  const all = iterationsOf(o)
  const reused = all.filter((it) => {
    const key = reuse.key({...params, ...it})
    return key !== null && reuse.find(key) !== undefined
  }).length
  return `${reused} of ${all.length} iterations ran before with the same code, params and inputs and would be reused`
}
