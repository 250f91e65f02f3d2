// Where the page's data comes from: the `lode ui` server (token in the URL), or, in a `lode report` file, the answers
// embedded in it at the time it was written.
export interface ApiError {
  code: string
  message: string
  hint?: string | null
}

const embedded = document.getElementById('lode-data')
const report: Record<string, unknown> | null = embedded ? JSON.parse(embedded.textContent || '{}') as Record<string, unknown> : null

export const isReport = report !== null
export const token = new URLSearchParams(location.search).get('token') ?? ''

export class ApiFailure extends Error {
  readonly error: ApiError
  constructor(error: ApiError) {
    super(error.message)
    this.error = error
  }
}

function withToken(path: string, params: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams()
  if (token) q.set('token', token)
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `${path}?${s}` : path
}

export async function get<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  if (report) {
    const hit = report[path]
    if (hit === undefined) throw new ApiFailure({code: 'not_found', message: 'This report does not include that page.', hint: 'Open it with lode ui, or add it to the report.'})
    return hit as T
  }
  const res = await fetch(withToken(path, params))
  const body = await res.json() as T & {error?: ApiError}
  if (!res.ok) throw new ApiFailure(body.error ?? {code: 'internal', message: `HTTP ${res.status}`})
  return body
}

/** An artifact's bytes: a URL on the server, or the body embedded in a report (null when it is not). */
export function rawUrl(id: number, o: {file?: string; download?: boolean} = {}): string | null {
  if (report) return null
  return withToken(`/api/artifacts/${id}/raw`, {file: o.file, download: o.download ? 1 : undefined})
}

export function embeddedBody(id: number): string | null {
  const v = report?.[`raw:${id}`]
  return typeof v === 'string' ? v : null
}

/** Server-sent events: `store` when anything was committed, `log` when a running run's log grew. */
export function subscribe(on: (event: 'store' | 'log', data: {uid?: string; size?: number}) => void): void {
  if (report || typeof EventSource === 'undefined') return
  const es = new EventSource(withToken('/api/events'))
  es.addEventListener('store', (e) => on('store', JSON.parse((e as MessageEvent<string>).data) as {}))
  es.addEventListener('log', (e) => on('log', JSON.parse((e as MessageEvent<string>).data) as {uid: string; size: number}))
}
