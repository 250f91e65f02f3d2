// The live views show text from a run with its control characters escaped: an OSC 52 clipboard write, a title
// change, a CSI, a C1 CSI (U+009B) or a bidi override from a handler is shown, not obeyed.
import {expect} from 'chai'
import {render} from 'ink-testing-library'
import {initialRunModel, reduceRun} from '../../../src/lib/views/run-model.ts'
import {RunSummary, RunView} from '../../../src/lib/views/run-view.tsx'
import {RunsTable} from '../../../src/lib/views/runs-table.tsx'
import {initialWorkflowModel, reduceWorkflow, type WorkflowEvent} from '../../../src/lib/views/workflow-model.ts'
import {WorkflowSummary, WorkflowView} from '../../../src/lib/views/workflow-view.tsx'
import type {RunEvent} from '../../../src/lib/types.ts'
import type {ReactElement} from 'react'
import {T0, UID, runRecord} from './fixtures.ts'

/** The frame a view renders, read before it is unmounted. */
function frameOf(element: ReactElement): string {
  const view = render(element)
  try {
    return view.lastFrame() ?? ''
  } finally {
    view.unmount()
  }
}

const EVIL = '\u001b]0;title\u0007\u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b31m\u202eevil'

/** What a terminal would obey: OSC, a screen clear, BEL, C1 CSI, a bidi override (ink's own colours may remain). */
function expectInert(frame: string): void {
  for (const s of ['\u001b]', '\u001b[2J', '\u0007', '\u009b', '\u202e']) expect(frame, JSON.stringify(frame)).not.to.include(s)
  expect(frame).to.include('\\x9b31m\\u202eevil')
}

function evilRun(state: 'running' | 'error'): RunEvent[] {
  return [
    {t: 'state', ts: T0, run: UID, state: 'running'},
    {t: 'progress', ts: T0 + 1, run: UID, fraction: 0.5, message: `p ${EVIL}`},
    {t: 'log', ts: T0 + 2, run: UID, level: 'info', msg: `log ${EVIL}`},
    {t: 'result', ts: T0 + 3, run: UID, key: `k${EVIL}`, value: `v ${EVIL}`},
    ...(state === 'error' ? [{t: 'state', ts: T0 + 4, run: UID, state: 'error', error: {message: `boom ${EVIL}`}} as RunEvent] : []),
  ]
}

describe('views: control characters from a run', () => {
  it('RunView and RunSummary', () => {
    const live = frameOf(<RunView model={evilRun('running').reduce(reduceRun, initialRunModel({function: 'evil.ts', handler: null}))} now={T0 + 10} />)
    expectInert(live)
    expect(live).to.include('log \\x1b]0;title\\x07')
    const summary = frameOf(<RunSummary model={evilRun('error').reduce(reduceRun, initialRunModel({function: 'evil.ts', handler: null}))} now={T0 + 10} />)
    expectInert(summary)
    expect(summary).to.include('boom \\x1b]0;title')
  })

  it('WorkflowView and WorkflowSummary', () => {
    const events: WorkflowEvent[] = [
      {t: 'wf-state', ts: T0, workflow: 'wf', state: 'running'},
      {t: 'wf-step', ts: T0, workflow: 'wf', step: 'a', state: 'running', run: 'cccc2222dddd'},
      {t: 'progress', ts: T0 + 1, run: 'cccc2222dddd', step: 'a', fraction: 0.5, message: `p ${EVIL}`},
      {t: 'log', ts: T0 + 2, run: 'cccc2222dddd', step: 'a', level: 'info', msg: `log ${EVIL}`},
    ]
    const running = events.reduce(reduceWorkflow, initialWorkflowModel('wf', ['a', 'b']))
    expectInert(frameOf(<WorkflowView model={running} now={T0 + 10} />))
    const failed = [
      {t: 'result', ts: T0 + 3, run: 'cccc2222dddd', step: 'a', key: `k${EVIL}`, value: 1},
      {t: 'wf-step', ts: T0 + 5, workflow: 'wf', step: 'a', state: 'failed', run: 'cccc2222dddd', error: `boom ${EVIL}`},
      {t: 'wf-state', ts: T0 + 6, workflow: 'wf', state: 'error'},
    ] as WorkflowEvent[]
    const model = failed.reduce(reduceWorkflow, running)
    expectInert(frameOf(<WorkflowView model={model} />))
    expectInert(frameOf(<WorkflowSummary model={model} />))
  })

  it('RunsTable', () => {
    const run = runRecord({name: `n${EVIL}`, results: {[`k${EVIL}`]: `v${EVIL}`}, labels: {l: EVIL}})
    const table = frameOf(<RunsTable load={() => [run]} intervalMs={60_000} now={T0 + 10} />)
    for (const s of ['\u001b]', '\u001b[2J', '\u0007', '\u009b', '\u202e']) expect(table).not.to.include(s)
    expect(table).to.include('\\x1b]')
  })
})
