// Any command as a function: inputs and params as environment variables and {inputs.KEY}/{params.KEY} in arguments.
// Never through a shell: the argv reaches the program as given.
import type {HandlerSpec, JsonValue} from '../types.ts'
import type {LaunchPlan} from './plan.ts'

export function envName(prefix: string, key: string): string {
  return `${prefix}${key.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`
}

function paramText(v: JsonValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v)
}

export function planExec(argv: string[], spec: HandlerSpec): LaunchPlan {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(spec.params)) env[envName('LODE_PARAM_', k)] = paramText(v)
  for (const [k, i] of Object.entries(spec.inputs)) env[envName('LODE_INPUT_', k)] = i.path
  const substitute = (arg: string) =>
    arg.replace(/\{(inputs|params)\.([A-Za-z0-9_.-]+)\}/g, (whole, scope: string, key: string) => {
      if (scope === 'inputs') return spec.inputs[key]?.path ?? whole
      // own keys only: `in` holds for constructor or toString, which no run was given
      return Object.hasOwn(spec.params, key) ? paramText(spec.params[key]!) : whole
    })
  const [command, ...args] = argv.map(substitute)
  return {command: command!, args, env}
}
