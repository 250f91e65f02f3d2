import {expect} from 'chai'
import {render} from 'ink-testing-library'
import type {Run} from '../../../src/lib/types.ts'
import {formatRunsTable} from '../../../src/lib/views/runs-format.ts'
import {RunsTable} from '../../../src/lib/views/runs-table.tsx'
import {waitUntil} from '../../helpers/project.ts'
import {ESCAPE, runRecord, stripAnsi, T0} from './fixtures.ts'

const NOW = T0 + 5 * 60_000

function runs(): Run[] {
  return [
    runRecord({uid: 'f00dfeed0001', name: 'train', state: 'running', started: T0 + 60_000, ended: null, labels: {team: 'ml', env: 'dev'}}),
    runRecord({uid: 'beefcafe0002', name: 'prepare-data', state: 'error', started: T0, ended: T0 + 3200}),
  ]
}

const tick = () => new Promise((resolve) => setImmediate(resolve))


describe('views/runs-table', () => {
  it('formats runs as a plain table without colour by default', () => {
    const text = formatRunsTable(runs(), {now: NOW})
    expect(text).not.to.match(ESCAPE)
    const lines = text.split('\n')
    expect(lines[0]).to.match(/^UID\s+NAME\s+STATE\s+STARTED\s+DURATION\s+RESULTS\s+LABELS$/)
    expect(lines[1]).to.match(/^f00dfeed\s+train\s+running\s+4m ago\s+4m00s\s+accuracy=0\.97\s+team=ml,env=dev$/)
    expect(lines[2]).to.match(/^beefcafe\s+prepare-data\s+error\s+5m ago\s+3\.2s\s+accuracy=0\.97$/)
    // columns line up
    expect(lines[1]!.indexOf('running')).to.equal(lines[0]!.indexOf('STATE'))
    expect(formatRunsTable([], {now: NOW})).to.equal('No runs yet. Start one with: lode run FILE')
  })

  it('colours the state when asked', () => {
    const text = formatRunsTable(runs(), {now: NOW, color: true})
    expect(text).to.include('\u001B[31merror\u001B[39m')
    expect(text).to.include('\u001B[36mrunning\u001B[39m')
  })

  it('shows the runs live, polls the loader, and quits on q', async () => {
    let current = runs().slice(0, 1)
    const load = () => current
    let quit = false
    const {lastFrame, stdin, unmount} = render(<RunsTable load={load} intervalMs={20} now={NOW} onQuit={() => { quit = true }} />)
    const frame = stripAnsi(lastFrame())
    expect(frame).to.match(/f00dfeed\s+train\s+running\s+4m ago/)
    expect(frame).not.to.include('prepare-data')
    expect(frame).to.include('q to quit')
    current = runs()
    // until the view shows what a poll brought; with a deadline, so a broken poll fails instead of hanging
    await waitUntil(() => stripAnsi(lastFrame()).includes('prepare-data'))
    expect(stripAnsi(lastFrame())).to.match(/beefcafe\s+prepare-data\s+error/)
    stdin.write('x')
    await tick()
    expect(quit).to.equal(false)
    stdin.write('q')
    await tick()
    expect(quit).to.equal(true)
    unmount()
  })
})
