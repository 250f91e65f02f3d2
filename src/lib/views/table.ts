// Column layout for plain tables: cells may carry colour, widths are measured without it.

import {stripColor} from './color.ts'

export type Align = 'left' | 'right'

export interface TableOptions {
  /** gap between columns */
  gap?: number
  align?: Align[]
  /** prefix for every line */
  indent?: string
}

/** Display width of a cell: code points, not UTF-16 units, and no colour sequences. */
export function cellWidth(text: string): number {
  return [...stripColor(text)].length
}

export function columnWidths(rows: string[][]): number[] {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cellWidth(cell))
    })
  }
  return widths
}

export function padCell(text: string, width: number, align: Align = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - cellWidth(text)))
  return align === 'right' ? fill + text : text + fill
}

/** Lays rows (the header first, if any) out in columns; trailing spaces are trimmed from each line. */
export function formatTable(rows: string[][], options: TableOptions = {}): string[] {
  const gap = ' '.repeat(options.gap ?? 2)
  const widths = columnWidths(rows)
  return rows.map((row) => {
    const cells = row.map((cell, index) => padCell(cell, widths[index] ?? 0, options.align?.[index]))
    return `${options.indent ?? ''}${cells.join(gap)}`.trimEnd()
  })
}
