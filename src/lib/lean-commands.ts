// `lode run`, `runs ls`, `artifacts ls|get` and `log artifact|result` without oclif, when their arguments are plain
// (lean-argv.ts): loading oclif costs about as much as the rest of a small run or listing. Each answers false, having
// done nothing, when oclif should run the command instead; otherwise it calls `commit` once it is sure (the caller's
// signal handling: src/cli-lean.ts), prints what the oclif command would, and sets the same exit code.
import {errorJson, formatError, fromAnyError, jsonEnvelopeText} from './command-output.ts'
import {leanArgv, type ManifestFlag} from './lean-argv.ts'
import type {RunFlags} from './executor/run-command.ts'

export async function leanRun(argv: string[], defs: ManifestFlag[], commit: () => void): Promise<boolean> {
  const parsed = leanArgv(argv, defs, {maxArgs: 1, dashDash: true, booleans: ['json']})
  if (!parsed) return false
  const [{runFromFlags}, {parseParamFlags, readParamsFile}, {secretParamWarning}] = await Promise.all([
    import('./executor/run-command.ts'), import('./executor/params.ts'), import('./secrets/sources.ts'),
  ])
  const f = parsed.flags as RunFlags
  // a warning, or params that do not parse: oclif's command says so, in its words
  try {
    if (secretParamWarning({...(f['params-file'] ? readParamsFile(f['params-file']) : {}), ...parseParamFlags(f.param)})) return false
  } catch {
    return false
  }
  commit()
  const json = parsed.flags.json === true
  try {
    const {run, failure} = await runFromFlags(f, parsed.args[0], argv, {json, events: f.events as 'ndjson' | undefined, warn: () => {}})
    // as the command's: a failed run is the error envelope under --json (the run in its details), else its exit code
    if (failure && json) fail(failure, 'run', true)
    else if (failure) process.exitCode = failure.exitCode
    else if (json) process.stdout.write(jsonEnvelopeText({ok: true, data: run}))
  } catch (error) {
    fail(error, 'run', json)
  }
  return true
}

export async function leanRunsLs(argv: string[], defs: ManifestFlag[], commit: () => void): Promise<boolean> {
  const parsed = leanArgv(argv, defs, {maxArgs: 0, booleans: ['json']})
  const limit = parsed?.flags.limit ?? '20'
  // --watch, or a limit oclif would refuse or read otherwise
  if (!parsed || typeof limit !== 'string' || !/^[1-9]\d{0,8}$/.test(limit)) return false
  commit()
  const {runsLs} = await import('./runs/ls-command.ts')
  const f = parsed.flags as {state?: string; label?: string[]; name?: string; parent?: string; project?: string}
  const json = parsed.flags.json === true
  try {
    const runs = await runsLs({...f, limit: Number(limit)}, {
      json,
      out: (text) => json || writeLine(process.stdout, text),
      note: (text) => writeLine(process.stderr, text),
    })
    if (json) process.stdout.write(jsonEnvelopeText({ok: true, data: runs}))
  } catch (error) {
    fail(error, 'runs ls', json)
  }
  return true
}

/** `lode artifacts ls [GLOB]` with its filters, --all-versions, --limit and --json, as the command answers. */
export async function leanArtifactsLs(argv: string[], defs: ManifestFlag[], commit: () => void): Promise<boolean> {
  const parsed = leanArgv(argv, defs, {maxArgs: 1, booleans: ['json', 'all-versions']})
  const limit = parsed?.flags.limit ?? '50'
  // a limit oclif would refuse or read otherwise
  if (!parsed || typeof limit !== 'string' || !/^[1-9]\d{0,8}$/.test(limit)) return false
  commit()
  const {artifactsLs} = await import('./artifacts/ls-command.ts')
  const f = parsed.flags as {kind?: string; tag?: string; label?: string[]; producer?: string; since?: string; 'all-versions'?: true; project?: string}
  const json = parsed.flags.json === true
  try {
    const versions = await artifactsLs(parsed.args[0], {...f, limit: Number(limit)}, {
      json,
      out: (text) => writeLine(process.stdout, text),
      note: (text) => writeLine(process.stderr, text),
    })
    if (json) process.stdout.write(jsonEnvelopeText({ok: true, data: versions}))
  } catch (error) {
    fail(error, 'artifacts ls', json)
  }
  return true
}

