// `lode run` with hyperparams: the sweep with its live table, plain lines or ndjson events; the parent's outcome as
// the exit code. The --json result is the parent run with its iterations.
import type {LodeError} from '../errors.ts'
import {runFailure, type RunUi} from '../executor/run-command.ts'
import {abortOnSignals} from '../executor/interrupt.ts'
import {runtimeFromFlags, type RuntimeFlags} from '../executor/runtime-spec.ts'
import type {Project, RunOptions} from '../project/project.ts'
import type {HyperSummary, IterationSummary, Run} from '../types.ts'
import {hyperOptions, type HyperRequest} from './options.ts'

/** The parent run, its sweep's options and best iteration, and every iteration's summary. */
export type SweepRun = Run & {hyper: Omit<HyperSummary, 'iterations'>; iterations: IterationSummary[]}

export function sweepRecord(run: Run, s: HyperSummary): SweepRun {
  const {iterations, ...hyper} = s
  return {...run, hyper, iterations}
}

export async function sweepWithUi(project: Project, fnRef: string | undefined, opts: RunOptions, req: HyperRequest, ui: RunUi, runtimeFlags: RuntimeFlags = {}): Promise<{run: SweepRun; failure: LodeError | null}> {
  const hyper = hyperOptions(req, opts.params ?? {})
  const fn = await project.resolveFunction(fnRef, opts)
  // on Slurm the iterations are one job array (sweep.ts)
  const runtime = runtimeFromFlags(runtimeFlags, fn.runtime)
  const {createSweepReporter} = await import('../views/hyper-reporter.ts')
  const reporter = await createSweepReporter({stream: process.stderr, interactive: ui.json || ui.events ? false : undefined, quiet: ui.json, events: ui.events, stdout: process.stdout})
  const interrupt = abortOnSignals((signal) => reporter.abortNotice(signal))
  let result
  try {
    result = await project.sweep(fn, {
      ...opts, ...(runtime ? {runtime} : {}), hyper, signal: interrupt.signal,
      onParent: (parent, total) => reporter.onParent(parent, total, hyper.parallel),
      onIteration: (it, best) => reporter.onIteration(it, best),
      onEvent: (e) => reporter.onEvent(e),
      ...(reporter.onChildOutput ? {onChildOutput: reporter.onChildOutput} : {}),
    })
  } catch (error) {
    reporter.dispose()
    throw error
  } finally {
    interrupt.dispose()
  }
  await reporter.finish(result.run, result.summary)
  const run = sweepRecord(result.run, result.summary)
  return {run, failure: runFailure(run)}
}
