// A workflow step with `hyperparams:` (and `hyper_options:`, MLRun's names), once its templates are filled in.
import {UserError} from '../errors.ts'
import type {HyperParamOptions} from '../project/project.ts'
import type {JsonValue} from '../types.ts'

export interface StepHyper {
  hyperparams: Record<string, JsonValue[]>
  options: HyperParamOptions
}

const NUMBER_OPTIONS = {max_errors: 'maxErrors', parallel_runs: 'parallel', max_iterations: 'maxIterations', seed: 'seed'} as const
const TEXT_OPTIONS = {strategy: 'strategy', selector: 'selector', stop_condition: 'stopCondition'} as const

export function stepHyper(hyperparams: Record<string, JsonValue>, options: Record<string, JsonValue>): StepHyper {
  const lists: Record<string, JsonValue[]> = {}
  for (const [k, v] of Object.entries(hyperparams)) {
    if (!Array.isArray(v)) throw new UserError(`hyperparams.${k} must be a list of values to try, not ${JSON.stringify(v)}`)
    lists[k] = v
  }
  const out: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(options)) {
    if (v === null) continue
    if (k in NUMBER_OPTIONS) {
      if (typeof v !== 'number') throw new UserError(`hyper_options.${k} must be a number, not ${JSON.stringify(v)}`)
      out[NUMBER_OPTIONS[k as keyof typeof NUMBER_OPTIONS]] = v
    } else if (k in TEXT_OPTIONS) {
      if (typeof v !== 'string') throw new UserError(`hyper_options.${k} must be a string, not ${JSON.stringify(v)}`)
      out[TEXT_OPTIONS[k as keyof typeof TEXT_OPTIONS]] = v
    }
  }
  return {hyperparams: lists, options: out as HyperParamOptions}
}
