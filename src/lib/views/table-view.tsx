import {Box, Text} from 'ink'
import {columnWidths} from './table.ts'

export interface TableCell {
  text: string
  color?: string
  dim?: boolean
  bold?: boolean
}

/** Rows of cells laid out in columns; the last column takes whatever width is left and wraps. */
export function Table({rows, indent = 2, gap = 2}: {rows: TableCell[][]; indent?: number; gap?: number}) {
  const widths = columnWidths(rows.map((row) => row.map((cell) => cell.text)))
  return (
    <Box flexDirection="column" paddingLeft={indent}>
      {rows.map((row, rowIndex) => (
        <Box key={rowIndex}>
          {row.map((cell, index) => {
            const text = <Text color={cell.color} dimColor={cell.dim} bold={cell.bold}>{cell.text}</Text>
            if (index === row.length - 1) return <Box key={index}>{text}</Box>
            return <Box key={index} width={(widths[index] ?? 0) + gap} flexShrink={0}>{text}</Box>
          })}
        </Box>
      ))}
    </Box>
  )
}
