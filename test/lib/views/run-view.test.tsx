import {expect} from 'chai'
import {render} from 'ink-testing-library'
import {abortCause, applyRunRecord, initialRunModel, markAborting, reduceRun, type RunViewModel} from '../../../src/lib/views/run-model.ts'
import {RunSummary, RunView} from '../../../src/lib/views/run-view.tsx'
import {RunSummary as Summary, SUMMARY_ROWS} from '../../../src/lib/views/run-summary.tsx'
import {artifactVersion, completedRunEvents, runRecord, stripAnsi, T0, UID} from './fixtures.ts'

function modelAfter(count: number): RunViewModel {
  return completedRunEvents().slice(0, count).reduce(reduceRun, initialRunModel({function: 'train.ts', handler: 'train'}))
}

describe('views/run-view', () => {
  it('shows the header, a progress bar with percentage and message, and the log tail', () => {
    const {lastFrame, unmount} = render(<RunView model={modelAfter(4)} now={T0 + 1500} />)
    const frame = stripAnsi(lastFrame())
    expect(frame).to.include('train.ts#train')
    expect(frame).to.include('run 1a2b3c4d')
    expect(frame).to.include('running')
    expect(frame).to.include('1.5s')
    expect(frame).to.match(/█{12}░{12}\s+50% training/)
    expect(frame).to.include('│ loaded rows=100')
    expect(frame).to.include('│ epoch 1 done')
    unmount()
  })

  it('shows results and artifacts as they are logged', () => {
    const {lastFrame, rerender, unmount} = render(<RunView model={modelAfter(4)} now={T0 + 1500} />)
    expect(stripAnsi(lastFrame())).not.to.include('accuracy')
    rerender(<RunView model={modelAfter(6)} now={T0 + 2100} />)
    let frame = stripAnsi(lastFrame())
    expect(frame).to.match(/result accuracy 0\.97/)
    expect(frame).to.match(/artifact model \(model\) pending/)
    rerender(<RunView model={modelAfter(7)} now={T0 + 3100} />)
    frame = stripAnsi(lastFrame())
    expect(frame).to.match(/artifact model \(model, 1\.2 MB\) store:\/\/models\/demo\/model#0@/)
    unmount()
  })

  it('shows only the last five log lines', () => {
    let model = modelAfter(1)
    for (let i = 1; i <= 8; i++) model = reduceRun(model, {t: 'output', ts: T0 + i, run: UID, stream: 'stdout', line: `line ${i}`})
    const {lastFrame, unmount} = render(<RunView model={model} now={T0 + 10} />)
    const frame = stripAnsi(lastFrame())
    expect(frame).not.to.include('line 3')
    for (let i = 4; i <= 8; i++) expect(frame).to.include(`│ line ${i}`)
    unmount()
  })
})

describe('views/run-summary', () => {
  it('lists results as a table, artifacts with kind, size and URI, the duration and the logs hint', () => {
    const {lastFrame, unmount} = render(<RunSummary model={modelAfter(8)} />)
    const frame = stripAnsi(lastFrame())
    expect(frame).to.match(/✔ completed train\.ts#train run 1a2b3c4d in 3\.2s/)
    expect(frame).to.match(/results\n\s+accuracy\s+0\.97/)
    expect(frame).to.match(/artifacts\n\s+model\s+model\s+1\.2 MB\s+store:\/\/models\/demo\/model#0@1a2b/)
    expect(frame).to.include('logs: lode runs logs 1a2b3c4d')
    unmount()
  })

  it('lists the newest artifacts of a run that logged 100,000, and says how many more and how to list them', () => {
    let model = modelAfter(8)
    for (let i = 0; i < 100_000; i++) {
      model = reduceRun(model, {t: 'artifact', ts: T0, run: UID, key: `a${i}`, kind: 'artifact', path: `/staged/a${i}`})
      model = reduceRun(model, {t: 'ingested', ts: T0, run: UID, artifact: artifactVersion({key: `a${i}`, kind: 'artifact', size: 5, uri: `store://artifacts/demo/a${i}@1a2b`})})
    }
    const {lastFrame, unmount} = render(<Summary model={model} />)
    const frame = stripAnsi(lastFrame())
    expect(frame).to.include(`… ${100_001 - SUMMARY_ROWS} more artifacts: lode artifacts ls --producer 1a2b3c4d --all-versions --limit 100001`)
    expect(frame.match(/store:\/\/artifacts\/demo\/a\d+@/g)).to.have.length(SUMMARY_ROWS)
    expect(frame).to.include('a99999').and.not.include('a99979 ')
    unmount()
  })

  it('shows the error of a failed run', () => {
    const model = applyRunRecord(modelAfter(3), runRecord({state: 'error', ended: T0 + 1000, error: {message: 'boom: no such column'}}))
    const {lastFrame, unmount} = render(<RunSummary model={model} />)
    const frame = stripAnsi(lastFrame())
    expect(frame).to.match(/✖ error train\.ts#train run 1a2b3c4d after 1\.0s/)
    expect(frame).to.include('boom: no such column')
    unmount()
  })

  it('says a run was aborted with Ctrl-C, or by the signal that stopped it', () => {
    const aborted = (by: string) => reduceRun(markAborting(modelAfter(3), abortCause(by)), {t: 'state', ts: T0 + 2000, run: UID, state: 'aborted', error: {message: 'interrupted', signal: 'SIGTERM'}})
    const {lastFrame, unmount} = render(<RunSummary model={aborted('SIGINT')} />)
    const frame = stripAnsi(lastFrame())
    expect(frame).to.include('aborted (Ctrl-C)')
    expect(frame).to.include('interrupted')
    unmount()
    const term = render(<RunSummary model={aborted('SIGTERM')} />)
    expect(stripAnsi(term.lastFrame())).to.include('aborted (SIGTERM)')
    term.unmount()
  })

  it('says in the summary how many warnings lode recorded on the run, and where to read them', () => {
    const model = reduceRun(modelAfter(8), {t: 'warning', ts: T0 + 3300, run: UID, message: 'unknown event type "metric"'})
    const {lastFrame, unmount} = render(<RunSummary model={model} />)
    expect(stripAnsi(lastFrame())).to.include('1 warning: lode runs get 1a2b3c4d')
    unmount()
  })
})
