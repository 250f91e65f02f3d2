// `lode run` as a service: resolve, run with a live view or plain lines or ndjson events, map the outcome to an exit code.
import {EXIT, LodeError, UserError} from '../errors.ts'
import type {HyperRequest} from '../hyper/options.ts'
import type {Project, RunOptions} from '../project/project.ts'
import type {Run, RunEvent} from '../types.ts'
import {abortOnSignals} from './interrupt.ts'
import {runtimeFromFlags, type RuntimeFlags} from './runtime-spec.ts'
import {createMask} from '../secrets/mask.ts'

export interface RunUi {
  json: boolean
  events?: 'ndjson'
}

/** `lode run`'s flags, as oclif parses them or as the lean start-up path does (src/cli-lean.ts). */
export interface RunFlags extends RuntimeFlags {
  handler?: string
  input?: string[]
  param?: string[]
  'params-file'?: string
  output?: string[]
  name?: string
  label?: string[]
  kind?: string
  python?: string
  hub?: string[]
  events?: string
  secret?: string[]
  'secret-file'?: string[]
  project?: string
  // a hyperparameter run (src/lib/hyper)
  hyperparam?: string[]
  'hyper-file'?: string
  strategy?: string
  selector?: string
  'stop-condition'?: string
  'max-errors'?: string
  parallel?: string
  'max-iterations'?: string
  seed?: string
}


/**
 * `lode run` from its parsed flags: the function (the first argument unless it is part of the command after `--`),
 * the command after `--`, params, inputs and secrets, then the run. `warn` gets a warning about the params.
 */
export async function runFromFlags(f: RunFlags, fnArg: string | undefined, argv: string[], ui: RunUi & {warn(text: string): void}): Promise<{run: Run; failure: LodeError | null}> {
  // what a plain run never uses (inputs, sweeps) loads only when asked for
  const [{parseLabelFlags, parseParamFlags, readParamsFile}, {collectSecrets, secretParamWarning}, {Project}] = await Promise.all([
    import('./params.ts'), import('../secrets/sources.ts'), import('../project/project.ts'),
  ])
  const params = {...(f['params-file'] ? readParamsFile(f['params-file']) : {}), ...parseParamFlags(f.param)}
  const inputs = f.input?.length ? (await import('./resolve-inputs.ts')).parseInputFlags(f.input) : {}
  const project = await Project.open(process.cwd(), {explicit: f.project})
  const parent = parentRunFromEnv(project)
  const secrets = collectSecrets({flags: f.secret, files: f['secret-file']}, {config: project.config, dir: project.dir})
  const warning = secretParamWarning(params)
  if (warning) ui.warn(warning)
  const rest = argv.includes('--') ? argv.slice(argv.indexOf('--') + 1) : []
  const fnRef = fnArg && !rest.includes(fnArg) ? fnArg : undefined
  const opts: RunOptions = {
    handler: f.handler, params, inputs, outputs: f.output, name: f.name, labels: parseLabelFlags(f.label),
    kind: f.kind as 'node' | 'python' | 'exec' | undefined, command: rest.length ? rest : undefined, python: f.python, hubs: f.hub, secrets,
    ...(parent ? {parent} : {}),
  }
  try {
    const hyper = hyperRequest(f)
    if (Object.values(hyper).every((v) => v === undefined)) return await runWithUi(project, fnRef, opts, ui, f)
    const {wantsSweep, strayOptions} = await import('../hyper/options.ts')
    if (wantsSweep(hyper)) return await (await import('../hyper/run-command.ts')).sweepWithUi(project, fnRef, opts, hyper, ui, f)
    const stray = strayOptions(hyper)
    if (stray.length) throw new UserError(`${stray.join(', ')} ${stray.length > 1 ? 'apply' : 'applies'} to hyperparameter runs only.`, 'Give the values to try: --hyperparam KEY=[V1,V2] or --hyper-file FILE.')
    return await runWithUi(project, fnRef, opts, ui, f)
  } finally {
    project.close()
  }
}

function hyperRequest(f: RunFlags): HyperRequest {
  return {
    hyperparamFlags: f.hyperparam, hyperFile: f['hyper-file'], strategy: f.strategy, selector: f.selector, stopCondition: f['stop-condition'],
    maxErrors: f['max-errors'], parallel: f.parallel, maxIterations: f['max-iterations'], seed: f.seed,
  }
}

