// The runs table: virtualized (only the rows in view are in the DOM; pages of rows fetched as they scroll into view),
// filtered with the `runs ls --where` grammar and sorted by any field, on the server.
import {ApiFailure, get, isReport} from './data.ts'
import {clear, fmtDuration, fmtTime, fmtValue, h, stateBadge} from './dom.ts'
import type {Page} from './page.ts'

export interface RunRow {
  uid: string
  name: string
  state: string
  kind: string
  created: number
  started: number | null
  ended: number | null
  labels: Record<string, string>
  params: Record<string, unknown>
  results: Record<string, unknown>
}

const ROW_H = 28
const PAGE = 200
const OVERSCAN = 10
const BASE = ['uid', 'state', 'name', 'created', 'duration']

function value(r: RunRow, field: string): unknown {
  if (field === 'duration') return r.started && r.ended ? r.ended - r.started : null
  const [head, ...rest] = field.split('.')
  if (head === 'params' || head === 'results' || head === 'labels') {
    let v: unknown = r[head]
    for (const k of rest) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined
    return v
  }
  return (r as unknown as Record<string, unknown>)[field]
}

function cell(r: RunRow, field: string): Node | string {
  const v = value(r, field)
  if (field === 'state') return stateBadge(r.state)
  if (field === 'uid') return h('a', {href: `#/run/${r.uid}`}, r.uid.slice(0, 8))
  if (field === 'created') return fmtTime(r.created)
  if (field === 'duration') return fmtDuration(v as number | null)
  return fmtValue(v)
}

/** Remembered across visits within the page. */
const state = {where: '', sort: '', columns: [] as string[], selected: new Set<string>()}

