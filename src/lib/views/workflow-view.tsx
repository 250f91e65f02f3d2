import {Box, Static, Text} from 'ink'
import type {RunState} from '../types.ts'
import {escapeControls as esc, formatDuration, formatValue, shortUid, stateColor} from './format.ts'
import {ProgressBar} from './progress-bar.tsx'
import {Spinner, useNow} from './spinner.tsx'
import {countSteps} from './workflow-counts.ts'
import {failedSteps, isSettled, type WorkflowStepModel, type WorkflowStepState, type WorkflowViewModel} from './workflow-model.ts'
import {abortedText} from './run-model.ts'

export const STEP_MARK: Record<WorkflowStepState, string> = {
  waiting: '·', running: '›', cached: '↺', done: '✔', failed: '✖', skipped: '-',
}
export const STEP_COLOR: Record<WorkflowStepState, string> = {
  waiting: 'gray', running: 'cyan', cached: 'blue', done: 'green', failed: 'red', skipped: 'gray',
}

function SettledStep({step}: {step: WorkflowStepModel}) {
  const results = step.detail.results.map((entry) => `${esc(entry.key)}=${formatValue(entry.value, 20)}`).join(' ')
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color={STEP_COLOR[step.state]}>{STEP_MARK[step.state]} {step.name} {step.state}</Text>
        {step.durationMs === null || step.state === 'skipped' ? null : <Text dimColor> {formatDuration(step.durationMs)}</Text>}
        {step.run ? <Text dimColor> run {shortUid(step.run)}</Text> : null}
        {results ? <Text dimColor> {results}</Text> : null}
      </Text>
      {step.state === 'failed' && step.error ? <Box paddingLeft={2}><Text color="red">{esc(step.error, {multiline: true})}</Text></Box> : null}
    </Box>
  )
}

function LiveStep({step, now, detail}: {step: WorkflowStepModel; now: number; detail: boolean}) {
  if (step.state === 'waiting') {
    return <Text dimColor>{STEP_MARK.waiting} {step.name} waiting</Text>
  }
  const {progress} = step.detail
  const lastLog = step.detail.logs.at(-1)
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Spinner /> {step.name} {step.detail.state === 'queued' ? <Text color="gray">queued{step.detail.job?.reason ? ` (${esc(step.detail.job.reason)})` : ''}</Text> : <Text color="cyan">running</Text>}
        {step.started === null ? null : <Text dimColor> {formatDuration(now - step.started)}</Text>}
        {step.run ? <Text dimColor> run {shortUid(step.run)}</Text> : null}
      </Text>
      {detail && progress ? <Box paddingLeft={2}><ProgressBar fraction={progress.fraction} message={progress.message} width={16} /></Box> : null}
      {detail && lastLog ? <Box paddingLeft={2}><Text dimColor wrap="truncate-end">│ {esc(lastLog.text)}</Text></Box> : null}
    </Box>
  )
}

/**
 * The live view of a workflow: settled steps are printed once, above; running and waiting steps below. With
 * `summary`, the live part gives way to the WorkflowSummary (the same tree, so settled steps are not printed twice).
 */
export function WorkflowView({model, now: fixedNow, summary = false, rows}: {model: WorkflowViewModel; now?: number; summary?: boolean; rows?: number}) {
  const live = !summary && (model.state === 'created' || model.state === 'running')
  const now = useNow(live, 250, fixedNow)
  const byName = new Map(model.steps.map((step) => [step.name, step]))
  const settled = model.settled.flatMap((name) => byName.get(name) ?? [])
  const pending = model.steps.filter((step) => !isSettled(step.state))
  return (
    <Box flexDirection="column">
      <Static items={settled}>{(step) => <SettledStep key={step.name} step={step} />}</Static>
      {summary ? <WorkflowSummary model={model} now={now} /> : <WorkflowLiveSteps model={model} pending={pending} settledCount={settled.length} now={now} rows={rows} />}
    </Box>
  )
}

