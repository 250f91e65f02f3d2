// Entry of dist/lean.cjs (scripts/build-cli.mjs), which bin/run.js loads for `lode run`, `lode runs ls` and `lode
// artifacts ls|get`: with plain arguments they need lode's runs and store, not its other commands nor oclif (~560 kB of
// lode instead of ~900 kB: ~2.5 ms of a ~63 ms `lode run --kind exec -- true`). Any other form of them is the whole
// command's (src/cli.ts, oclif), which this then leaves as it found it: nothing started but a runner no run takes.
import {resolve} from 'node:path'
import {exitOnUnhandledSignals} from './lib/executor/interrupt.ts'
import {leanFlags, type ManifestFlag} from './lib/lean-argv.ts'

/**
 * The handler file (absolute) of `lode run FILE[#HANDLER] ...`, when it is TypeScript, JavaScript or Python: its
 * runner can start while lode loads (spawn.ts, prestartRunner). Flags are told apart from the function by the run
 * command's flags in the manifest. A wrong guess costs only a runner that no run takes.
 */
function handlerOf(args: string[], flags: ManifestFlag[]): {file: string; kind: 'node' | 'python'; python?: string} | null {
  if (args.some((a) => a === '--help' || a === '-h' || a === '--')) return null
  // a cluster job starts its runner on a node: one started here would only take a core from lode
  if (args.some((a) => a === '--runtime' || (a.startsWith('--runtime=') && a !== '--runtime=local'))) return null
  const takesValue = new Set(flags.filter((f) => f.type === 'option').flatMap((f) => [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])]))
  let kind: string | undefined
  let python: string | undefined
  let file: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--kind' || arg === '--python') {
      if (arg === '--kind') kind = args[i + 1]
      else python = args[i + 1]
      i++
    } else if (arg.startsWith('--kind=')) kind = arg.slice(7)
    else if (arg.startsWith('--python=')) python = arg.slice(9)
    else if (arg.startsWith('-')) {
      if (takesValue.has(arg)) i++
    } else if (file === undefined) file = arg
  }
  const m = file === undefined ? null : /^([^:]*\.(m?[tj]s|py))(#[^#]*)?$/.exec(file)
  if (!m) return null
  const found = m[2] === 'py' ? 'python' : 'node'
  if (kind !== undefined && kind !== found) return null
  return {file: resolve(m[1]!), kind: found, ...(found === 'python' && python !== undefined ? {python} : {})}
}

/** false, having done nothing lode needs undone: not one of these commands with plain arguments (bin/run.js then runs cli.ts). */
export async function runLean(argv: string[]): Promise<boolean> {
  // oclif reads LODE_CONTENT_TYPE=json as --json: left to it
  if (process.env.LODE_CONTENT_TYPE) return false
  const commands = await import('./lib/lean-commands.ts')
  if (argv[0] === 'run') {
    const defs = leanFlags('run')
    const handler = handlerOf(argv.slice(1), defs)
    if (handler) (await import('./lib/executor/spawn.ts')).prestartRunner(handler.file, handler.kind, {python: handler.python})
    return commands.leanRun(argv.slice(1), defs, exitOnUnhandledSignals)
  }
  if (argv[0] === 'runs' && argv[1] === 'ls') return commands.leanRunsLs(argv.slice(2), leanFlags('runs:ls'), exitOnUnhandledSignals)
  if (argv[0] === 'artifacts' && argv[1] === 'get') return commands.leanArtifactsGet(argv.slice(2), leanFlags('artifacts:get'), exitOnUnhandledSignals)
  if (argv[0] === 'artifacts' && argv[1] === 'ls') return commands.leanArtifactsLs(argv.slice(2), leanFlags('artifacts:ls'), exitOnUnhandledSignals)
  return false
}
