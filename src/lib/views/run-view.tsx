import {Box, Text} from 'ink'
import {memo} from 'react'
import {escapeControls as esc, formatDuration, formatValue, functionLabel, humanBytes, isTerminalState, shortUid, stateColor} from './format.ts'
import {fitSections} from './fit-rows.ts'
import {ProgressBar} from './progress-bar.tsx'
import {runDurationMs, type RunArtifactEntry, type RunLogLine, type RunResultEntry, type RunViewModel} from './run-model.ts'
import {Spinner, useNow} from './spinner.tsx'

export {RunSummary} from './run-summary.tsx'

const LOG_COLOR: Partial<Record<RunLogLine['source'], string>> = {error: 'red', warn: 'yellow', stderr: 'yellow'}

function MoreLine({count, what}: {count: number; what: string}) {
  return count > 0 ? <Text dimColor wrap="truncate-end">  … {count} more {what}</Text> : null
}

// Rows are memoized by entry (the model replaces an entry when it changes) and the clock ticks in its own component:
// a render for a new event or a tick re-renders only what changed, however many artifacts the run has logged.
const ResultRow = memo(function ResultRow({entry}: {entry: RunResultEntry}) {
  return (
    <Text wrap="truncate-end">
      {'  '}<Text dimColor>result</Text> {esc(entry.key)} <Text color="green">{formatValue(entry.value)}</Text>
    </Text>
  )
})

const ArtifactRow = memo(function ArtifactRow({entry}: {entry: RunArtifactEntry}) {
  return (
    <Text wrap="truncate-end">
      {'  '}<Text dimColor>artifact</Text> {esc(entry.key)} <Text dimColor>({entry.kind}{entry.size === null ? '' : `, ${humanBytes(entry.size)}`})</Text>{' '}
      {entry.pending ? <Text dimColor>pending</Text> : <Text color="cyan">{esc(entry.uri ?? '')}</Text>}
    </Text>
  )
})

function Elapsed({model, live, fixedNow}: {model: RunViewModel; live: boolean; fixedNow: number | undefined}) {
  const now = useNow(live, 250, fixedNow)
  const elapsed = runDurationMs(model, now)
  return elapsed === null ? null : <Text dimColor> {formatDuration(elapsed)}</Text>
}

/**
 * The live view of one run: header, state with a spinner, elapsed time, progress, results, artifacts, log tail.
 * Every item takes one line; with `rows` (the terminal's height) the view stays shorter than the terminal,
 * showing the newest results, artifacts and log lines and how many it leaves out.
 */
export function RunView({model, now: fixedNow, rows}: {model: RunViewModel; now?: number; rows?: number}) {
  const live = !isTerminalState(model.state)
  const fixedLines = 2 + (model.progress ? 1 : 0)
  const available = rows === undefined ? Number.POSITIVE_INFINITY : rows - 1 - fixedLines
  const [resultsFit, artifactsFit, logsFit] = fitSections([model.results.length, model.artifacts.length, model.logs.length], available)
  const firstResult = model.results.length - (resultsFit?.shown ?? 0)
  const firstArtifact = model.artifacts.length - (artifactsFit?.shown ?? 0)
  const logs = model.logs.slice(model.logs.length - (logsFit?.shown ?? 0))
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{esc(functionLabel(model.function, model.handler) || model.name || 'run')}</Text>
        {model.uid ? <Text dimColor> run {shortUid(model.uid)}</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        {live ? <Spinner /> : <Text color={stateColor(model.state)}>●</Text>}
        <Text color={stateColor(model.state)}> {model.state}</Text>
        <Elapsed model={model} live={live} fixedNow={fixedNow} />
        {model.abortedBy && live ? <Text color="yellow"> aborting ({model.abortedBy})…</Text> : null}
      </Text>
      {model.progress ? (
        <Box paddingLeft={2}><ProgressBar fraction={model.progress.fraction} message={model.progress.message} /></Box>
      ) : null}
      <MoreLine count={resultsFit?.hidden ?? 0} what="results" />
      {model.results.slice(firstResult).map((entry, index) => <ResultRow key={`r:${firstResult + index}`} entry={entry} />)}
      <MoreLine count={artifactsFit?.hidden ?? 0} what="artifacts" />
      {model.artifacts.slice(firstArtifact).map((entry, index) => <ArtifactRow key={`a:${firstArtifact + index}`} entry={entry} />)}
      {logs.map((line, index) => (
        <Text key={index} wrap="truncate-end" color={LOG_COLOR[line.source]} dimColor={!LOG_COLOR[line.source]}>
          {'  '}│ {esc(line.text)}
        </Text>
      ))}
    </Box>
  )
}
