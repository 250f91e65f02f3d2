// `lode run`'s arguments read without oclif, for the lean start-up path (src/cli.ts). It takes only plain forms and
// answers null for anything else, so oclif parses (and explains) every case this does not.
import type {RunFlags} from './run-command.ts'

/** A flag as oclif.manifest.json describes it. */
export interface ManifestFlag {
  name: string
  char?: string
  type: string
  multiple?: boolean
  options?: string[]
  env?: string
}

export interface RunArgv {
  flags: RunFlags
  /** the first argument, when it comes before `--` */
  fn: string | undefined
}

/**
 * `--flag value`, `--flag=value` and `-c value` of the run command's value flags, at most one argument (the
 * function) and everything after `--`. Null for a boolean flag (`--json`, `--help`), an unknown flag, a value that
 * is not one of a flag's options, a value flag given twice, and an argument right after a repeatable flag's value
 * (oclif takes it as one more value).
 */
export function leanRunArgv(args: string[], defs: ManifestFlag[]): RunArgv | null {
  const long = new Map(defs.map((d) => [`--${d.name}`, d]))
  const short = new Map(defs.filter((d) => d.char).map((d) => [`-${d.char}`, d]))
  const flags: Record<string, string | string[]> = {}
  let fn: string | undefined
  let afterRepeatable = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--') break
    if (!arg.startsWith('-')) {
      if (fn !== undefined || afterRepeatable) return null
      fn = arg
      continue
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const def = eq > 0 ? long.get(arg.slice(0, eq)) : (long.get(arg) ?? short.get(arg))
    if (!def || def.type !== 'option') return null
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i]
    // a missing value, one that looks like a flag, or `-` (oclif reads stdin then): oclif's to judge
    if (value === undefined || value.startsWith('-') || (def.options && !def.options.includes(value))) return null
    if (def.multiple) ((flags[def.name] ??= []) as string[]).push(value)
    else if (def.name in flags) return null
    else flags[def.name] = value
    afterRepeatable = Boolean(def.multiple)
  }
  // as oclif: a flag not given takes its environment variable's value when that is set and not empty
  for (const def of defs) if (def.env && !(def.name in flags) && process.env[def.env]) flags[def.name] = process.env[def.env]!
  return {flags: flags as RunFlags, fn}
}
