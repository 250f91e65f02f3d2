// `lode ui`: a read-only web app over the project's store, served by node:http. Every request needs the token; the
// page, its script and its styles come from the package; the JSON API answers from src/lib/ui/api.ts.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {LodeError, toLodeError, UserError} from '../errors.ts'
import type {Store} from '../store/store.ts'
import type * as Api from './api.ts'
import {loadAssets} from './assets.ts'
import {isLoopbackHostHeader, tokenMatches} from './token.ts'
import {StoreWatch} from './watch.ts'

export interface UiServer {
  url: string
  port: number
  host: string
  close(): Promise<void>
}

const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
const COMMON = {'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store'}

type Route = [RegExp, (store: Store, m: RegExpExecArray, q: URLSearchParams, api: typeof Api, cache: Api.OrderCache) => unknown]

const ROUTES: Route[] = [
  [/^\/api\/runs$/, (s, _m, q, api, cache) => api.apiRuns(s, q, cache)],
  [/^\/api\/runs\/([0-9a-f]+)$/, (s, m, _q, api) => api.apiRun(s, m[1]!)],
  [/^\/api\/runs\/([0-9a-f]+)\/log$/, (s, m, q, api) => api.apiRunLog(s, m[1]!, q)],
  [/^\/api\/artifacts$/, (s, _m, q, api) => api.apiArtifacts(s, q)],
  [/^\/api\/artifacts\/(\d+)$/, (s, m, _q, api) => api.apiArtifact(s, m[1]!)],
  [/^\/api\/artifacts\/(\d+)\/lineage$/, (s, m, _q, api) => api.apiLineage(s, m[1]!)],
  [/^\/api\/diff$/, (s, _m, q, api) => api.apiDiff(s, q)],
  [/^\/api\/compare$/, (s, _m, q, api) => api.apiCompare(s, q)],
  [/^\/api\/workflows$/, (s, _m, _q, api) => api.apiWorkflows(s)],
  [/^\/api\/workflows\/([0-9a-f]+)$/, (s, m, _q, api) => api.apiWorkflow(s, m[1]!)],
]

function status(e: LodeError): number {
  return e.code === 'usage' ? 400 : e.code === 'not_found' ? 404 : 500
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, {...COMMON, 'Content-Type': 'application/json; charset=utf-8'}).end(JSON.stringify(body))
}

export async function startUiServer(store: Store, o: {host: string; port: number; token: string}): Promise<UiServer> {
  const assets = loadAssets()
  // the API's modules load on the first request (the page's), while the browser reads the page: ready sooner
  let modules: Promise<[typeof Api, typeof import('./raw.ts')]> | undefined
  const loadModules = () => {
    modules ??= Promise.all([import('./api.ts'), import('./raw.ts')])
    modules.catch(() => {}) // a failure is reported by the request that awaits it
    return modules
  }
  const q = o.token ? `?token=${o.token}` : ''
  const html = assets.html.replace('href="app.css"', `href="app.css${q}"`).replace('src="app.js"', `src="app.js${q}"`)
  const watch = new StoreWatch(store)
  let cache: Api.OrderCache | undefined
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://ui.invalid')
    } catch {
      // a request line such as `GET http://[ HTTP/1.1`: answered, not left to end the server
      return void res.writeHead(400, {...COMMON, 'Content-Type': 'text/plain; charset=utf-8'}).end('400: that is not a URL.\n')
    }
    // browsers ask for it on their own, without the token: nothing to hide
    if (url.pathname === '/favicon.ico') return void res.writeHead(204, COMMON).end()
    // without a token, the loopback address is all that keeps others out: a site whose name resolves to 127.0.0.1
    // (DNS rebinding) would otherwise read the store from a browser here
    if (o.token === '' && req.headers.host !== undefined && !isLoopbackHostHeader(req.headers.host)) {
      res.writeHead(403, {...COMMON, 'Content-Type': 'text/plain; charset=utf-8'}).end('403: without a token, lode ui answers only requests addressed to localhost or 127.0.0.1 (open the URL it printed).\n')
      return
    }
    if (!tokenMatches(o.token, url.searchParams.get('token') ?? req.headers['x-lode-token']?.toString() ?? null)) {
      res.writeHead(403, {...COMMON, 'Content-Type': 'text/plain; charset=utf-8'}).end('403: this page needs the token printed by `lode ui` (open the URL it printed).\n')
      return
    }
    void loadModules()
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, {...COMMON, Allow: 'GET, HEAD'}).end()
      return
    }
    const path = url.pathname
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, {...COMMON, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_CSP}).end(html)
      return
    }
    if (path === '/app.js') return void res.writeHead(200, {...COMMON, 'Content-Type': 'text/javascript; charset=utf-8'}).end(assets.js)
    if (path === '/app.css') return void res.writeHead(200, {...COMMON, 'Content-Type': 'text/css; charset=utf-8'}).end(assets.css)
    if (path === '/api/events') return watch.subscribe(req, res)
    try {
      const [api, {sendArtifactBytes}] = await loadModules()
      cache ??= new api.OrderCache()
      const raw = /^\/api\/artifacts\/(\d+)\/raw$/.exec(path)
      if (raw) return await sendArtifactBytes(store, api.artifactById(store, raw[1]!), url.searchParams, res)
      for (const [re, fn] of ROUTES) {
        const m = re.exec(path)
        if (m) return sendJson(res, 200, await fn(store, m, url.searchParams, api, cache))
      }
      sendJson(res, 404, {error: {code: 'not_found', message: `No such page: ${path}`}})
    } catch (error) {
      const e = toLodeError(error)
      if (res.headersSent) return void res.destroy()
      sendJson(res, status(e), {error: {code: e.code, message: e.message, hint: e.hint ?? null}})
    }
  }
  const server: Server = createServer((req, res) => void handle(req, res).catch((error: unknown) => {
    // a bug, not the request's fault: said once, and the server goes on
    if (res.headersSent) return void res.destroy()
    sendJson(res, 500, {error: {code: 'internal', message: (error as Error).message, hint: null}})
  }))
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE'
      ? new UserError(`Port ${o.port} on ${o.host} is in use.`, 'Give another with --port N (--port 0 picks a free one).')
      : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' ? new UserError(`Cannot listen on ${o.host}: no such address on this machine.`, 'Try --host 127.0.0.1') : error))
    server.listen(o.port, o.host, resolve)
  })
  const port = (server.address() as AddressInfo).port
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host
  return {
    url: `http://${shownHost}:${port}/${o.token ? `?token=${o.token}` : ''}`,
    port, host: o.host,
    close: async () => {
      watch.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
