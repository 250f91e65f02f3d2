// The web UI in a real headless Chromium over a real project: every page opens clean, the runs table filters and
// sorts, compare draws one line per run, a dataset's histograms are drawn, a handler's HTML cannot reach the page,
// and a running run's output shows up live.
import {expect} from 'chai'
import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {Browser} from 'puppeteer-core'
import {lode, lodeAsync} from '../helpers/project.ts'
import {Project} from '../../src/lib/project/project.ts'
import {startUiServer, type UiServer} from '../../src/lib/ui/server.ts'
import {uiFixture} from '../ui/fixture.ts'
import {haveChromium, launch, openPage, until, type WatchedPage} from './browser.ts'

// Functions given to page.evaluate/$eval run in the browser: this names its one global they use, for the type checker
// (the test project's types are Node's, without the DOM).
declare const document: {readyState: string; body: {dataset: Record<string, string | undefined>}}
type El = {textContent: string | null; dataset: Record<string, string | undefined>; style: {top: string}; getAttribute(name: string): string | null; querySelectorAll(s: string): {length: number}}

const WORKFLOW = `
steps:
  make:
    function: wf.ts
    handler: make
    outputs: [out]
  use:
    function: wf.ts
    handler: use
    inputs:
      src: "{{ steps.make.outputs.out }}"
`
const WF_HANDLER = `
export async function make(ctx) { await ctx.logArtifact('out', {body: 'made'}, {format: 'txt'}) }
export async function use(ctx, {src}) { ctx.logResult('n', 1) }
`

