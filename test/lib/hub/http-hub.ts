// A packed hub served over http on 127.0.0.1 (ephemeral port), as a URL source.
import {readFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
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
