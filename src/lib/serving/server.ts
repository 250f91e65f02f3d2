// The HTTP front of `lode serve`: the V2 inference protocol on node:http. Bad requests get a 4xx with a JSON
// {"error"} saying what was wrong; the server keeps serving. stop() drains: no new connections, requests in
// flight are answered, then the predictor stops.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {BadRequest, inferResponse, modelMetadata, parseInferRequest, OUTPUT_PROBA} from './v2.ts'
import {ModelError, type Prediction, type Predictor, WorkerLostError} from './types.ts'

/** Bodies above this are refused (413) before they are read whole. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024

export interface RequestRecord {
  /** when the request arrived, ms since the epoch */
  ts: number
  latencyMs: number
  status: number
  rows: number[][] | null
  prediction: Prediction | null
  error: string | null
}

export interface ServerOptions {
  host: string
  port: number
  maxBodyBytes?: number
  /** every infer request, answered or refused */
  onInfer?: (r: RequestRecord) => void
}

export interface ModelServer {
  readonly url: string
  readonly port: number
  /** Stop taking requests, answer those in flight (at most `drainMs`); answers how many were cut off. */
  stop(drainMs: number): Promise<{cutOff: number}>
}

export async function startServer(predictor: Predictor, opts: ServerOptions): Promise<ModelServer> {
  const model = predictor.info
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES
  let draining = false
  let inFlight = 0
  let idle: (() => void) | null = null
  const base = `/v2/models/${model.name}`

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/'
    if (path === '/v2/health/live') return send(res, 200, {live: true})
    // not ready while stopping, or once every worker died and none could load the model again: a load balancer
    // then sends requests elsewhere instead of to a server that can only answer 503
    const ready = !draining && predictor.ready()
    if (path === '/v2/health/ready') return send(res, ready ? 200 : 503, {ready})
    if (path === '/v2') return send(res, 200, {name: 'lode', extensions: []})
    const m = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/.exec(path)
    if (!m) return send(res, 404, {error: `No such endpoint: ${req.method} ${path.slice(0, 200)}. Try GET ${base} or POST ${base}/infer.`})
    const name = safeDecode(m[1]!)
    if (name !== model.name) return send(res, 404, {error: `No model "${name.slice(0, 200)}" here: this server serves "${model.name}" (${base}).`})
    if (m[2] !== undefined && safeDecode(m[2]) !== model.version) return send(res, 404, {error: `Model "${model.name}" has no version "${safeDecode(m[2]).slice(0, 50)}" here: it serves ${model.version}.`})
    if (m[3] === '/ready') return send(res, ready ? 200 : 503, {name: model.name, ready})
    if (m[3] === undefined) return req.method === 'GET' ? send(res, 200, modelMetadata(model)) : send(res, 405, {error: `Use GET ${base}.`}, {allow: 'GET'})
    if (req.method !== 'POST') return send(res, 405, {error: `Use POST ${base}/infer with a JSON body.`}, {allow: 'POST'})
    if (draining) return send(res, 503, {error: 'The server is stopping.'})
    await infer(req, res)
  }

  const infer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const ts = Date.now()
    const started = performance.now()
    let rows: number[][] | null = null
    let prediction: Prediction | null = null
    let status = 200
    let body: Record<string, unknown>
    try {
      const text = await readBody(req, maxBody)
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch (error) {
        throw new BadRequest(`The body is not valid JSON (${(error as Error).message.slice(0, 200)}).`)
      }
      const request = parseInferRequest(parsed, model)
      rows = request.rows
      prediction = rows.length ? await predictor.predict(rows, request.outputs.includes(OUTPUT_PROBA)) : {predict: [], proba: []}
      body = inferResponse(model, request, prediction)
    } catch (error) {
      status = statusOf(error)
      body = {error: status === 500 && !(error instanceof ModelError) ? `Internal error (a bug in lode): ${(error as Error).message}` : (error as Error).message}
    }
    send(res, status, body)
    if (status === 413) discardRest(req, maxBody * 4)
    opts.onInfer?.({ts, latencyMs: performance.now() - started, status, rows, prediction, error: status === 200 ? null : String(body.error)})
  }

  // Idle keep-alive connections live long: a client reusing one just as the server closes it would see its POST
  // fail ("other side closed"), and POSTs are not retried. stop() closes idle ones at once.
  const server: Server = createServer({keepAliveTimeout: 65_000}, (req, res) => {
    inFlight++
    res.once('close', () => {
      inFlight--
      if (inFlight === 0) idle?.()
    })
    if (draining) res.setHeader('connection', 'close')
    handle(req, res).catch((error: unknown) => send(res, 500, {error: `Internal error (a bug in lode): ${(error as Error).message}`}))
  })
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":"Malformed HTTP request."}')
    else socket.destroy()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    async stop(drainMs: number) {
      draining = true
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      let cutOff = 0
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined
        const drained = await Promise.race([
          new Promise<boolean>((resolve) => (idle = () => resolve(true))),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), drainMs))),
        ])
        clearTimeout(timer)
        if (!drained) cutOff = inFlight
      }
      server.closeAllConnections()
      await closed
      return {cutOff}
    },
  }
}

/**
 * After a 413, read and drop the rest of the body so the client (still sending) reads the answer rather than a reset
 * connection; a body that goes on past `limit` more bytes gets its connection closed.
 */
function discardRest(req: IncomingMessage, limit: number): void {
  let dropped = 0
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length
    if (dropped > limit) req.socket.destroy()
  })
  req.resume()
}

function statusOf(error: unknown): number {
  if (error instanceof BadRequest) return error.status
  if (error instanceof WorkerLostError) return 503
  return 500
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return
  const text = JSON.stringify(body)
  res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers})
  res.end(text)
}

/** The body as text, refused (413) past `max` bytes: by its Content-Length before reading, or as it streams in. */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  const tooLarge = () => new BadRequest(`The body is larger than ${max / 1024 / 1024} MB: send fewer rows a request (lode predict reads files of any size).`, 413)
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > max) return Promise.reject(tooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    req.on('data', (chunk: Buffer) => {
      if (done) return
      size += chunk.length
      if (size > max) {
        done = true
        chunks.length = 0
        reject(tooLarge())
        return
      }
      chunks.push(chunk)
    })
    req.once('end', () => {
      if (!done) resolve(Buffer.concat(chunks).toString('utf8'))
    })
    req.once('error', (e) => {
      if (!done) reject(e)
      done = true
    })
    req.once('aborted', () => {
      if (!done) reject(new BadRequest('The client closed the connection before sending the whole body.'))
      done = true
    })
  })
}
