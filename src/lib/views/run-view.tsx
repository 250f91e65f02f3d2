import {Box, Text} from 'ink'
import {formatDuration, formatValue, functionLabel, humanBytes, isTerminalState, shortUid, stateColor} from './format.ts'
import {ProgressBar} from './progress-bar.tsx'
import {runDurationMs, type RunLogLine, type RunViewModel} from './run-model.ts'
import {Spinner, useNow} from './spinner.tsx'

export {RunSummary} from './run-summary.tsx'

const LOG_COLOR: Partial<Record<RunLogLine['source'], string>> = {error: 'red', warn: 'yellow', stderr: 'yellow'}

/** The live view of one run: header, state with a spinner, elapsed time, progress, results, artifacts, log tail. */
export function RunView({model, now: fixedNow}: {model: RunViewModel; now?: number}) {
  const live = !isTerminalState(model.state)
  const now = useNow(live, 250, fixedNow)
  const elapsed = runDurationMs(model, now)
  return (
    <Box flexDirection="column">
      <Box gap={1}>
        <Text bold>{functionLabel(model.function, model.handler) || model.name || 'run'}</Text>
        {model.uid ? <Text dimColor>run {shortUid(model.uid)}</Text> : null}
      </Box>
      <Box gap={1}>
        {live ? <Spinner /> : <Text color={stateColor(model.state)}>●</Text>}
        <Text color={stateColor(model.state)}>{model.state}</Text>
        {elapsed === null ? null : <Text dimColor>{formatDuration(elapsed)}</Text>}
        {model.aborting && live ? <Text color="yellow">aborting (Ctrl-C)…</Text> : null}
      </Box>
      {model.progress ? (
        <Box paddingLeft={2}><ProgressBar fraction={model.progress.fraction} message={model.progress.message} /></Box>
      ) : null}
      {model.results.map((entry) => (
        <Box key={`r:${entry.key}`} paddingLeft={2} gap={1}>
          <Text dimColor>result</Text>
          <Text>{entry.key}</Text>
          <Text color="green">{formatValue(entry.value)}</Text>
        </Box>
      ))}
      {model.artifacts.map((entry, index) => (
        <Box key={`a:${index}`} paddingLeft={2} gap={1}>
          <Text dimColor>artifact</Text>
          <Text>{entry.key}</Text>
          <Text dimColor>({entry.kind}{entry.size === null ? '' : `, ${humanBytes(entry.size)}`})</Text>
          {entry.pending ? <Text dimColor>pending</Text> : <Text color="cyan" wrap="truncate-middle">{entry.uri}</Text>}
        </Box>
      ))}
      {model.logs.length > 0 ? (
        <Box flexDirection="column" paddingLeft={2}>
          {model.logs.map((line, index) => (
            <Text key={index} wrap="truncate-end" color={LOG_COLOR[line.source]} dimColor={!LOG_COLOR[line.source]}>
              │ {line.text}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  )
}
