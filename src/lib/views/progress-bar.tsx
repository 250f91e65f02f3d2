import {Box, Text} from 'ink'
import {clampFraction, percent} from './format.ts'

export function progressBarText(fraction: number, width: number): {filled: string; empty: string} {
  const cells = Math.round(clampFraction(fraction) * width)
  return {filled: '█'.repeat(cells), empty: '░'.repeat(width - cells)}
}

export function ProgressBar({fraction, message, width = 24}: {fraction: number; message?: string | null; width?: number}) {
  const {filled, empty} = progressBarText(fraction, width)
  return (
    <Box gap={1}>
      <Text>
        <Text color="cyan">{filled}</Text>
        <Text dimColor>{empty}</Text>
      </Text>
      <Text>{percent(fraction).padStart(4)}</Text>
      {message ? <Text wrap="truncate-end">{message}</Text> : null}
    </Box>
  )
}
