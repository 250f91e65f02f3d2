import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {PassThrough} from 'node:stream'
import {fileURLToPath} from 'node:url'
import {createRunReporter, createWorkflowReporter, isInteractive, renderRunsWatch} from '../../../src/lib/views/reporter.ts'
import type {RunEvent} from '../../../src/lib/types.ts'
import {completedRunEvents, ESCAPE, runRecord, stripAnsi, UID} from './fixtures.ts'

/** A stream that keeps what was written; `tty` makes it look like a terminal. */
function sink(tty = false): PassThrough & {isTTY?: boolean; columns?: number; rows?: number; text: () => string} {
  const stream = new PassThrough() as PassThrough & {isTTY?: boolean; columns?: number; rows?: number; text: () => string}
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  stream.text = () => Buffer.concat(chunks).toString('utf8')
  if (tty) {
    stream.isTTY = true
    stream.columns = 100
    stream.rows = 40
  }
  return stream
}

const NO_CI = {} as NodeJS.ProcessEnv

describe('views/reporter', () => {
  it('chooses a live view only for a TTY outside CI, unless told', () => {
    expect(isInteractive({stream: sink(), env: NO_CI})).to.equal(false)
    expect(isInteractive({stream: sink(true), env: NO_CI})).to.equal(true)
    expect(isInteractive({stream: sink(true), env: {CI: 'true'}})).to.equal(false)
    expect(isInteractive({stream: sink(true), env: {CI: 'false'}})).to.equal(true)
    expect(isInteractive({stream: sink(), interactive: true, env: NO_CI})).to.equal(true)
  })

  it('prints plain lines without escape sequences to a stream that is not a TTY', async () => {
    const stream = sink()
    const reporter = await createRunReporter({stream, env: NO_CI, header: {function: 'train.ts', handler: 'train'}})
    const events = completedRunEvents()
    for (const event of events.slice(0, 3)) reporter.onEvent(event)
    reporter.onOutput('stdout', 'first li')
    reporter.onOutput('stdout', 'ne\n\u001B[31mred\u001B[0m line\nlast, no newline')
    reporter.onOutput('stderr', '10%\r50%\r100%\n')
    for (const event of events.slice(3)) reporter.onEvent(event)
    await reporter.finish(runRecord())
    const text = stream.text()
    expect(text).not.to.match(ESCAPE)
    const lines = text.trimEnd().split('\n').map((line) => line.replace(/^\d\d:\d\d:\d\d /, ''))
    expect(lines).to.include.members([
      'run 1a2b3c4d running train.ts#train',
      'progress 50% training',
      'out   first line',
      'out   red line',
      'err   100%',
      'result accuracy=0.97',
      'completed in 3.2s',
      'out   last, no newline',
      'logs: lode runs logs 1a2b3c4d',
    ])
    expect(lines.at(-1)).to.equal('logs: lode runs logs 1a2b3c4d')
  })

  it('colours plain lines when FORCE_COLOR is set, and not when NO_COLOR is', async () => {
    for (const [env, coloured] of [[{FORCE_COLOR: '1'}, true], [{NO_COLOR: '1'}, false]] as const) {
      const stream = sink()
      const reporter = await createRunReporter({stream, env, interactive: false})
      for (const event of completedRunEvents()) reporter.onEvent(event)
      await reporter.finish(runRecord())
      expect(ESCAPE.test(stream.text())).to.equal(coloured)
    }
  })

  it('with ndjson events, writes every event as one JSON line on stdout and nothing else there', async () => {
    const stream = sink()
    const stdout = sink()
    const reporter = await createRunReporter({stream, stdout, events: 'ndjson', env: NO_CI})
    const events = completedRunEvents()
    for (const event of events) reporter.onEvent(event)
    reporter.onOutput('stderr', 'warning: slow\n')
    reporter.abortNotice('SIGINT')
    await reporter.finish(runRecord())
    const lines = stdout.text().trimEnd().split('\n')
    const parsed = lines.map((line) => JSON.parse(line) as {t: string})
    expect(parsed.slice(0, events.length)).to.deep.equal(events)
    expect(parsed.at(-1)).to.include({t: 'output', run: UID, stream: 'stderr', line: 'warning: slow'})
    expect(lines).to.have.length(events.length + 1)
    expect(stream.text()).to.include('completed in 3.2s')
  })

  it('with ndjson events, sends each output line as its own event, exactly, whatever it holds', async () => {
    const stdout = sink()
    const reporter = await createRunReporter({stream: sink(), stdout, events: 'ndjson', quiet: true, env: NO_CI})
    reporter.onEvent(completedRunEvents()[0]!)
    const plain = ['one', '', 'say "hi"', 'tab\there ünïcödé', '\u202eevil']
    const slashes = ['C:\\dir\\n', 'a \\"quoted\\" \\n', 'end\\']
    for (const lines of [plain, slashes]) reporter.onOutput('stdout', lines.join('\n') + '\n')
    await reporter.finish(runRecord())
    const events = stdout.text().trimEnd().split('\n').map((line) => JSON.parse(line) as RunEvent).filter((e) => e.t === 'output')
    expect(events.map((e) => e.t === 'output' && e.line)).to.deep.equal([...plain, ...slashes])
    expect(Object.keys(events[0]!)).to.deep.equal(['t', 'ts', 'run', 'stream', 'line'])
  })

  it('writes nothing to the stream when quiet', async () => {
    const stream = sink(true)
    const reporter = await createRunReporter({stream, quiet: true, env: NO_CI})
    for (const event of completedRunEvents()) reporter.onEvent(event)
    reporter.onOutput('stdout', 'hello\n')
    await reporter.finish(runRecord())
    expect(stream.text()).to.equal('')
    // nothing shows the output: the run need not decode it for the reporter
    expect(reporter.wantsOutput).to.equal(false)
  })

  it('renders the live view on a terminal and leaves the summary behind', async () => {
    const stream = sink(true)
    const reporter = await createRunReporter({stream, env: NO_CI, header: {function: 'train.ts', handler: 'train'}})
    for (const event of completedRunEvents().slice(0, 3)) reporter.onEvent(event)
    reporter.abortNotice('SIGINT')
    for (const event of completedRunEvents().slice(3)) reporter.onEvent(event)
    await reporter.finish(runRecord())
    const text = stream.text()
    expect(text).to.match(ESCAPE)
    const screen = stripAnsi(text)
    expect(screen).to.include('train.ts#train')
    expect(screen).to.match(/✔ completed train\.ts#train run 1a2b3c4d in 3\.2s/)
    expect(screen).to.include('logs: lode runs logs 1a2b3c4d')
  })

  it('prints a workflow as plain lines with a summary that says how to resume', async () => {
    const stream = sink()
    const reporter = await createWorkflowReporter({stream, env: NO_CI})
    reporter.onStart({id: 'wf12345678', name: 'pipeline', steps: ['a', 'b']})
    reporter.onEvent({t: 'wf-state', ts: Date.now(), workflow: 'wf12345678', state: 'running'})
    reporter.onEvent({t: 'wf-step', ts: Date.now(), workflow: 'wf12345678', step: 'a', state: 'done', durationMs: 12})
    reporter.onEvent({t: 'wf-step', ts: Date.now(), workflow: 'wf12345678', step: 'b', state: 'failed', error: 'boom'})
    reporter.onEvent({t: 'wf-state', ts: Date.now(), workflow: 'wf12345678', state: 'error'})
    await reporter.finish()
    const text = stream.text()
    expect(text).not.to.match(ESCAPE)
    expect(text).to.match(/workflow wf123456 pipeline running \(2 steps\)/)
    expect(text).to.match(/step b failed: boom/)
    expect(text).to.include('resume: lode workflow run --resume wf123456')
  })

  it('renders a live workflow on a terminal, settled steps printed once', async () => {
    const stream = sink(true)
    const reporter = await createWorkflowReporter({stream, env: NO_CI})
    reporter.onStart({id: 'wf12345678', steps: ['a', 'b']})
    reporter.onEvent({t: 'wf-state', ts: Date.now(), workflow: 'wf12345678', state: 'running'})
    reporter.onEvent({t: 'wf-step', ts: Date.now(), workflow: 'wf12345678', step: 'a', state: 'done', durationMs: 12})
    reporter.onEvent({t: 'wf-step', ts: Date.now(), workflow: 'wf12345678', step: 'b', state: 'failed', error: 'boom'})
    reporter.onEvent({t: 'wf-state', ts: Date.now(), workflow: 'wf12345678', state: 'error'})
    await reporter.finish()
    const screen = stripAnsi(stream.text())
    expect(screen.match(/✔ a done 12ms/g)).to.have.length(1)
    expect(screen).to.include('step b failed: boom')
    expect(screen).to.include('resume: lode workflow run --resume wf123456')
  })

  it('prints the runs table once where no live table can run', async () => {
    const stream = sink()
    let loads = 0
    const watched = await renderRunsWatch(() => {
      loads++
      return [runRecord()]
    }, 10, {stream, env: NO_CI})
    expect(watched).to.equal(false)
    expect(loads).to.equal(1)
    expect(stream.text()).to.match(/^UID\s+NAME\s+STATE/)
    expect(stream.text()).to.match(/1a2b3c4d\s+train\s+completed/)
  })

  it('does not load ink or react unless a live view renders', () => {
    const reporter = fileURLToPath(new URL('../../../src/lib/views/reporter.ts', import.meta.url))
    const script = `
      import {registerHooks} from 'node:module'
      const seen = []
      registerHooks({resolve(specifier, context, next) { const r = next(specifier, context); seen.push(r.url); return r }})
      const m = await import(${JSON.stringify(reporter)})
      const {PassThrough} = await import('node:stream')
      const r = await m.createRunReporter({stream: new PassThrough(), interactive: false})
      r.onEvent({t: 'state', ts: Date.now(), run: 'x', state: 'running'})
      console.log(JSON.stringify(seen.filter((url) => /node_modules\\/(ink|react)\\//.test(url))))
    `
    const out = execFileSync(process.execPath, ['--input-type=module', '--disable-warning=ExperimentalWarning', '-e', script], {encoding: 'utf8'})
    expect(JSON.parse(out)).to.deep.equal([])
  })
})