describe('lode ui in a browser', function () {
  this.timeout(120_000)
  let t: Awaited<ReturnType<typeof uiFixture>>
  let server: UiServer
  let browser: Browser
  let w: WatchedPage

  before(async function () {
    if (!haveChromium()) this.skip()
    t = await uiFixture()
    t.write('wf.ts', WF_HANDLER)
    t.write('wf.yaml', WORKFLOW)
    const wf = lode(['workflow', 'run', 'wf.yaml'], {cwd: t.dir})
    expect(wf.code, wf.stderr).to.equal(0)
    server = await startUiServer(t.project.store, {host: '127.0.0.1', port: 0, token: 'browser-test-token-0123456789'})
    browser = await launch()
  })

  after(async () => {
    await browser?.close()
    await server?.close()
    t?.cleanup()
  })

  beforeEach(async () => {
    w = await openPage(browser)
  })

  afterEach(async () => {
    await w.page.close()
  })

  const go = async (hash: string) => {
    await w.page.goto(`${server.url}${hash}`, {waitUntil: 'domcontentloaded'})
  }

  // in the order drawn (rows are placed by their top offset, not by their order in the DOM)
  const rowUids = () => w.page.$$eval('#runs-body .vt-row[data-uid]', (rows) => (rows as unknown as El[])
    .filter((r) => r.dataset.uid).sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((r) => r.dataset.uid!))

  it('opens every page with no console errors', async () => {
    const [run] = t.runs
    const data = t.project.store.artifacts.resolve({key: 'data'})
    const wfId = t.project.store.workflows.list()[0]!.id
    const pages: [string, string, string][] = [
      ['runs', '#/runs', '#runs-body .vt-row[data-uid]'],
      ['run', `#/run/${run!.uid}`, '[data-preview="dataset"] svg'],
      ['compare', `#/compare/${t.runs.map((r) => r.uid).join(',')}`, 'svg[data-chart="parallel"]'],
      ['artifacts', '#/artifacts', '#artifacts-table tbody tr'],
      ['artifact', `#/artifact/${data.id}`, 'svg[data-chart="lineage"] .node'],
      ['workflows', '#/workflows', '#workflows-table tbody tr'],
      ['workflow', `#/workflow/${wfId}`, 'svg[data-chart="dag"] .node'],
    ]
    for (const [name, hash, ready] of pages) {
      await go(hash)
      await w.page.waitForSelector(ready, {timeout: 15_000})
      await w.shot(name)
    }
    expect(w.errors).to.deep.equal([])
  })

  it('filters and sorts the runs table on the server', async () => {
    await go('#/runs')
    // the three trainings, then the workflow's two steps
    await until(async () => (await rowUids()).length === 5, 'five rows')
    expect((await rowUids()).slice(2)).to.deep.equal(t.runs.map((r) => r.uid).reverse())
    await w.page.type('#filter', 'params.lr >= 0.2')
    await w.page.click('form.toolbar button[type=submit]')
    await until(async () => (await rowUids()).length === 2, 'two rows after the filter')
    expect(await rowUids()).to.have.members([t.runs[1]!.uid, t.runs[2]!.uid])
    await w.page.$eval('#filter', (el) => ((el as unknown as {value: string}).value = ''))
    await w.page.type('#columns', 'params.lr')
    await w.page.click('form.toolbar button[type=submit]')
    await until(async () => (await rowUids()).length === 5, 'five rows again')
    // ascending by lr (runs without it last): the oldest training first; then descending
    await w.page.click('.vt-head [data-field="params.lr"]')
    await until(async () => (await rowUids())[0] === t.runs[0]!.uid, 'sorted ascending')
    expect((await rowUids()).slice(0, 3)).to.deep.equal(t.runs.map((r) => r.uid))
    await w.page.click('.vt-head [data-field="params.lr"]')
    await until(async () => (await rowUids())[0] === t.runs[2]!.uid, 'sorted descending')
    await w.shot('runs-sorted')
    await w.page.type('#filter', 'params.lr >')
    await w.page.click('form.toolbar button[type=submit]')
    await until(async () => (await w.page.$eval('#filter-error', (e) => (e as unknown as El).textContent)) || null, 'the filter error')
    expect(await w.page.$eval('#filter-error', (e) => (e as unknown as El).textContent)).to.match(/expected a value after ">"/)
    // the browser logs the refused request (400) itself: nothing else went wrong
    expect(w.errors.filter((e) => !/status of 400 .*\/api\/runs\?/.test(e))).to.deep.equal([])
  })

  it('compares three runs: one parallel-coordinates line and one scatter dot per run, differences marked', async () => {
    await go(`#/compare/${t.runs.map((r) => r.uid).join(',')}`)
    await w.page.waitForSelector('svg[data-chart="parallel"]')
    const lines = await w.page.$$eval('svg[data-chart="parallel"] g[aria-label="line"] path', (ps) => ps.length)
    expect(lines).to.equal(3)
    const dots = await w.page.$$eval('svg[data-chart="scatter"] g[aria-label="dot"] circle', (cs) => cs.length)
    expect(dots).to.equal(3)
    const diff = await w.page.$$eval('#compare-table tr.diff', (rows) => rows.map((r) => (r as unknown as El).dataset.row))
    expect(diff).to.include.members(['params.lr', 'params.depth', 'results.accuracy'])
    await w.shot('compare-three')
    expect(w.errors).to.deep.equal([])
  })

  it("draws a dataset's histograms from its statistics", async () => {
    await go(`#/run/${t.runs[0]!.uid}`)
    await w.page.waitForSelector('[data-preview="dataset"] svg[data-chart="histogram"]')
    const bars = await w.page.$$eval('[data-preview="dataset"] svg[data-chart="histogram"]', (svgs) => svgs.map((s) => (s as unknown as El).querySelectorAll('g[aria-label="rect"] rect').length))
    expect(bars.length).to.be.greaterThanOrEqual(2) // x and y are numeric
    for (const n of bars) expect(n).to.be.greaterThan(0)
  })

  it("shows a handler's HTML and SVG sandboxed: their scripts neither run nor reach the page", async () => {
    await go(`#/run/${t.runs[0]!.uid}`)
    await w.page.waitForSelector('iframe[data-artifact-frame]')
    const frames = await w.page.$$eval('iframe[data-artifact-frame]', (fs) => fs.map((f) => (f as unknown as El).getAttribute('sandbox')))
    expect(frames).to.deep.equal(['', '']) // every restriction: no scripts, no same origin
    await until(async () => w.page.frames().length >= 3 && (await Promise.all(w.page.frames().slice(1).map((f) => f.evaluate(() => document.readyState)))).every((s) => s === 'complete'), 'the frames to load')
    for (const f of w.page.frames().slice(1)) expect(await f.evaluate('window.ran')).to.equal(undefined)
    // still shown: the page's heading is there, only its script is not run
    const texts = await Promise.all(w.page.frames().slice(1).map((f) => f.evaluate('document.body ? document.body.innerText : ""')))
    expect(texts).to.include('report')
    expect(await w.page.evaluate('document.body.dataset.pwned')).to.equal(undefined)
    expect(await w.page.title()).to.equal('lode')
    expect(w.blocked.length).to.be.greaterThan(0) // the browser said it refused their scripts
  })

  it("links a parent run to a compare of its children (a sweep's iterations)", async () => {
    const parent = t.runs[0]!
    const kids = [1, 2].map((iter) => ({...parent, uid: `${parent.uid.slice(0, 24)}0000000${iter}`, parent: parent.uid, iter, created: parent.created + iter}))
    // written by another connection, as another lode process would (the server's own never writes)
    const other = await Project.open(t.dir)
    for (const k of kids) other.store.runs.create(k)
    await go(`#/run/${parent.uid}`)
    await w.page.waitForSelector('#compare-children')
    const href = await w.page.$eval('#compare-children', (a) => (a as unknown as El).getAttribute('href'))
    expect(href).to.equal(`#/compare/${kids.map((k) => k.uid).join(',')}`)
    other.store.db.tx(() => other.store.runs.delete(kids.map((k) => k.uid)))
    other.close()
  })

  it('shows a line the handler prints while it runs', async () => {
    const gate = join(t.dir, 'gate')
    t.write('slow.ts', `
      import {existsSync} from 'node:fs'
      export async function slow(ctx) {
        console.log('live line from the handler')
        while (!existsSync(${JSON.stringify(gate)})) await new Promise((r) => setTimeout(r, 50))
        console.log('done')
      }`)
    const child = lodeAsync(['run', 'slow.ts#slow'], {cwd: t.dir})
    try {
      const uid = await until(async () => t.project.store.runs.list({state: 'running', limit: 1})[0]?.uid, 'the run to start', 30_000)
      await go(`#/run/${uid}`)
      await until(async () => (await w.page.$eval('#run-log', (e) => (e as unknown as El).textContent ?? '')).includes('live line from the handler') || null, 'the live line', 20_000)
      await w.shot('run-live')
      expect(existsSync(gate)).to.equal(false) // it was still running
      writeFileSync(gate, '')
      const done = await child
      expect(done.code, done.stderr).to.equal(0)
      await until(async () => (await w.page.$eval('#run-log', (e) => (e as unknown as El).textContent ?? '')).includes('done') || null, 'the last line', 20_000)
      await until(async () => (await w.page.$('.run-head .state-completed')) ?? null, 'the completed state', 20_000)
    } finally {
      if (!existsSync(gate)) writeFileSync(gate, '')
      await child
    }
    expect(w.errors).to.deep.equal([])
  })
})
