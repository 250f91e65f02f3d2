// A command's arguments read without oclif, for the lean start-up paths (src/cli-lean.ts, src/cli-log.ts). It takes
// only plain forms and answers null for anything else, so oclif parses (and explains) every case this does not.
import {readFileSync} from './util/fs.ts'

/** A flag as oclif.manifest.json describes it. */
export interface ManifestFlag {
  name: string
  char?: string
  type: string
  multiple?: boolean
  options?: string[]
  env?: string
}

/** The flags of command `id` as oclif's manifest gives them: from the lean commands' extract of it the build writes. */
export function leanFlags(id: string): ManifestFlag[] {
  try {
    return (JSON.parse(readFileSync(new URL('../lean-flags.json', import.meta.url), 'utf8')) as Record<string, ManifestFlag[]>)[id] ?? []
  } catch {
    // not built (src/ run as it is): the manifest itself
    return manifestFlags(JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')), id)
  }
}

export interface LeanArgv {
  flags: Record<string, string | string[] | true>
  /** the arguments before `--` (at most `maxArgs`) */
  args: string[]
  /** whether `--` came (what follows is the command's to read from the raw argv) */
  dashDash: boolean
}

/**
 * `--flag value`, `--flag=value` and `-c value` of value flags, the boolean flags named in `booleans`, at most
 * `maxArgs` arguments, and `--` when `dashDash` allows it. Null for any other boolean flag (`--help`), an unknown
 * flag, a value that is not one of a flag's options, a value flag given twice, and an argument right after a
 * repeatable flag's value (oclif takes it as one more value).
 */
export function leanArgv(argv: string[], defs: ManifestFlag[], opts: {maxArgs: number; booleans?: string[]; dashDash?: boolean}): LeanArgv | null {
  const long = new Map(defs.map((d) => [`--${d.name}`, d]))
  const short = new Map(defs.filter((d) => d.char).map((d) => [`-${d.char}`, d]))
  const flags: LeanArgv['flags'] = {}
  const args: string[] = []
  let afterRepeatable = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') {
      if (!opts.dashDash) return null
      return withEnv({flags, args, dashDash: true}, defs)
    }
    if (!arg.startsWith('-')) {
      if (args.length >= opts.maxArgs || afterRepeatable) return null
      args.push(arg)
      continue
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const def = eq > 0 ? long.get(arg.slice(0, eq)) : (long.get(arg) ?? short.get(arg))
    if (!def) return null
    if (def.type === 'boolean') {
      if (eq > 0 || !opts.booleans?.includes(def.name) || def.name in flags) return null
      flags[def.name] = true
      afterRepeatable = false
      continue
    }
    if (def.type !== 'option') return null
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
    // a missing value, one that looks like a flag, or `-` (oclif reads stdin then): oclif's to judge
    if (value === undefined || value.startsWith('-') || (def.options && !def.options.includes(value))) return null
    if (def.multiple) ((flags[def.name] ??= []) as string[]).push(value)
    else if (def.name in flags) return null
    else flags[def.name] = value
    afterRepeatable = Boolean(def.multiple)
  }
  return withEnv({flags, args, dashDash: false}, defs)
}

/** As oclif: a flag not given takes its environment variable's value when that is set and not empty. */
function withEnv(parsed: LeanArgv, defs: ManifestFlag[]): LeanArgv {
  for (const def of defs) if (def.env && !(def.name in parsed.flags) && process.env[def.env]) parsed.flags[def.name] = process.env[def.env]!
  return parsed
}

/** A command's flags, from oclif's manifest (written at build time). */
export function manifestFlags(manifest: unknown, id: string): ManifestFlag[] {
  const commands = (manifest as {commands: Record<string, {flags: Record<string, ManifestFlag>}>}).commands
  return Object.values(commands[id]?.flags ?? {})
}
