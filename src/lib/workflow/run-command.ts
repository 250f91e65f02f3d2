// `lode workflow run` as a service: progress on stderr (or ndjson events on stdout), Ctrl-C aborts the running steps,
// the outcome mapped to an exit code (1 when a step failed, 130 when interrupted).
import {EXIT} from '../errors.ts'
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

export async function runWorkflowWithUi(project: Project, req: WorkflowRunRequest, ui: WorkflowUi): Promise<{summary: WorkflowSummary; exitCode: number}> {
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
  return {summary, exitCode: exitCodeOfWorkflow(summary)}
}

export async function explainWithUi(project: Project, req: WorkflowRunRequest, ui: WorkflowUi): Promise<WorkflowExplanation> {
  const explanation = await explainWorkflow(project, req)
  ui.out(formatExplanation(explanation))
  return explanation
}

export function exitCodeOfWorkflow(w: {state: string}): number {
  return w.state === 'completed' ? EXIT.ok : w.state === 'aborted' ? EXIT.aborted : EXIT.runFailed
}
