// The app: a hash router over the pages, one nav bar, and one server-sent-event stream feeding the page in view.
import {artifactPage, artifactsPage} from './artifacts.ts'
import {comparePage} from './compare.ts'
import {isReport, subscribe} from './data.ts'
import {h} from './dom.ts'
import type {Page, PageFactory} from './page.ts'
import {runPage} from './run.ts'
import {runsPage} from './runs.ts'
import {workflowPage, workflowsPage} from './workflows.ts'

const ROUTES: [RegExp, PageFactory][] = [
  [/^#?\/?(runs)?$/, (root) => runsPage(root)],
  [/^#\/run\/([0-9a-f]+)$/, runPage],
  [/^#\/compare\/([0-9a-f,]*)$/, comparePage],
  [/^#\/artifacts$/, (root) => artifactsPage(root)],
  [/^#\/artifact\/(\d+)$/, artifactPage],
  [/^#\/workflows$/, (root) => workflowsPage(root)],
  [/^#\/workflow\/([0-9a-f]+)$/, workflowPage],
]

const app = document.getElementById('app')!
let current: Page = {}

function route(): void {
  current.dispose?.()
  const root = h('main', {})
  app.replaceChildren(root)
  for (const [re, page] of ROUTES) {
    const m = re.exec(location.hash)
    if (m) {
      current = page(root, m[1] ?? '')
      return
    }
  }
  current = {}
  root.append(h('p', {}, 'No such page. ', h('a', {href: '#/runs'}, 'Back to the runs')))
}

const nav = document.getElementById('nav')!
nav.append(h('a', {href: '#/runs', class: 'brand'}, 'lode'), h('a', {href: '#/runs'}, 'Runs'), h('a', {href: '#/artifacts'}, 'Artifacts'),
  isReport ? h('a', {href: '#/compare/'}, 'Compare') : h('a', {href: '#/workflows'}, 'Workflows'), isReport ? h('span', {class: 'muted'}, 'report (offline)') : '')

let storeTimer: number | undefined
subscribe((event, data) => {
  if (event === 'log') current.onLog?.(data.uid ?? '', data.size ?? 0)
  // several commits within a moment: one refresh
  else if (storeTimer === undefined) storeTimer = window.setTimeout(() => {
    storeTimer = undefined
    current.onStore?.()
  }, 150)
})
window.addEventListener('hashchange', route)
route()