/**
 * LODE_PARENT_RUN: the run that starts this one (a Python pipeline's run_function sets it), recorded as its parent.
 * It must be a running run of this project's store. Taken out of the environment, so the handler's own processes
 * do not inherit it.
 */
function parentRunFromEnv(project: Project): string | undefined {
  const uid = process.env.LODE_PARENT_RUN
  delete process.env.LODE_PARENT_RUN
  if (!uid) return undefined
  const hint = 'LODE_PARENT_RUN names the running run that starts this one (run_function inside lode run sets it); unset it to run on its own.'
  const parent = /^[0-9a-f]{32}$/.test(uid) ? project.store.runs.get(uid) : undefined
  if (!parent) throw new UserError(`LODE_PARENT_RUN=${JSON.stringify(uid.slice(0, 64))} is not a run of the project at ${project.dir}.`, hint)
  if (parent.state !== 'running') throw new UserError(`LODE_PARENT_RUN=${uid} is ${parent.state}, not running: a run can only be started by a run still going.`, hint)
  return uid
}

export async function runWithUi(project: Project, fnRef: string | undefined, opts: RunOptions, ui: RunUi, runtimeFlags: RuntimeFlags = {}): Promise<{run: Run; failure: LodeError | null}> {
  const fn = await project.resolveFunction(fnRef, opts)
  const runtime = runtimeFromFlags(runtimeFlags, fn.runtime)
  const label = createMask(Object.values(opts.secrets ?? {})).text(fn.label)
  return showRun({function: label, handler: fn.handler}, ui, (hooks) => project.run(fn, {...opts, ...(runtime ? {runtime} : {}), ...hooks}))
}

/** The hooks a run is shown through: Ctrl-C's signal, its events, and its output when the view shows it. */
export interface RunHooks {
  signal: AbortSignal
  onEvent: (e: RunEvent) => void
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string | Uint8Array) => void
}

/** One run shown as `lode run` shows it (a live view, plain lines or ndjson events; Ctrl-C aborts it), then its outcome. */
export async function showRun(header: {function: string; handler: string | null}, ui: RunUi, go: (hooks: RunHooks) => Promise<Run>): Promise<{run: Run; failure: LodeError | null}> {
  const {createRunReporter} = await import('../views/reporter.ts')
  const reporter = await createRunReporter({
    stream: process.stderr, interactive: ui.json || ui.events ? false : undefined, quiet: ui.json, events: ui.events, stdout: process.stdout, header,
  })
  const interrupt = abortOnSignals((signal) => reporter.abortNotice(signal))
  let run: Run
  try {
    run = await go({
      signal: interrupt.signal,
      onEvent: (e) => reporter.onEvent(e),
      ...(reporter.wantsOutput ? {onOutput: (stream, chunk) => reporter.onOutput(stream, chunk)} : {}),
    })
  } catch (error) {
    reporter.dispose()
    throw error
  } finally {
    interrupt.dispose()
  }
  await reporter.finish(run)
  return {run, failure: runFailure(run)}
}

/** A run that did not complete, as an error for scripts: its code, the exit code, and the run record in details. */
export function runFailure(run: Run): LodeError | null {
  if (run.state === 'completed') return null
  const id = run.uid.slice(0, 8)
  const details = {run: run as unknown as Record<string, unknown>}
  // the sentence ends once: a handler's message may end with its own period
  const why = run.error?.message?.replace(/[.\s]+$/, '')
  if (run.state === 'aborted') {
    return new LodeError('aborted', `Run ${id} (${run.name}) was aborted${why ? `: ${why}` : ''}.`, {hint: `See what it did: lode runs logs ${id}`, details, exitCode: exitCodeOfRun(run)})
  }
  return new LodeError('run_failed', `Run ${id} (${run.name}) failed${why ? `: ${why}` : ''}.`, {hint: `See its output: lode runs logs ${id}`, details, exitCode: exitCodeOfRun(run)})
}

export function exitCodeOfRun(run: Run): number {
  return run.state === 'completed' ? EXIT.ok : run.state === 'aborted' ? EXIT.aborted : EXIT.runFailed
}
