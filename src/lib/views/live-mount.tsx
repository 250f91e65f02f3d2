// Mounting the live views with ink. Only the reporter imports this module, and only dynamically, so commands
// that print plain lines never load ink or react.

import {render, renderToString, useWindowSize, type Instance} from 'ink'
import type {ReactElement} from 'react'
import type {Run} from '../types.ts'
import {RunsTable} from './runs-table.tsx'
import {RunSummary, RunView} from './run-view.tsx'
import type {RunViewModel} from './run-model.ts'
import {WorkflowSummary, WorkflowView} from './workflow-view.tsx'
import type {WorkflowViewModel} from './workflow-model.ts'

export interface LiveTarget {
  stream: NodeJS.WritableStream
  stdin?: NodeJS.ReadableStream
}

export interface LiveView<M> {
  update(model: M): void
  /** Replaces the live part with the final summary, leaves it in the scrollback and unmounts. */
  finish(model: M): Promise<void>
  /** Unmounts at once (the work failed before a summary could be shown). */
  dispose(): void
}

function columnsOf(stream: NodeJS.WritableStream): number {
  const {columns} = stream as NodeJS.WritableStream & {columns?: number}
  return columns && columns > 0 ? columns : 80
}

function mount<M>(target: LiveTarget, live: (model: M) => ReactElement, final: (model: M) => ReactElement, model: M): LiveView<M> {
  const instance: Instance = render(live(model), {
    stdout: target.stream,
    stderr: target.stream,
    ...(target.stdin ? {stdin: target.stdin} : {}),
    interactive: true,
    // the run's own signal handling aborts the handler; the view must not exit the process
    exitOnCtrlC: false,
    patchConsole: false,
    // a frame is drawn whole (every row laid out, styled and compared): 10 a second is live enough, and leaves the
    // time to the run (a spinner, the clock and 100,000 artifact events would otherwise ask for 30)
    maxFps: 10,
  })
  let done = false
  return {
    update(next) {
      if (!done) instance.rerender(live(next))
    },
    async finish(next) {
      if (done) return
      done = true
      // The last live frame is drawn (its <Static> lines stay), then erased, and the summary is written as
      // plain text below: as ink's last frame, a summary as tall as the terminal would be redrawn from the top
      // of the screen, printed twice on unmount and left without its final newline.
      instance.rerender(live(next))
      await instance.waitUntilRenderFlush()
      instance.rerender(<></>)
      await instance.waitUntilRenderFlush()
      instance.clear()
      instance.unmount()
      await instance.waitUntilExit()
      target.stream.write(`${renderToString(final(next), {columns: columnsOf(target.stream)})}\n`)
    },
    dispose() {
      if (done) return
      done = true
      instance.unmount()
    },
  }
}

function LiveRunView({model}: {model: RunViewModel}) {
  const {rows} = useWindowSize()
  return <RunView model={model} rows={rows} />
}

function LiveWorkflowView({model}: {model: WorkflowViewModel}) {
  const {rows} = useWindowSize()
  return <WorkflowView model={model} rows={rows} />
}

export function mountRunView(target: LiveTarget, model: RunViewModel): LiveView<RunViewModel> {
  return mount(target, (m) => <LiveRunView model={m} />, (m) => <RunSummary model={m} />, model)
}

export function mountWorkflowView(target: LiveTarget, model: WorkflowViewModel): LiveView<WorkflowViewModel> {
  // settled steps were printed by the live view's <Static> part; the summary adds only the outcome
  return mount(target, (m) => <LiveWorkflowView model={m} />, (m) => <WorkflowSummary model={m} />, model)
}

function LiveRunsTable({load, intervalMs}: {load: () => Run[]; intervalMs: number}) {
  const {rows} = useWindowSize()
  return <RunsTable load={load} intervalMs={intervalMs} rows={rows} />
}

/** Renders the live runs table until `q`, Escape or Ctrl-C. */
export async function watchRuns(target: LiveTarget, load: () => Run[], intervalMs: number): Promise<void> {
  const instance = render(<LiveRunsTable load={load} intervalMs={intervalMs} />, {
    stdout: target.stream,
    ...(target.stdin ? {stdin: target.stdin} : {}),
    interactive: true,
    exitOnCtrlC: true,
    patchConsole: false,
  })
  await instance.waitUntilExit()
}
