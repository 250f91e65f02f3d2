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
}

/** A live table of runs for `lode runs ls --watch`: polls `load` every `intervalMs`; `q` quits. */
export function RunsTable({load, intervalMs, now: fixedNow, onQuit}: RunsTableProps) {
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
  const rows: TableCell[][] = snapshot.runs.map((run) => {
    const cells = runRowCells(run, now)
    return cells.map((text, index): TableCell => (index === 2 ? {text, color: stateColor(run.state)} : index === 0 ? {text, dim: true} : {text}))
  })
  return (
    <Box flexDirection="column">
      {snapshot.runs.length === 0 ? <Text>No runs.</Text> : <Table rows={[header, ...rows]} indent={0} />}
      <Text dimColor>{snapshot.runs.length} runs · every {intervalMs / 1000}s · {isRawModeSupported ? 'q to quit' : 'Ctrl-C to quit'}</Text>
    </Box>
  )
}
