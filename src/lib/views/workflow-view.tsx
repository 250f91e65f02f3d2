import {Box, Static, Text} from 'ink'
import type {RunState} from '../types.ts'
import {formatDuration, formatValue, shortUid, stateColor} from './format.ts'
import {ProgressBar} from './progress-bar.tsx'
import {Spinner, useNow} from './spinner.tsx'
import {countSteps} from './workflow-counts.ts'
import {failedSteps, isSettled, type WorkflowStepModel, type WorkflowStepState, type WorkflowViewModel} from './workflow-model.ts'

export const STEP_MARK: Record<WorkflowStepState, string> = {
  waiting: '·', running: '›', cached: '↺', done: '✔', failed: '✖', skipped: '-',
}
export const STEP_COLOR: Record<WorkflowStepState, string> = {
  waiting: 'gray', running: 'cyan', cached: 'blue', done: 'green', failed: 'red', skipped: 'gray',
}

function SettledStep({step}: {step: WorkflowStepModel}) {
  const results = step.detail.results.map((entry) => `${entry.key}=${formatValue(entry.value, 20)}`).join(' ')
  return (
    <Box flexDirection="column">
      <Box gap={1}>
        <Text color={STEP_COLOR[step.state]}>{STEP_MARK[step.state]} {step.name}</Text>
        <Text color={STEP_COLOR[step.state]}>{step.state}</Text>
        {step.durationMs === null || step.state === 'skipped' ? null : <Text dimColor>{formatDuration(step.durationMs)}</Text>}
        {step.run ? <Text dimColor>run {shortUid(step.run)}</Text> : null}
        {results ? <Text dimColor wrap="truncate-end">{results}</Text> : null}
      </Box>
      {step.state === 'failed' && step.error ? <Box paddingLeft={2}><Text color="red">{step.error}</Text></Box> : null}
    </Box>
  )
}

function LiveStep({step, now}: {step: WorkflowStepModel; now: number}) {
  if (step.state === 'waiting') {
    return <Text dimColor>{STEP_MARK.waiting} {step.name} waiting</Text>
  }
  const {progress} = step.detail
  const lastLog = step.detail.logs.at(-1)
  return (
    <Box flexDirection="column">
      <Box gap={1}>
        <Spinner />
        <Text>{step.name}</Text>
        <Text color="cyan">running</Text>
        {step.started === null ? null : <Text dimColor>{formatDuration(now - step.started)}</Text>}
        {step.run ? <Text dimColor>run {shortUid(step.run)}</Text> : null}
      </Box>
      {progress ? <Box paddingLeft={2}><ProgressBar fraction={progress.fraction} message={progress.message} width={16} /></Box> : null}
      {lastLog ? <Box paddingLeft={2}><Text dimColor wrap="truncate-end">│ {lastLog.text}</Text></Box> : null}
    </Box>
  )
}

/**
 * The live view of a workflow: settled steps are printed once, above; running and waiting steps below. With
 * `summary`, the live part gives way to the WorkflowSummary (the same tree, so settled steps are not printed twice).
 */
export function WorkflowView({model, now: fixedNow, summary = false}: {model: WorkflowViewModel; now?: number; summary?: boolean}) {
  const live = !summary && (model.state === 'created' || model.state === 'running')
  const now = useNow(live, 250, fixedNow)
  const byName = new Map(model.steps.map((step) => [step.name, step]))
  const settled = model.settled.flatMap((name) => byName.get(name) ?? [])
  const pending = model.steps.filter((step) => !isSettled(step.state))
  return (
    <Box flexDirection="column">
      <Static items={settled}>{(step) => <SettledStep key={step.name} step={step} />}</Static>
      {summary ? <WorkflowSummary model={model} now={now} /> : <WorkflowLiveSteps model={model} pending={pending} settledCount={settled.length} now={now} />}
    </Box>
  )
}

function WorkflowLiveSteps({model, pending, settledCount, now}: {model: WorkflowViewModel; pending: WorkflowStepModel[]; settledCount: number; now: number}) {
  const live = model.state === 'created' || model.state === 'running'
  return (
    <Box flexDirection="column">
      {pending.map((step) => <LiveStep key={step.name} step={step} now={now} />)}
      <Box gap={1}>
        <Text bold>workflow {shortUid(model.id)}</Text>
        <Text color={stateColor(model.state)}>{model.aborting && live ? 'aborting (Ctrl-C)…' : model.state}</Text>
        <Text dimColor>{settledCount}/{model.steps.length} steps</Text>
        {model.started === null ? null : <Text dimColor>{formatDuration((model.ended ?? now) - model.started)}</Text>}
      </Box>
    </Box>
  )
}

const WORKFLOW_MARK: Record<RunState, string> = {created: '·', running: '·', completed: '✔', error: '✖', aborted: '■'}

/** The final word on a workflow: its state, the step counts, the failed steps' errors and how to resume. */
export function WorkflowSummary({model, now}: {model: WorkflowViewModel; now?: number}) {
  const failed = failedSteps(model)
  const duration = model.started === null ? null : (model.ended ?? now ?? Date.now()) - model.started
  const unfinished = model.state !== 'completed'
  return (
    <Box flexDirection="column">
      <Box gap={1}>
        <Text bold color={stateColor(model.state)}>
          {WORKFLOW_MARK[model.state]} workflow {shortUid(model.id)} {model.state === 'aborted' ? 'aborted (Ctrl-C)' : model.state}
        </Text>
        {duration === null ? null : <Text>{model.state === 'completed' ? 'in' : 'after'} {formatDuration(duration)}</Text>}
        <Text dimColor>({countSteps(model)})</Text>
      </Box>
      {failed.map((step) => (
        <Box key={step.name} flexDirection="column" paddingLeft={2}>
          <Text color="red">step {step.name} failed{step.error ? `: ${step.error}` : ''}</Text>
          {step.run ? <Text dimColor>logs: lode runs logs {shortUid(step.run)}</Text> : null}
        </Box>
      ))}
      {unfinished && model.id ? <Text>resume: lode workflow run --resume {shortUid(model.id)}</Text> : null}
    </Box>
  )
}
