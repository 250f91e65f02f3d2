import {Box, Text, useApp, useInput, useStdin} from 'ink'
import {useEffect, useState} from 'react'
import type {Run} from '../types.ts'
import {stateColor} from './format.ts'
import {RUNS_TABLE_HEADER, runRowCells} from './runs-format.ts'
import {Table, type TableCell} from './table-view.tsx'

export interface RunsTableProps {
  /** supplied by the caller (it reads the store); the view only calls it */
  load: () => Run[]
  intervalMs: number
  /** a fixed clock, for tests */
  now?: number
  onQuit?: () => void
  /** the terminal's height: the table shows the newest runs that fit and counts the rest */
  rows?: number
}

/** A live table of runs for `lode runs ls --watch`: polls `load` every `intervalMs`; `q` quits. */
export function RunsTable({load, intervalMs, now: fixedNow, onQuit, rows: terminalRows}: RunsTableProps) {
  const {exit} = useApp()
  const {isRawModeSupported} = useStdin()
  const [snapshot, setSnapshot] = useState(() => ({runs: load(), at: Date.now()}))
  useEffect(() => {
    const timer = setInterval(() => setSnapshot({runs: load(), at: Date.now()}), intervalMs)
    return () => clearInterval(timer)
  }, [load, intervalMs])
  useInput((input, key) => {
    if (input === 'q' || key.escape) {
      onQuit?.()
      exit()
    }
  }, {isActive: isRawModeSupported})
  const now = fixedNow ?? snapshot.at
  const header: TableCell[] = RUNS_TABLE_HEADER.map((title) => ({text: title, bold: true}))
  // header, footer, a line for "N more" and one so the frame stays shorter than the terminal
  const fitting = terminalRows === undefined ? snapshot.runs.length : Math.max(1, terminalRows - 4)
  const shown = snapshot.runs.slice(0, fitting)
  const hidden = snapshot.runs.length - shown.length
  const rows: TableCell[][] = shown.map((run) => {
    const cells = runRowCells(run, now)
    return cells.map((text, index): TableCell => (index === 2 ? {text, color: stateColor(run.state)} : index === 0 ? {text, dim: true} : {text}))
  })
  return (
    <Box flexDirection="column">
      {snapshot.runs.length === 0 ? <Text>No runs.</Text> : <Table rows={[header, ...rows]} indent={0} truncate={terminalRows !== undefined} />}
      {hidden > 0 ? <Text dimColor>… {hidden} more</Text> : null}
      <Text dimColor>{snapshot.runs.length} runs · every {intervalMs / 1000}s · {isRawModeSupported ? 'q to quit' : 'Ctrl-C to quit'}</Text>
    </Box>
  )
}
