// A packed hub served over http on 127.0.0.1 (ephemeral port), as a URL source.
import {readFile} from 'node:fs/promises'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

export interface HttpHub {
  url: string
  requests: string[]
  close(): Promise<void>
}

export async function serveFolder(dir: string): Promise<HttpHub> {
  const requests: string[] = []
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    requests.push(path)
    const name = path.replace(/^\/hub\//, '')
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
      res.writeHead(404).end()
      return
    }
    readFile(join(dir, name)).then(
      (body) => res.writeHead(200, {'content-type': name.endsWith('.json') ? 'application/json' : 'application/gzip'}).end(body),
      () => res.writeHead(404).end('not found'),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hub/`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  }
}

/** A server on 127.0.0.1 answering with `handle` (which may never answer); close() drops open connections. */
export async function serveWith(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{url: string; close(): Promise<void>}> {
  const server: Server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hub/`,
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Answers 200 at once, then sends one byte every `everyMs` for ever (until the client goes away). */
export function trickle(everyMs: number): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    res.writeHead(200, {'content-type': 'application/json'})
    const timer = setInterval(() => res.write(' '), everyMs)
    res.on('close', () => clearInterval(timer))
  }
}
