// `lode workflow run` as a service: progress on stderr (or ndjson events on stdout), Ctrl-C aborts the running steps,
// the outcome mapped to an exit code (1 when a step failed, 130 when interrupted).
import {EXIT, LodeError} from '../errors.ts'
import {abortOnSignals} from '../executor/interrupt.ts'
import type {Project} from '../project/project.ts'
import {explainWorkflow, formatExplanation, type WorkflowExplanation} from './explain.ts'
import {runWorkflow, type WorkflowRunRequest} from './run-workflow.ts'
import {formatSummary, type WorkflowSummary} from './summary.ts'

export interface WorkflowUi {
  json: boolean
  events?: 'ndjson'
  /** human output on stdout (silent under --json) */
  out: (text: string) => void
}

export async function runWorkflowWithUi(project: Project, req: WorkflowRunRequest, ui: WorkflowUi): Promise<{summary: WorkflowSummary; failure: LodeError | null}> {
  const {createWorkflowReporter} = await import('../views/reporter.ts')
  const reporter = await createWorkflowReporter({
    stream: process.stderr, interactive: ui.json || ui.events ? false : undefined, quiet: ui.json, events: ui.events, stdout: process.stdout,
  })
  const interrupt = abortOnSignals((signal) => reporter.abortNotice(signal))
  let summary: WorkflowSummary
  try {
    summary = await runWorkflow(project, {...req, signal: interrupt.signal, onEvent: (e) => reporter.onEvent(e), onStart: (w) => reporter.onStart(w)})
  } catch (error) {
    reporter.dispose()
    throw error
  } finally {
    interrupt.dispose()
  }
  await reporter.finish({state: summary.state})
  if (!ui.events) ui.out(formatSummary(summary))
  return {summary, failure: workflowFailure(summary)}
}

export async function explainWithUi(project: Project, req: WorkflowRunRequest, ui: WorkflowUi): Promise<WorkflowExplanation> {
  const explanation = await explainWorkflow(project, req)
  ui.out(formatExplanation(explanation))
  return explanation
}

/** A workflow that did not complete, as an error for scripts, with the summary in details. */
export function workflowFailure(w: WorkflowSummary): LodeError | null {
  const exitCode = exitCodeOfWorkflow(w)
  if (exitCode === EXIT.ok) return null
  const failed = w.steps.filter((s) => s.state === 'failed' || s.state === 'aborted').map((s) => s.name)
  const id = w.id.slice(0, 8)
  const steps = failed.length ? ` (step${failed.length > 1 ? 's' : ''} ${failed.join(', ')})` : ''
  return new LodeError(exitCode === EXIT.aborted ? 'aborted' : 'run_failed', `Workflow ${id} (${w.name}) ${exitCode === EXIT.aborted ? 'was aborted' : 'failed'}${steps}${w.error ? `: ${w.error}` : ''}.`, {
    hint: `Fix what failed, then: lode workflow run --resume ${id}`, details: {workflow: w as unknown as Record<string, unknown>}, exitCode,
  })
}

export function exitCodeOfWorkflow(w: {state: string}): number {
  return w.state === 'completed' ? EXIT.ok : w.state === 'aborted' ? EXIT.aborted : EXIT.runFailed
}