/** `lode artifacts get REF` with -o, --format, --meta, --lineage, --json; `--preview` (its number is optional) is oclif's. */
export async function leanArtifactsGet(argv: string[], defs: ManifestFlag[], commit: () => void): Promise<boolean> {
  const parsed = leanArgv(argv, defs, {maxArgs: 1, booleans: ['json', 'meta', 'lineage']})
  // no ref, or --format without -o (oclif says the one needs the other)
  if (!parsed || parsed.args.length !== 1 || parsed.flags.preview !== undefined || (parsed.flags.format !== undefined && parsed.flags.output === undefined)) return false
  commit()
  const [{getArtifact}, {Project}, {shouldColor}] = await Promise.all([
    import('./artifacts/get-command.ts'), import('./project/project.ts'), import('./views/color.ts'),
  ])
  const f = parsed.flags as {output?: string; format?: string; meta?: true; lineage?: true; json?: true; project?: string}
  const json = f.json === true
  try {
    const project = await Project.open(process.cwd(), {explicit: f.project})
    try {
      const result = await getArtifact(project.store, parsed.args[0]!, {
        output: f.output, format: f.format, meta: f.meta, lineage: f.lineage, json, color: shouldColor(process.stdout, process.env),
      })
      if (result.text && !json) writeLine(process.stdout, result.text)
      if (result.note) writeLine(process.stderr, result.note)
      if (json) process.stdout.write(jsonEnvelopeText({ok: true, data: result.data}))
    } finally {
      project.close()
    }
  } catch (error) {
    fail(error, 'artifacts get', json)
  }
  return true
}

/** `lode log artifact KEY PATH` and `lode log result KEY VALUE` from a handler's shell: called once per value, often. */
export interface LeanLogArgs {
  sub: 'artifact' | 'result'
  key: string
  value: string
  json: boolean
  flags: {kind?: string; format?: string; label?: string[]}
}

/** The arguments of `lode log artifact KEY PATH` or `lode log result KEY VALUE` read plainly; null: oclif's to read. */
export function leanLogArgs(sub: string, argv: string[], defs: ManifestFlag[]): LeanLogArgs | null {
  const parsed = leanArgv(argv, defs, {maxArgs: 2, booleans: ['json']})
  if (!parsed || parsed.args.length !== 2 || (sub !== 'artifact' && sub !== 'result')) return null
  const [key, value] = parsed.args as [string, string]
  return {sub, key, value, json: parsed.flags.json === true, flags: parsed.flags as LeanLogArgs['flags']}
}

export async function leanLog({sub, key, value, json, flags}: LeanLogArgs): Promise<void> {
  const {logArtifactCommand, logResultCommand} = await import('./sdk/from-env.ts')
  try {
    const data = sub === 'result' ? await logResultCommand(key, value) : await logArtifactCommand(key, value, flags)
    if (json) process.stdout.write(jsonEnvelopeText({ok: true, data}))
  } catch (error) {
    fail(error, `log ${sub}`, json)
  }
}

/** A lean command's failure, as oclif's path reports it: exit code, then the JSON envelope or the message. */
function fail(error: unknown, command: string, json: boolean): void {
  const e = fromAnyError(error, command)
  process.exitCode = e.exitCode
  if (json) process.stdout.write(jsonEnvelopeText({ok: false, error: errorJson(e)}))
  else process.stderr.write(formatError(e))
}

function writeLine(stream: NodeJS.WriteStream, text: string): boolean {
  return stream.write(text.endsWith('\n') ? text : `${text}\n`)
}
