// A `lode report` file opened from disk in a real headless Chromium with the network off: every page draws from
// the embedded data, no request leaves the file, and the handler's HTML stays sandboxed.
import {expect} from 'chai'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import type {Browser} from 'puppeteer-core'
import {writeReport} from '../../src/lib/ui/report.ts'
import {uiFixture} from '../ui/fixture.ts'
import {haveChromium, launch, openPage} from './browser.ts'

type El = {getAttribute(name: string): string | null; querySelectorAll(s: string): {length: number}}

describe('lode report in a browser, offline', function () {
  this.timeout(120_000)
  let t: Awaited<ReturnType<typeof uiFixture>>
  let browser: Browser
  let file: string

  before(async function () {
    if (!haveChromium()) this.skip()
    t = await uiFixture()
    file = join(t.dir, 'report.html')
    await writeReport(t.project.store, {uids: t.runs.map((r) => r.uid), limit: 10}, file)
    browser = await launch()
  })

  after(async () => {
    await browser?.close()
    t?.cleanup()
  })

  it('shows the runs, a run, the compare and an artifact from the file alone', async () => {
    const w = await openPage(browser)
    await w.page.setOfflineMode(true)
    const requests: string[] = []
    w.page.on('request', (r) => {
      if (!/^(file|data|about):/.test(r.url())) requests.push(r.url())
    })
    const url = pathToFileURL(file).href
    await w.page.goto(`${url}#/runs`)
    await w.page.waitForSelector('#runs-body .vt-row[data-uid]')
    expect(await w.page.$$eval('#runs-body .vt-row[data-uid]', (rows) => rows.length)).to.equal(3)
    await w.shot('report-runs')
    await w.page.goto(`${url}#/run/${t.runs[0]!.uid}`)
    await w.page.waitForSelector('[data-preview="dataset"] svg[data-chart="histogram"]')
    const frames = await w.page.$$eval('iframe[data-artifact-frame]', (fs) => fs.map((f) => (f as unknown as El).getAttribute('sandbox')))
    expect(frames).to.deep.equal(['', ''])
    for (const f of w.page.frames().slice(1)) expect(await f.evaluate('window.ran')).to.equal(undefined)
    await w.shot('report-run')
    await w.page.goto(`${url}#/compare/`)
    await w.page.waitForSelector('svg[data-chart="parallel"]')
    expect(await w.page.$$eval('svg[data-chart="parallel"] g[aria-label="line"] path', (ps) => ps.length)).to.equal(3)
    await w.shot('report-compare')
    const data = t.project.store.artifacts.resolve({key: 'data'})
    await w.page.goto(`${url}#/artifact/${data.id}`)
    await w.page.waitForSelector('svg[data-chart="lineage"] .node')
    await w.shot('report-artifact')
    expect(requests).to.deep.equal([])
    expect(w.errors).to.deep.equal([])
    await w.page.close()
  })
})
