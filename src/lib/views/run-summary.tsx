import {Box, Text} from 'ink'
import type {RunState} from '../types.ts'
import {escapeControls as esc, formatDuration, formatValue, functionLabel, humanBytes, shortUid, stateColor} from './format.ts'
import {abortedText, runDurationMs, type RunViewModel} from './run-model.ts'
import {Table} from './table-view.tsx'

/**
 * Rows the summary lists of results and of artifacts: the newest; the rest are counted, with the command that lists
 * them (a run may log 100,000 artifacts, and a terminal's scrollback is no place for them).
 */
export const SUMMARY_ROWS = 20

function More({count, what, command}: {count: number; what: string; command: string}) {
  return count > 0 ? <Text dimColor>{'  '}… {count} more {what}: {command}</Text> : null
}

const STATE_MARK: Record<RunState, string> = {created: '·', queued: '·', running: '·', completed: '✔', error: '✖', aborted: '■'}

/** What stays in the scrollback when a run ends: state, results, artifacts, the error, where the logs are. */
export function RunSummary({model, now}: {model: RunViewModel; now?: number}) {
  const duration = runDurationMs(model, now ?? model.ended ?? Date.now())
  const color = stateColor(model.state)
  const label = esc(functionLabel(model.function, model.handler))
  const stateText = model.state === 'aborted' ? abortedText(model.abortedBy) : model.state
  const took = duration === null ? '' : model.state === 'completed' ? `in ${formatDuration(duration)}` : `after ${formatDuration(duration)}`
  const results = model.results.slice(-SUMMARY_ROWS)
  const artifacts = model.artifacts.slice(-SUMMARY_ROWS)
  const uid = shortUid(model.uid)
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={color} bold>{STATE_MARK[model.state]} {stateText}</Text>
        {label ? <Text bold> {label}</Text> : null}
        {' '}<Text dimColor>run {shortUid(model.uid)}</Text>
        {took ? ` ${took}` : ''}
      </Text>
      {model.error && model.state !== 'completed' ? (
        <Box paddingLeft={2}><Text color="red">{esc(model.error.message, {multiline: true})}</Text></Box>
      ) : null}
      {model.results.length > 0 ? (
        <Box flexDirection="column">
          <Text bold>results</Text>
          <More count={model.results.length - results.length} what="results" command={`lode runs get ${uid}`} />
          <Table rows={results.map((entry) => [{text: esc(entry.key)}, {text: formatValue(entry.value)}])} />
        </Box>
      ) : null}
      {model.artifacts.length > 0 ? (
        <Box flexDirection="column">
          <Text bold>artifacts</Text>
          <More count={model.artifacts.length - artifacts.length} what="artifacts" command={`lode artifacts ls --producer ${uid} --all-versions --limit ${model.artifacts.length}`} />
          <Table rows={artifacts.map((entry) => [
            {text: esc(entry.key)},
            {text: entry.kind, dim: true},
            {text: entry.size === null ? '' : humanBytes(entry.size)},
            entry.pending ? {text: '(not ingested)', dim: true} : {text: esc(entry.uri ?? ''), color: 'cyan'},
          ])} />
        </Box>
      ) : null}
      {model.warningCount > 0 ? (
        <Text color="yellow">{model.warningCount} warning{model.warningCount > 1 ? 's' : ''}: lode runs get {shortUid(model.uid)}</Text>
      ) : null}
      {model.uid ? <Text dimColor>logs: lode runs logs {shortUid(model.uid)}</Text> : null}
    </Box>
  )
}
