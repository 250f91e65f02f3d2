// `lode runs attach` as a service: the run's events and output shown as `lode run` shows them, then its outcome.
import type {LodeError} from '../errors.ts'
import {abortOnSignals} from '../executor/interrupt.ts'
import {runFailure} from '../executor/run-command.ts'
import type {Store} from '../store/store.ts'
import type {Run} from '../types.ts'
import {attachRun} from './attach.ts'

export async function attachWithUi(store: Store, ref: string, ui: {json: boolean}): Promise<{run: Run; failure: LodeError | null}> {
  const before = store.runs.resolve(ref)
  const {createRunReporter} = await import('../views/reporter.ts')
  const reporter = await createRunReporter({
    stream: process.stderr, interactive: ui.json ? false : undefined, quiet: ui.json, stdout: process.stdout,
    header: {function: before.function, handler: before.handler},
  })
  const interrupt = abortOnSignals((signal) => reporter.abortNotice(signal))
  let run: Run
  try {
    run = await attachRun(store, ref, {
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
