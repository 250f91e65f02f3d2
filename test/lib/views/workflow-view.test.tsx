import {expect} from 'chai'
import {render} from 'ink-testing-library'
import {initialWorkflowModel, reduceWorkflow, type WorkflowEvent} from '../../../src/lib/views/workflow-model.ts'
import {WorkflowSummary, WorkflowView} from '../../../src/lib/views/workflow-view.tsx'
import {stripAnsi, T0} from './fixtures.ts'

const WF = 'wf-7f3a'

function failingWorkflow(): WorkflowEvent[] {
  return [
    {t: 'wf-state', ts: T0, workflow: WF, state: 'running'},
    {t: 'wf-step', ts: T0, workflow: WF, step: 'prepare', state: 'cached', run: 'aaaa1111bbbb'},
    {t: 'wf-step', ts: T0 + 10, workflow: WF, step: 'train', state: 'running', run: 'cccc2222dddd'},
    {t: 'progress', ts: T0 + 500, run: 'cccc2222dddd', step: 'train', fraction: 0.25, message: 'epoch 1'},
    {t: 'log', ts: T0 + 600, run: 'cccc2222dddd', step: 'train', level: 'info', msg: 'loss 0.4'},
    {t: 'result', ts: T0 + 900, run: 'cccc2222dddd', step: 'train', key: 'accuracy', value: 0.91},
    {t: 'wf-step', ts: T0 + 1000, workflow: WF, step: 'train', state: 'done', run: 'cccc2222dddd', durationMs: 990},
    {t: 'wf-step', ts: T0 + 1000, workflow: WF, step: 'evaluate', state: 'running', run: 'eeee3333ffff'},
    {t: 'wf-step', ts: T0 + 1400, workflow: WF, step: 'evaluate', state: 'failed', run: 'eeee3333ffff', error: 'column "label" not found'},
    {t: 'wf-step', ts: T0 + 1400, workflow: WF, step: 'report', state: 'skipped'},
    {t: 'wf-state', ts: T0 + 1500, workflow: WF, state: 'error'},
  ]
}

function modelAfter(count: number) {
  return failingWorkflow().slice(0, count).reduce(reduceWorkflow, initialWorkflowModel(WF, ['prepare', 'train', 'evaluate', 'report']))
}

describe('views/workflow-view', () => {
  it('shows every step with its state, progress and last log line', () => {
    const {lastFrame, unmount} = render(<WorkflowView model={modelAfter(5)} now={T0 + 700} />)
    const frame = stripAnsi(lastFrame())
    expect(frame).to.match(/↺ prepare cached/)
    expect(frame).to.match(/train running 690ms run cccc2222/)
    expect(frame).to.match(/25% epoch 1/)
    expect(frame).to.include('│ loss 0.4')
    expect(frame).to.match(/· evaluate waiting/)
    expect(frame).to.match(/workflow wf-7f3a running 1\/4 steps/)
    unmount()
  })

  it('settles finished steps above the live ones', () => {
    const {lastFrame, rerender, unmount} = render(<WorkflowView model={modelAfter(5)} now={T0 + 700} />)
    rerender(<WorkflowView model={modelAfter(8)} now={T0 + 1100} />)
    const frame = stripAnsi(lastFrame())
    const prepare = frame.indexOf('prepare cached')
    const train = frame.indexOf('train done 990ms')
    const evaluate = frame.indexOf('evaluate running')
    expect(prepare).to.be.greaterThan(-1)
    expect(train).to.be.greaterThan(prepare)
    expect(evaluate).to.be.greaterThan(train)
    expect(frame).to.include('accuracy=0.91')
    expect(frame).not.to.match(/train running/)
    unmount()
  })

  it('sums up a failed workflow with the step error and the command to resume', () => {
    const model = modelAfter(11)
    const view = render(<WorkflowView model={model} />)
    const frame = stripAnsi(view.lastFrame())
    expect(frame).to.match(/✖ evaluate failed 400ms run eeee3333/)
    expect(frame).to.match(/- report skipped/)
    view.unmount()
    const summary = render(<WorkflowSummary model={model} />)
    const text = stripAnsi(summary.lastFrame())
    expect(text).to.match(/✖ workflow wf-7f3a error after 1\.5s \(1 cached, 1 done, 1 failed, 1 skipped\)/)
    expect(text).to.include('step evaluate failed: column "label" not found')
    expect(text).to.include('logs: lode runs logs eeee3333')
    expect(text).to.include('resume: lode workflow run --resume wf-7f3a')
    summary.unmount()
  })

  it('does not offer to resume a completed workflow', () => {
    const events: WorkflowEvent[] = [
      {t: 'wf-step', ts: T0, workflow: WF, step: 'only', state: 'done', durationMs: 5},
      {t: 'wf-state', ts: T0 + 10, workflow: WF, state: 'completed'},
    ]
    const model = events.reduce(reduceWorkflow, initialWorkflowModel())
    const {lastFrame, unmount} = render(<WorkflowSummary model={model} />)
    const text = stripAnsi(lastFrame())
    expect(text).to.match(/✔ workflow wf-7f3a completed in 10ms \(1 done\)/)
    expect(text).not.to.include('resume')
    unmount()
  })
})
