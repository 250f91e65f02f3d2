import {expect} from 'chai'
import type {RunEvent} from '../../../src/lib/types.ts'
import {palette, shouldColor} from '../../../src/lib/views/color.ts'
import {formatRunEventLine, formatRunSummaryLines} from '../../../src/lib/views/plain.ts'
import {formatWorkflowEventLine, formatWorkflowSummaryLines} from '../../../src/lib/views/plain-workflow.ts'
import {initialRunModel, reduceRun} from '../../../src/lib/views/run-model.ts'
import {initialWorkflowModel, reduceWorkflow, type WorkflowEvent} from '../../../src/lib/views/workflow-model.ts'
import {completedRunEvents, ESCAPE, T0, UID} from './fixtures.ts'

function plainLines(events: RunEvent[], color: boolean): string[] {
  let model = initialRunModel({function: 'train.ts', handler: 'train'})
  const lines: string[] = []
  for (const event of events) {
    model = reduceRun(model, event)
    const line = formatRunEventLine(event, model, {color})
    if (line !== null) lines.push(line)
  }
  return lines
}

describe('views/plain', () => {
  it('prints each event as one timestamped line', () => {
    expect(plainLines(completedRunEvents(), false)).to.deep.equal([
      '12:03:04 run 1a2b3c4d running train.ts#train',
      '12:03:04 info  loaded rows=100',
      '12:03:05 progress 50% training',
      '12:03:05 out   epoch 1 done',
      '12:03:06 result accuracy=0.97',
      '12:03:06 artifact model (model, pending)',
      `12:03:07 artifact model (model, 1.2 MB) store://models/demo/model#0@${UID}`,
      '12:03:07 completed in 3.2s',
    ])
  })

  it('says how a failed or aborted run ended', () => {
    const start: RunEvent = {t: 'state', ts: T0, run: UID, state: 'running'}
    expect(plainLines([start, {t: 'state', ts: T0 + 1000, run: UID, state: 'error', error: {message: 'boom'}}], false).at(-1))
      .to.equal('12:03:05 error after 1.0s: boom')
    // what stopped it is known only to the reporter that saw the signal (abortNotice)
    expect(plainLines([start, {t: 'state', ts: T0 + 2000, run: UID, state: 'aborted'}], false).at(-1))
      .to.equal('12:03:06 aborted after 2.0s')
  })

  it('colours only when asked', () => {
    const plain = plainLines(completedRunEvents(), false).join('\n')
    const coloured = plainLines(completedRunEvents(), true).join('\n')
    expect(plain).not.to.match(ESCAPE)
    expect(coloured).to.match(ESCAPE)
    expect(coloured).to.include('\u001B[32mcompleted in 3.2s\u001B[39m')
  })

  it('decides colour from NO_COLOR, FORCE_COLOR and whether the stream is a TTY', () => {
    const tty = {isTTY: true}
    const pipe = {isTTY: false}
    expect(shouldColor(pipe, {})).to.equal(false)
    expect(shouldColor(tty, {})).to.equal(true)
    expect(shouldColor(tty, {TERM: 'dumb'})).to.equal(false)
    expect(shouldColor(tty, {NO_COLOR: '1'})).to.equal(false)
    expect(shouldColor(tty, {NO_COLOR: ''})).to.equal(true)
    expect(shouldColor(pipe, {FORCE_COLOR: '1'})).to.equal(true)
    expect(shouldColor(pipe, {FORCE_COLOR: ''})).to.equal(true)
    expect(shouldColor(tty, {FORCE_COLOR: '0'})).to.equal(false)
    expect(shouldColor(pipe, {FORCE_COLOR: '1', NO_COLOR: '1'})).to.equal(true)
    expect(palette(false).red('x')).to.equal('x')
    expect(palette(true).red('x')).to.equal('\u001B[31mx\u001B[39m')
  })

  it('sums up a run: results and artifacts as tables, and where the logs are', () => {
    const model = completedRunEvents().reduce(reduceRun, initialRunModel({function: 'train.ts', handler: 'train'}))
    expect(formatRunSummaryLines(model)).to.deep.equal([
      'run 1a2b3c4d train.ts#train completed in 3.2s',
      'results',
      '  accuracy  0.97',
      'artifacts',
      `  model  model  1.2 MB  store://models/demo/model#0@${UID}`,
      'logs: lode runs logs 1a2b3c4d',
    ])
  })

  it('prints a workflow step by step, its runs\' events tagged with the step, and how to resume', () => {
    const events: WorkflowEvent[] = [
      {t: 'wf-state', ts: T0, workflow: 'wf12345678', state: 'running'},
      {t: 'wf-step', ts: T0, workflow: 'wf12345678', step: 'prep', state: 'cached', run: 'aaaa1111bbbb'},
      {t: 'wf-step', ts: T0 + 1000, workflow: 'wf12345678', step: 'train', state: 'running', run: 'cccc2222dddd'},
      {t: 'state', ts: T0 + 1000, run: 'cccc2222dddd', step: 'train', state: 'running'},
      {t: 'progress', ts: T0 + 1500, run: 'cccc2222dddd', step: 'train', fraction: 0.5, message: 'fitting'},
      {t: 'wf-step', ts: T0 + 2000, workflow: 'wf12345678', step: 'train', state: 'failed', run: 'cccc2222dddd', durationMs: 1000, error: {message: 'out of memory'}},
      {t: 'wf-state', ts: T0 + 2000, workflow: 'wf12345678', state: 'error'},
    ]
    let model = initialWorkflowModel('wf12345678', ['prep', 'train'], 'pipeline')
    const lines: string[] = []
    for (const event of events) {
      model = reduceWorkflow(model, event)
      const line = formatWorkflowEventLine(event, model, {color: false})
      if (line !== null) lines.push(line)
    }
    expect(lines).to.deep.equal([
      '12:03:04 workflow wf123456 pipeline running (2 steps)',
      '12:03:04 step prep cached run aaaa1111',
      '12:03:05 step train running run cccc2222',
      '12:03:05 [train] progress 50% fitting',
      '12:03:06 step train failed 1.0s run cccc2222: out of memory',
    ])
    expect(formatWorkflowSummaryLines(model)).to.deep.equal([
      'workflow wf123456 error after 2.0s (1 cached, 1 failed)',
      '  step train failed: out of memory',
      '  logs: lode runs logs cccc2222',
      'resume: lode workflow run --resume wf123456',
    ])
  })
})