export function runsPage(root: HTMLElement): Page {
  const pages = new Map<number, RunRow[] | 'loading'>()
  let total = 0
  let generation = 0
  const filter = h('input', {id: 'filter', type: 'search', placeholder: 'filter: results.accuracy > 0.9 and params.model == "tree"', value: state.where, size: 60})
  const columnsInput = h('input', {id: 'columns', type: 'text', placeholder: 'columns: params.lr,results.accuracy', value: state.columns.join(','), size: 36})
  const error = h('div', {class: 'error', id: 'filter-error'})
  const count = h('span', {id: 'count', class: 'muted'})
  const compareBtn = h('button', {id: 'compare', disabled: true, onclick: () => { location.hash = `#/compare/${[...state.selected].join(',')}` }}, 'Compare')
  const head = h('div', {class: 'vt-head'})
  const spacer = h('div', {class: 'vt-spacer'})
  const body = h('div', {class: 'vt-body', id: 'runs-body'}, spacer)
  const suggest = h('div', {class: 'muted suggest'})
  const form = h('form', {class: 'toolbar', onsubmit: (e: Event) => { e.preventDefault(); apply() }},
    isReport ? null : filter, isReport ? null : columnsInput, isReport ? null : h('button', {type: 'submit'}, 'Apply'), isReport ? null : compareBtn, count)
  root.append(h('h1', {}, 'Runs'), form, error, suggest, h('div', {class: 'vt', id: 'runs-table'}, head, body))

  const fields = () => [...BASE, ...state.columns]

  function apply(): void {
    state.where = filter.value.trim()
    state.columns = columnsInput.value.split(',').map((c) => c.trim()).filter(Boolean).slice(0, 20)
    reload()
  }

  function drawHead(): void {
    clear(head)
    head.append(h('div', {class: 'vt-cell sel'}, ''))
    for (const f of fields()) {
      const active = state.sort === f ? ' ▲' : state.sort === `-${f}` ? ' ▼' : ''
      head.append(h('div', {class: `vt-cell col-${f.replace(/[^a-z]/gi, '')}`, 'data-field': f, title: 'sort by this field', onclick: () => {
        if (isReport) return
        state.sort = state.sort === f ? `-${f}` : state.sort === `-${f}` ? '' : f
        reload()
      }}, f + active))
    }
  }

  function reload(): void {
    generation++
    pages.clear()
    error.textContent = ''
    drawHead()
    void load(0, true)
  }

  async function load(page: number, first = false): Promise<void> {
    if (pages.has(page)) return
    pages.set(page, 'loading')
    const gen = generation
    try {
      const r = await get<{total: number; runs: RunRow[]}>('/api/runs', {where: state.where, sort: state.sort, limit: PAGE, offset: page * PAGE})
      if (gen !== generation) return
      pages.set(page, r.runs)
      total = r.total
      count.textContent = `${total} run${total === 1 ? '' : 's'}`
      spacer.style.height = `${total * ROW_H}px`
      if (first) suggestColumns(r.runs)
      draw()
    } catch (e) {
      pages.delete(page)
      if (gen !== generation) return
      error.textContent = e instanceof ApiFailure ? `${e.error.message}${e.error.hint ? ` ${e.error.hint}` : ''}` : String(e)
      total = 0
      spacer.style.height = '0px'
      draw()
    }
  }

  function suggestColumns(runs: RunRow[]): void {
    const keys = new Set<string>()
    for (const r of runs.slice(0, 50)) {
      for (const k of Object.keys(r.params)) keys.add(`params.${k}`)
      for (const k of Object.keys(r.results)) keys.add(`results.${k}`)
    }
    clear(suggest)
    const more = [...keys].filter((k) => !state.columns.includes(k)).slice(0, 12)
    if (more.length === 0 || isReport) return
    suggest.append('add a column: ', ...more.map((k) => h('button', {class: 'link', 'data-add-column': k, onclick: () => {
      columnsInput.value = [...state.columns, k].join(',')
      apply()
    }}, k)))
  }

  const rowsEl = new Map<number, HTMLElement>()
  function draw(): void {
    const first = Math.max(0, Math.floor(body.scrollTop / ROW_H) - OVERSCAN)
    const last = Math.min(total, Math.ceil((body.scrollTop + body.clientHeight) / ROW_H) + OVERSCAN)
    for (const [i, el] of rowsEl) if (i < first || i >= last) {
      el.remove()
      rowsEl.delete(i)
    }
    for (let i = first; i < last; i++) {
      const page = pages.get(Math.floor(i / PAGE))
      if (page === undefined) void load(Math.floor(i / PAGE))
      const r = Array.isArray(page) ? page[i % PAGE] : undefined
      const old = rowsEl.get(i)
      if (old && old.dataset.uid === (r?.uid ?? '')) continue
      old?.remove()
      const el = r ? rowEl(r) : h('div', {class: 'vt-row loading', 'data-uid': ''}, h('div', {class: 'vt-cell'}, '…'))
      el.style.top = `${i * ROW_H}px`
      rowsEl.set(i, el)
      body.append(el)
    }
  }

  function rowEl(r: RunRow): HTMLElement {
    const box = h('input', {type: 'checkbox', 'data-select': r.uid, checked: state.selected.has(r.uid), onchange: (e: Event) => {
      if ((e.target as HTMLInputElement).checked) state.selected.add(r.uid)
      else state.selected.delete(r.uid)
      compareBtn.disabled = state.selected.size < 2
      compareBtn.textContent = `Compare${state.selected.size ? ` (${state.selected.size})` : ''}`
    }})
    return h('div', {class: `vt-row row-${r.state}`, 'data-uid': r.uid}, h('div', {class: 'vt-cell sel'}, box), ...fields().map((f) => h('div', {class: `vt-cell col-${f.replace(/[^a-z]/gi, '')}`, 'data-field': f}, cell(r, f))))
  }

  body.addEventListener('scroll', () => draw(), {passive: true})
  compareBtn.disabled = state.selected.size < 2
  reload()
  return {
    onStore: () => {
      // newer rows and changed states: fetch again what is in view
      generation++
      const keep = body.scrollTop
      pages.clear()
      void load(Math.floor(keep / ROW_H / PAGE)).then(() => {
        for (const el of rowsEl.values()) el.remove()
        rowsEl.clear()
        draw()
      })
    },
  }
}
