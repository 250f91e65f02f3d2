import {Box, Text} from 'ink'
import {columnWidths} from './table.ts'

export interface TableCell {
  text: string
  color?: string
  dim?: boolean
  bold?: boolean
}

/**
 * Rows of cells laid out in columns; the last column takes whatever width is left and wraps, or with
 * `truncate` every row keeps to one line (a live view must know its height).
 */
export function Table({rows, indent = 2, gap = 2, truncate = false}: {rows: TableCell[][]; indent?: number; gap?: number; truncate?: boolean}) {
  const widths = columnWidths(rows.map((row) => row.map((cell) => cell.text)))
  return (
    <Box flexDirection="column" paddingLeft={indent}>
      {rows.map((row, rowIndex) => (
        <Box key={rowIndex} overflowX={truncate ? 'hidden' : undefined}>
          {row.map((cell, index) => {
            const text = <Text color={cell.color} dimColor={cell.dim} bold={cell.bold} wrap={truncate ? 'truncate-end' : undefined}>{cell.text}</Text>
            if (index === row.length - 1) return <Box key={index}>{text}</Box>
            return <Box key={index} width={(widths[index] ?? 0) + gap} flexShrink={0}>{text}</Box>
          })}
        </Box>
      ))}
    </Box>
  )
}
