// Live updates for every open page from one timer: once a second the server asks SQLite whether anyone committed
// (PRAGMA data_version) and checks the size of running runs' logs, then tells each page over server-sent events.
import {statSync} from '../util/fs.ts'
import {join} from 'node:path'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {Store} from '../store/store.ts'
import {activeRunUids, dataVersion} from '../store/ui-runs.ts'

export const WATCH_MS = 1000

export class StoreWatch {
  private readonly store: Store
  private readonly clients = new Set<ServerResponse>()
  private timer: NodeJS.Timeout | undefined
  private version = -1
  private readonly logSizes = new Map<string, number>()
  private ticks = 0

  constructor(store: Store) {
    this.store = store
  }

  subscribe(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'Referrer-Policy': 'no-referrer'})
    res.write('retry: 2000\n\n')
    this.clients.add(res)
    req.on('close', () => {
      this.clients.delete(res)
      if (this.clients.size === 0) this.stop()
    })
    if (this.version < 0) this.version = dataVersion(this.store)
    this.timer ??= setInterval(() => this.tick(), WATCH_MS)
  }

  private send(event: string, data: unknown): void {
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
    for (const c of this.clients) c.write(text)
  }

  private tick(): void {
    try {
      const v = dataVersion(this.store)
      if (v !== this.version) {
        this.version = v
        this.send('store', {version: v})
      }
      const active = new Set(activeRunUids(this.store))
      for (const uid of new Set([...active, ...this.logSizes.keys()])) {
        let size = 0
        try {
          size = statSync(join(this.store.runDir(uid), 'output.log')).size
        } catch { /* not written yet */ }
        if (size !== (this.logSizes.get(uid) ?? 0)) this.send('log', {uid, size})
        if (active.has(uid)) this.logSizes.set(uid, size)
        else this.logSizes.delete(uid) // ended: this was its last look
      }
      if (++this.ticks % 15 === 0) for (const c of this.clients) c.write(': keep-alive\n\n')
    } catch {
      /* a busy or damaged database: the pages keep what they show and the next tick tries again */
    }
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  close(): void {
    this.stop()
    for (const c of this.clients) c.end()
    this.clients.clear()
  }
}
