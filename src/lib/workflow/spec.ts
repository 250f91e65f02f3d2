// A workflow as declared (workflow.yaml, or `workflows:` in lode.yaml), checked for shape: field by field.
import {UserError} from '../errors.ts'
import {inputNameProblem, outputKeyProblem, paramNameProblem} from '../executor/names.ts'
import {paramValueProblem} from '../executor/param-values.ts'
import type {JsonValue, RuntimeSpec} from '../types.ts'
import {runtimeFromConfig} from '../executor/runtime-spec.ts'
import {excerpt, quoteName} from '../util/excerpt.ts'

export interface StepSpec {
  name: string
  /** a file (relative to the workflow's folder), a function named in lode.yaml, or hub://NAME[:VERSION] */
  function: string
  handler: string | null
  params: Record<string, JsonValue>
  /** input name -> a path, store:// URI, or a template such as {{ steps.ingest.outputs.dataset }} */
  inputs: Record<string, JsonValue>
  outputs: string[]
  /** steps to wait for although no value flows from them */
  after: string[]
  /** names of the secrets the step's run is given (sources in lode.yaml `secrets:`, else environment variables) */
  secrets: string[]
  /** a hyperparameter step: param -> values to try (or a template), and how to sweep them (MLRun's names) */
  hyperparams?: Record<string, JsonValue>
  hyperOptions?: Record<string, JsonValue>
  /** where the step runs (`runtime: slurm` or a mapping with its options); else the workflow's --runtime */
  runtime?: RuntimeSpec
}

/** `hyper_options:` of a step, as MLRun's HyperParamOptions names them. */
export const HYPER_OPTION_FIELDS = ['strategy', 'selector', 'stop_condition', 'max_errors', 'parallel_runs', 'max_iterations', 'seed'] as const

export interface WorkflowSpec {
  name: string
  /** absolute path of the file it came from (lode.yaml for an inline workflow) */
  file: string
  /** folder that relative function files and input paths are resolved from */
  dir: string
  /** declared params and their defaults */
  params: Record<string, JsonValue>
  steps: StepSpec[]
  /** values printed when the workflow ends: name -> template */
  outputs: Record<string, JsonValue>
}

const STEP_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/
const STEP_FIELDS = new Set(['function', 'handler', 'params', 'inputs', 'outputs', 'after', 'secrets', 'hyperparams', 'hyper_options', 'runtime'])
const TOP_FIELDS = new Set(['name', 'description', 'params', 'steps', 'outputs'])

/** A workflow, step or output name: also a key of plain objects, so never "__proto__". */
function isName(name: string): boolean {
  return STEP_NAME.test(name) && name !== '__proto__'
}

/** A name from the file as part of a field's path: cut short, as it may be a whole stray line. */
function cut(name: string): string {
  return excerpt(name, 40)
}

