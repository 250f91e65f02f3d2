import {Text} from 'ink'
import {clampFraction, escapeControls, percent} from './format.ts'

export function progressBarText(fraction: number, width: number): {filled: string; empty: string} {
  const cells = Math.round(clampFraction(fraction) * width)
  return {filled: '█'.repeat(cells), empty: '░'.repeat(width - cells)}
}

/** One line: the bar, the percentage and the message, cut at the terminal's edge rather than wrapped. */
export function ProgressBar({fraction, message, width = 24}: {fraction: number; message?: string | null; width?: number}) {
  const {filled, empty} = progressBarText(fraction, width)
  return (
    <Text wrap="truncate-end">
      <Text color="cyan">{filled}</Text>
      <Text dimColor>{empty}</Text>
      {' '}{percent(fraction).padStart(4)}
      {message ? ` ${escapeControls(message)}` : ''}
    </Text>
  )
}
