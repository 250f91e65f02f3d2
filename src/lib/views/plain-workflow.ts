// A workflow as plain timestamped lines: one per step change, the steps' run events tagged with the step.

import {escapeControls as esc, formatClock, formatDuration, shortUid} from './format.ts'
import {paletteOf, formatRunEventLine, type PlainOptions} from './plain.ts'
import {failedSteps, type WorkflowEvent, type WorkflowViewModel} from './workflow-model.ts'
import {countSteps} from './workflow-counts.ts'
import {abortedText} from './run-model.ts'

/** One workflow event as one line, or null; `model` is the workflow's model after the event was applied. */
export function formatWorkflowEventLine(event: WorkflowEvent, model: WorkflowViewModel, options: PlainOptions = {}): string | null {
  const p = paletteOf(options)
  const line = (text: string) => `${p.dim(formatClock(event.ts))} ${text}`
  switch (event.t) {
    case 'wf-state':
      if (event.state === 'created') return null
      if (event.state === 'running') {
        const name = model.name ? ` ${model.name}` : ''
        // a workflow.ts finds its steps as it runs: no count up front
        return line(`workflow ${p.bold(shortUid(model.id))}${name} ${p.cyan('running')}${model.steps.length ? ` (${model.steps.length} step${model.steps.length === 1 ? '' : 's'})` : ''}`)
      }
      // the outcome is told once, by the summary that follows
      return null
    case 'wf-step': {
      const step = model.steps.find((candidate) => candidate.name === event.step)
      const run = event.run ? p.dim(` run ${shortUid(event.run)}`) : ''
      const took = event.durationMs === undefined ? '' : ` ${formatDuration(event.durationMs)}`
      const error = step?.error ? `: ${esc(step.error, {multiline: true})}` : ''
      switch (event.state) {
        case 'waiting': return null
        case 'running': return line(`step ${event.step} ${p.cyan('running')}${run}`)
        case 'cached': return line(`step ${event.step} ${p.blue('cached')}${run}`)
        case 'done': return line(`step ${event.step} ${p.green('done')}${took}${run}`)
        case 'failed': return line(`step ${event.step} ${p.red('failed')}${took}${run}${p.red(error)}`)
        case 'skipped': return line(`step ${event.step} ${p.dim('skipped')}${error}`)
      }
      return null
    }
    default: {
      // the step's own state changes are told by wf-step events; a cluster job's wait (its job id, Slurm's reason) is not
      if (event.t === 'state' && event.state !== 'queued') return null
      const step = model.steps.find((candidate) => candidate.name === event.step)
      if (!step) return null
      return formatRunEventLine(event, step.detail, {...options, prefix: `[${event.step}] `})
    }
  }
}

function workflowOutcome(model: WorkflowViewModel, now: number, options: PlainOptions): string {
  const p = paletteOf(options)
  const duration = model.started === null ? '' : formatDuration((model.ended ?? now) - model.started)
  const id = shortUid(model.id)
  switch (model.state) {
    case 'completed': return p.green(`workflow ${id} completed${duration ? ` in ${duration}` : ''}`)
    case 'aborted': return p.yellow(`workflow ${id} ${abortedText(model.abortedBy)}${duration ? ` after ${duration}` : ''}`)
    default: return p.red(`workflow ${id} ${model.state}${duration ? ` after ${duration}` : ''}`)
  }
}

/** The end of a workflow: outcome and step counts, each failed step's error and logs, and how to resume. */
export function formatWorkflowSummaryLines(model: WorkflowViewModel, options: PlainOptions & {now?: number} = {}): string[] {
  const p = paletteOf(options)
  const lines = [`${workflowOutcome(model, options.now ?? model.ended ?? Date.now(), options)} (${countSteps(model)})`]
  for (const step of failedSteps(model)) {
    lines.push(p.red(`  step ${step.name} failed${step.error ? `: ${esc(step.error, {multiline: true})}` : ''}`))
    if (step.run) lines.push(p.dim(`  logs: lode runs logs ${shortUid(step.run)}`))
  }
  if (model.state !== 'completed' && model.id) lines.push(`resume: lode workflow run --resume ${shortUid(model.id)}`)
  return lines
}