function named(problems: string[], field: string, problem: string | null): void {
  if (problem) problems.push(`${field}: ${problem}`)
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** Check a parsed document and turn it into a WorkflowSpec; every problem found is listed in one error. */
export function parseWorkflowDoc(doc: unknown, where: {file: string; dir: string; name: string; prefix?: string}): WorkflowSpec {
  const at = (field: string) => `${where.prefix ?? ''}${field}`
  const problems: string[] = []
  if (!isMapping(doc)) throw new UserError(`${where.file}: a workflow must be a mapping with "steps:".`, EXAMPLE_HINT)
  for (const key of Object.keys(doc)) if (!TOP_FIELDS.has(key)) problems.push(`${at(cut(key))}: unknown field (expected ${[...TOP_FIELDS].join(', ')})`)
  const name = doc.name === undefined ? where.name : doc.name
  if (typeof name !== 'string' || !isName(name)) problems.push(`${at('name')}: must be a name (letters, digits, '-', '_'), got ${typeof name === 'string' ? quoteName(name) : excerpt(JSON.stringify(name) ?? 'nothing', 60)}`)
  const params = doc.params === undefined || doc.params === null ? {} : doc.params
  if (!isMapping(params)) problems.push(`${at('params')}: must be a mapping of name: default value`)
  else for (const [k, v] of Object.entries(params)) named(problems, at(`params.${cut(k)}`), paramNameProblem(k) ?? paramValueProblem(k, v))
  const outputs = doc.outputs === undefined || doc.outputs === null ? {} : doc.outputs
  if (!isMapping(outputs)) problems.push(`${at('outputs')}: must be a mapping of name: value (e.g. model: "{{ steps.train.outputs.model }}")`)
  else for (const k of Object.keys(outputs)) if (!isName(k)) problems.push(`${at(`outputs.${cut(k)}`)}: an output name uses letters, digits, '-' and '_'`)
  const steps: StepSpec[] = []
  if (!isMapping(doc.steps) || Object.keys(doc.steps).length === 0) {
    problems.push(`${at('steps')}: must be a mapping of step name -> {function, handler, params, inputs, outputs}`)
  } else {
    for (const [stepName, raw] of Object.entries(doc.steps)) {
      const f = (field: string) => at(`steps.${cut(stepName)}${field ? `.${field}` : ''}`)
      if (!isName(stepName)) problems.push(`${f('')}: a step name uses letters, digits, '-' and '_'`)
      if (!isMapping(raw)) {
        problems.push(`${f('')}: must be a mapping with at least "function:"`)
        continue
      }
      for (const key of Object.keys(raw)) if (!STEP_FIELDS.has(key)) problems.push(`${f(cut(key))}: unknown field (expected ${[...STEP_FIELDS].join(', ')})`)
      if (typeof raw.function !== 'string' || raw.function.trim() === '') problems.push(`${f('function')}: required (a file, a lode.yaml function, or hub://NAME)`)
      if (raw.handler !== undefined && raw.handler !== null && typeof raw.handler !== 'string') problems.push(`${f('handler')}: must be a string`)
      const stepParams = raw.params ?? {}
      if (!isMapping(stepParams)) problems.push(`${f('params')}: must be a mapping of name: value`)
      else for (const [k, v] of Object.entries(stepParams)) named(problems, f(`params.${cut(k)}`), paramNameProblem(k) ?? paramValueProblem(k, v))
      const inputs = raw.inputs ?? {}
      if (!isMapping(inputs)) problems.push(`${f('inputs')}: must be a mapping of name: path, store:// URI or {{ steps.STEP.outputs.KEY }}`)
      else for (const [k, v] of Object.entries(inputs)) {
        named(problems, f(`inputs.${cut(k)}`), inputNameProblem(k))
        if (typeof v !== 'string') problems.push(`${f(`inputs.${cut(k)}`)}: must be a string`)
      }
      const outs = raw.outputs ?? []
      const outList = typeof outs === 'string' ? [outs] : outs
      if (!Array.isArray(outList) || outList.some((o) => typeof o !== 'string')) problems.push(`${f('outputs')}: must be a list of output keys`)
      else for (const o of outList as string[]) named(problems, f('outputs'), outputKeyProblem(o))
      const after = typeof raw.after === 'string' ? [raw.after] : (raw.after ?? [])
      if (!Array.isArray(after) || after.some((o) => typeof o !== 'string')) problems.push(`${f('after')}: must be a list of step names`)
      const secrets = typeof raw.secrets === 'string' ? [raw.secrets] : (raw.secrets ?? [])
      if (!Array.isArray(secrets) || secrets.some((o) => typeof o !== 'string')) problems.push(`${f('secrets')}: must be a list of secret names (their sources go in lode.yaml secrets:)`)
      const hyperparams = raw.hyperparams ?? null
      if (hyperparams !== null) {
        if (!isMapping(hyperparams) || Object.keys(hyperparams).length === 0) problems.push(`${f('hyperparams')}: must be a mapping of name: [values to try]`)
        else for (const [k, v] of Object.entries(hyperparams)) {
          named(problems, f(`hyperparams.${cut(k)}`), paramNameProblem(k) ?? paramValueProblem(k, v))
          if (!Array.isArray(v) && typeof v !== 'string') problems.push(`${f(`hyperparams.${cut(k)}`)}: must be a list of values to try (or a {{ template }} that gives one)`)
        }
      }
      const hyperOptions = raw.hyper_options ?? null
      if (hyperOptions !== null) {
        if (!isMapping(hyperOptions)) problems.push(`${f('hyper_options')}: must be a mapping (${HYPER_OPTION_FIELDS.join(', ')})`)
        else for (const k of Object.keys(hyperOptions)) if (!(HYPER_OPTION_FIELDS as readonly string[]).includes(k)) problems.push(`${f(`hyper_options.${cut(k)}`)}: unknown option (expected ${HYPER_OPTION_FIELDS.join(', ')})`)
        if (hyperparams === null) problems.push(`${f('hyper_options')}: applies to a step with hyperparams only`)
      }
      let runtime: RuntimeSpec | undefined
      try {
        runtime = runtimeFromConfig(raw.runtime, f('runtime'))
      } catch (error) {
        problems.push((error as Error).message)
      }
      steps.push({
        ...(isMapping(hyperparams) ? {hyperparams: hyperparams as Record<string, JsonValue>} : {}),
        ...(isMapping(hyperOptions) ? {hyperOptions: hyperOptions as Record<string, JsonValue>} : {}),
        ...(runtime ? {runtime} : {}),
        name: stepName,
        function: String(raw.function ?? ''),
        handler: typeof raw.handler === 'string' ? raw.handler : null,
        params: isMapping(stepParams) ? (stepParams as Record<string, JsonValue>) : {},
        inputs: isMapping(inputs) ? (inputs as Record<string, JsonValue>) : {},
        outputs: Array.isArray(outList) ? outList.map(String) : [],
        after: Array.isArray(after) ? after.map(String) : [],
        secrets: Array.isArray(secrets) ? secrets.map(String) : [],
      })
    }
  }
  if (problems.length) throw invalid(where.file, problems)
  return {
    name: name as string, file: where.file, dir: where.dir, params: params as Record<string, JsonValue>, steps,
    outputs: outputs as Record<string, JsonValue>,
  }
}

export function invalid(file: string, problems: string[]): UserError {
  const list = problems.map((p) => `  ${p}`).join('\n')
  return new UserError(`${file}: the workflow is not valid (nothing was run):\n${list}`, EXAMPLE_HINT, {details: {problems}})
}

const EXAMPLE_HINT = `A step looks like:
  steps:
    train:
      function: hub://auto_trainer
      handler: train
      inputs: {dataset: "{{ steps.ingest.outputs.dataset }}"}
      params: {label_columns: "{{ params.label }}"}
      outputs: [model]`