/**
 * How the pending steps fit in `available` lines: with their progress and last log line if all fit, else one
 * line a step, else the running steps and as many waiting ones as fit, the rest counted on one line.
 */
function fitPendingSteps(pending: WorkflowStepModel[], available: number): {detail: boolean; shown: WorkflowStepModel[]; hiddenWaiting: number} {
  const detailLines = pending.reduce((sum, step) => sum + (step.state === 'waiting' ? 0 : (step.detail.progress ? 1 : 0) + (step.detail.logs.length > 0 ? 1 : 0)), 0)
  if (pending.length + detailLines <= available) return {detail: true, shown: pending, hiddenWaiting: 0}
  if (pending.length <= available) return {detail: false, shown: pending, hiddenWaiting: 0}
  const running = pending.filter((step) => step.state !== 'waiting').slice(0, Math.max(1, available - 1))
  const waiting = pending.filter((step) => step.state === 'waiting')
  const shownWaiting = waiting.slice(0, Math.max(0, available - running.length - 1))
  return {detail: false, shown: [...running, ...shownWaiting], hiddenWaiting: waiting.length - shownWaiting.length}
}

function WorkflowLiveSteps({model, pending, settledCount, now, rows}: {model: WorkflowViewModel; pending: WorkflowStepModel[]; settledCount: number; now: number; rows?: number}) {
  const live = model.state === 'created' || model.state === 'running'
  // one line for the workflow's own state, one so the frame stays shorter than the terminal
  const fit = fitPendingSteps(pending, rows === undefined ? Number.POSITIVE_INFINITY : rows - 2)
  return (
    <Box flexDirection="column">
      {fit.shown.map((step) => <LiveStep key={step.name} step={step} now={now} detail={fit.detail} />)}
      {fit.hiddenWaiting > 0 ? <Text dimColor>{STEP_MARK.waiting} {fit.hiddenWaiting} more steps waiting</Text> : null}
      <Text wrap="truncate-end">
        <Text bold>workflow {shortUid(model.id)}</Text>
        {' '}<Text color={stateColor(model.state)}>{model.abortedBy && live ? `aborting (${model.abortedBy})…` : model.state}</Text>
        {' '}<Text dimColor>{settledCount}/{model.steps.length} steps</Text>
        {model.started === null ? null : <Text dimColor> {formatDuration((model.ended ?? now) - model.started)}</Text>}
      </Text>
    </Box>
  )
}

const WORKFLOW_MARK: Record<RunState, string> = {created: '·', queued: '·', running: '·', completed: '✔', error: '✖', aborted: '■'}

/** The final word on a workflow: its state, the step counts, the failed steps' errors and how to resume. */
export function WorkflowSummary({model, now}: {model: WorkflowViewModel; now?: number}) {
  const failed = failedSteps(model)
  const duration = model.started === null ? null : (model.ended ?? now ?? Date.now()) - model.started
  const unfinished = model.state !== 'completed'
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color={stateColor(model.state)}>
          {WORKFLOW_MARK[model.state]} workflow {shortUid(model.id)} {model.state === 'aborted' ? abortedText(model.abortedBy) : model.state}
        </Text>
        {duration === null ? '' : ` ${model.state === 'completed' ? 'in' : 'after'} ${formatDuration(duration)}`}
        {' '}<Text dimColor>({countSteps(model)})</Text>
      </Text>
      {failed.map((step) => (
        <Box key={step.name} flexDirection="column" paddingLeft={2}>
          <Text color="red">step {step.name} failed{step.error ? `: ${esc(step.error, {multiline: true})}` : ''}</Text>
          {step.run ? <Text dimColor>logs: lode runs logs {shortUid(step.run)}</Text> : null}
        </Box>
      ))}
      {unfinished && model.id ? <Text>resume: lode workflow run --resume {shortUid(model.id)}</Text> : null}
    </Box>
  )
}
