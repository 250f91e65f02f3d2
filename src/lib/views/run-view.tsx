import {Box, Text} from 'ink'
import {escapeControls as esc, formatDuration, formatValue, functionLabel, humanBytes, isTerminalState, shortUid, stateColor} from './format.ts'
import {fitSections} from './fit-rows.ts'
import {ProgressBar} from './progress-bar.tsx'
import {runDurationMs, type RunLogLine, type RunViewModel} from './run-model.ts'
import {Spinner, useNow} from './spinner.tsx'

export {RunSummary} from './run-summary.tsx'

const LOG_COLOR: Partial<Record<RunLogLine['source'], string>> = {error: 'red', warn: 'yellow', stderr: 'yellow'}

function MoreLine({count, what}: {count: number; what: string}) {
  return count > 0 ? <Text dimColor wrap="truncate-end">  … {count} more {what}</Text> : null
}

/**
 * The live view of one run: header, state with a spinner, elapsed time, progress, results, artifacts, log tail.
 * Every item takes one line; with `rows` (the terminal's height) the view stays shorter than the terminal,
 * showing the newest results, artifacts and log lines and how many it leaves out.
 */
export function RunView({model, now: fixedNow, rows}: {model: RunViewModel; now?: number; rows?: number}) {
  const live = !isTerminalState(model.state)
  const now = useNow(live, 250, fixedNow)
  const elapsed = runDurationMs(model, now)
  const fixedLines = 2 + (model.progress ? 1 : 0)
  const available = rows === undefined ? Number.POSITIVE_INFINITY : rows - 1 - fixedLines
  const [resultsFit, artifactsFit, logsFit] = fitSections([model.results.length, model.artifacts.length, model.logs.length], available)
  const results = model.results.slice(model.results.length - (resultsFit?.shown ?? 0))
  const artifacts = model.artifacts.slice(model.artifacts.length - (artifactsFit?.shown ?? 0))
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
        {elapsed === null ? null : <Text dimColor> {formatDuration(elapsed)}</Text>}
        {model.abortedBy && live ? <Text color="yellow"> aborting ({model.abortedBy})…</Text> : null}
      </Text>
      {model.progress ? (
        <Box paddingLeft={2}><ProgressBar fraction={model.progress.fraction} message={model.progress.message} /></Box>
      ) : null}
      <MoreLine count={resultsFit?.hidden ?? 0} what="results" />
      {results.map((entry) => (
        <Text key={`r:${entry.key}`} wrap="truncate-end">
          {'  '}<Text dimColor>result</Text> {esc(entry.key)} <Text color="green">{formatValue(entry.value)}</Text>
        </Text>
      ))}
      <MoreLine count={artifactsFit?.hidden ?? 0} what="artifacts" />
      {artifacts.map((entry, index) => (
        <Text key={`a:${index}`} wrap="truncate-end">
          {'  '}<Text dimColor>artifact</Text> {esc(entry.key)} <Text dimColor>({entry.kind}{entry.size === null ? '' : `, ${humanBytes(entry.size)}`})</Text>{' '}
          {entry.pending ? <Text dimColor>pending</Text> : <Text color="cyan">{esc(entry.uri ?? '')}</Text>}
        </Text>
      ))}
      {logs.map((line, index) => (
        <Text key={index} wrap="truncate-end" color={LOG_COLOR[line.source]} dimColor={!LOG_COLOR[line.source]}>
          {'  '}│ {esc(line.text)}
        </Text>
      ))}
    </Box>
  )
}
