// Entry point of bin/run.js. `--version`, and `run` with plain arguments, are answered without loading oclif, to keep them near Node's start-up cost.
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import type {ManifestFlag} from './lib/executor/run-argv.ts'

/** The run command's flags, from oclif's manifest (written at build time). */
function runFlagDefs(): ManifestFlag[] {
  const manifest = JSON.parse(readFileSync(new URL('../oclif.manifest.json', import.meta.url), 'utf8')) as {
    commands: Record<string, {flags: Record<string, ManifestFlag>}>
  }
  return Object.values(manifest.commands.run?.flags ?? {})
}

/**
 * `lode run` without oclif, when its arguments are plain (run-argv.ts): oclif's loading costs about as much as the
 * rest of a small run. Answers false, having done nothing, when oclif should run the command instead.
 */
async function leanRun(args: string[], defs: ManifestFlag[]): Promise<boolean> {
  const {leanRunArgv} = await import('./lib/executor/run-argv.ts')
  const parsed = leanRunArgv(args, defs)
  if (!parsed) return false
  const [{runFromFlags}, {parseParamFlags, readParamsFile}, {secretParamWarning}] = await Promise.all([
    import('./lib/executor/run-command.ts'), import('./lib/executor/params.ts'), import('./lib/secrets/sources.ts'),
  ])
  const f = parsed.flags
  // a warning, or params that do not parse: oclif's command says so, in its words
  try {
    if (secretParamWarning({...(f['params-file'] ? readParamsFile(f['params-file']) : {}), ...parseParamFlags(f.param)})) return false
  } catch {
    return false
  }
  try {
    const {failure} = await runFromFlags(f, parsed.fn, args, {json: false, events: f.events as 'ndjson' | undefined, warn: () => {}})
    if (failure) process.exitCode = failure.exitCode
  } catch (error) {
    const {fromAnyError, formatError} = await import('./lib/base-command.ts')
    const e = fromAnyError(error, 'run')
    process.stderr.write(formatError(e))
    process.exitCode = e.exitCode
  }
  return true
}

/**
 * The handler file (absolute) of `lode run FILE[#HANDLER] ...`, when it is TypeScript or JavaScript: its runner can start
 * while oclif loads (spawn.ts, prestartNodeRunner). Flags are told apart from the function by the run command's
 * flags in the manifest. A wrong guess costs only a runner that no run takes.
 */
function nodeHandlerOf(args: string[], flags: ManifestFlag[]): string | null {
  if (args.some((a) => a === '--help' || a === '-h' || a === '--')) return null
  const takesValue = new Set(flags.filter((f) => f.type === 'option').flatMap((f) => [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])]))
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--kind' && args[i + 1] !== 'node') return null
    if (arg.startsWith('--kind=') && arg !== '--kind=node') return null
    if (arg.startsWith('-')) {
      if (takesValue.has(arg)) i++
      continue
    }
    const file = /^([^:]*\.m?[tj]s)(#[^#]*)?$/.exec(arg)
    return file ? resolve(file[1]!) : null
  }
  return null
}

export async function run(argv: string[], binUrl: string): Promise<void> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}
    process.stdout.write(`lode/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
    return
  }
  if (argv[0] === 'run' && argv.some((a) => a.startsWith('hub://')) && argv.some((a) => a === '--help' || a === '-h')) {
    const [{hubRunHelp}, {fromAnyError, formatError}] = await Promise.all([import('./lib/hub/run-help.ts'), import('./lib/base-command.ts')])
    try {
      process.stdout.write((await hubRunHelp(argv.slice(1))) ?? '')
    } catch (error) {
      const e = fromAnyError(error)
      process.stderr.write(formatError(e))
      process.exitCode = e.exitCode
    }
    return
  }
  if (argv[0] === 'run') {
    const defs = runFlagDefs()
    const node = nodeHandlerOf(argv.slice(1), defs)
    if (node) (await import('./lib/executor/spawn.ts')).prestartNodeRunner(node)
    if (await leanRun(argv.slice(1), defs)) return
  }
  const oclif = await import('#oclif')
  try {
    await oclif.run(argv, binUrl)
    await oclif.flush()
  } catch (error) {
    await oclif.handle(error as Error)
  }
}
