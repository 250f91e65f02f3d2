// `lode run` as a service: resolve, run with a live view or plain lines or ndjson events, map the outcome to an exit code.
import {EXIT, LodeError} from '../errors.ts'
import type {Project, RunOptions} from '../project/project.ts'
import type {Run} from '../types.ts'
import {abortOnSignals} from './interrupt.ts'

export interface RunUi {
  json: boolean
  events?: 'ndjson'
}

export async function runWithUi(project: Project, fnRef: string | undefined, opts: RunOptions, ui: RunUi): Promise<{run: Run; failure: LodeError | null}> {
  const fn = await project.resolveFunction(fnRef, opts)
  const {createRunReporter} = await import('../views/reporter.ts')
  const reporter = await createRunReporter({
    stream: process.stderr,
    interactive: ui.json || ui.events ? false : undefined,
    quiet: ui.json,
    events: ui.events,
    stdout: process.stdout,
    header: {function: fn.label, handler: fn.handler},
  })
  const interrupt = abortOnSignals((signal) => reporter.abortNotice(signal))
  let run: Run
  try {
    run = await project.run(fn, {
      ...opts,
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
  if (run.state === 'aborted') {
    return new LodeError('aborted', `Run ${id} (${run.name}) was aborted${run.error?.message ? `: ${run.error.message}` : ''}.`, {hint: `See what it did: lode runs logs ${id}`, details, exitCode: exitCodeOfRun(run)})
  }
  return new LodeError('run_failed', `Run ${id} (${run.name}) failed${run.error?.message ? `: ${run.error.message}` : ''}.`, {hint: `See its output: lode runs logs ${id}`, details, exitCode: exitCodeOfRun(run)})
}

export function exitCodeOfRun(run: Run): number {
  return run.state === 'completed' ? EXIT.ok : run.state === 'aborted' ? EXIT.aborted : EXIT.runFailed
}
