// A real headless Chromium (Debian's, driven by puppeteer-core) for the UI's browser tests, and a `lode ui` server
// over a test project. Every page's console errors are collected; screenshots go to test-output/ui/.
import {existsSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import puppeteer, {type Browser, type Page} from 'puppeteer-core'
import {ROOT} from '../helpers/project.ts'

export const CHROMIUM = process.env.LODE_TEST_CHROMIUM ?? '/usr/bin/chromium'
export const SHOTS = join(ROOT, 'test-output', 'ui')

export function haveChromium(): boolean {
  return existsSync(CHROMIUM)
}

export async function launch(): Promise<Browser> {
  return puppeteer.launch({executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'], defaultViewport: {width: 1280, height: 900}})
}

export interface WatchedPage {
  page: Page
  /** console errors and uncaught exceptions seen so far */
  errors: string[]
  /** what the browser reported refusing in a sandboxed frame: the sandbox working, not an error of the page */
  blocked: string[]
  shot(name: string): Promise<void>
}

export async function openPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.newPage()
  const errors: string[] = []
  const blocked: string[] = []
  page.on('console', (m) => {
    if (/^Blocked script execution in '.*' because the document's frame is sandboxed/.test(m.text())) return void blocked.push(m.text())
    if (m.type() === 'error') errors.push(`console: ${m.text()} ${m.location()?.url ?? ''}`)
  })
  page.on('pageerror', (e) => errors.push(`page: ${(e as Error).message}`))
  page.on('requestfailed', (r) => {
    // an EventSource closed by a navigation is not an error of the page
    if (!r.url().includes('/api/events')) errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`)
  })
  mkdirSync(SHOTS, {recursive: true})
  return {page, errors, blocked, shot: async (name) => void (await page.screenshot({path: join(SHOTS, `${name}.png`), fullPage: true}))}
}

/** Wait for a condition in the page, polled, with a deadline (never a fixed sleep). */
export async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
