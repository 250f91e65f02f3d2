// The live view of a sweep: its iterations as a table filling in as they end, the best so far marked, and the counts.
import {render, Text, Box, type Instance} from 'ink'
import type {Palette} from './color.ts'
import {sweepCounts, sweepTable, type SweepViewModel} from './hyper-lines.ts'

function SweepView({model, p, rows}: {model: SweepViewModel; p: Palette; rows: number}) {
  const head = model.uid ? `sweep ${model.uid.slice(0, 8)} ${model.name ?? ''}` : 'sweep starting'
  return (
    <Box flexDirection="column">
      <Text>{head}{model.aborting ? `  aborting (${model.aborting})` : ''}</Text>
      <Text>{sweepTable(model, p, {maxRows: Math.max(3, rows - 4)}).join('\n')}</Text>
      <Text dimColor>{sweepCounts(model)}</Text>
    </Box>
  )
}

export interface SweepLive {
  update(model: SweepViewModel): void
  finish(): Promise<void>
}

export function mountSweepView(stream: NodeJS.WritableStream, model: SweepViewModel, p: Palette): SweepLive {
  const rows = () => Math.max(8, ((stream as NodeJS.WritableStream & {rows?: number}).rows ?? 24) - 2)
  const instance: Instance = render(<SweepView model={model} p={p} rows={rows()} />, {stdout: stream, stderr: stream, exitOnCtrlC: false, patchConsole: false, maxFps: 10})
  let done = false
  return {
    update(next) {
      if (!done) instance.rerender(<SweepView model={next} p={p} rows={rows()} />)
    },
    async finish() {
      if (done) return
      done = true
      await instance.waitUntilRenderFlush()
      instance.unmount()
      await instance.waitUntilExit()
    },
  }
}
