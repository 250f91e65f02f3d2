// `lode serve` as a service: load the model, listen, and on the first SIGINT/SIGTERM drain (answer what is in
// flight, at most `drainMs`), stop the workers, store the request log if asked; a second signal ends lode at once.
import type {Project} from '../project/project.ts'
import {UserError} from '../errors.ts'
import {loadModel} from './load-model.ts'
import {RequestLog} from './request-log.ts'
import {startServer, type ModelServer} from './server.ts'

export interface ServeFlags {
  port: number
  host: string
  workers: number
  name?: string
  python?: string
  'drain-timeout': number
  'log-requests': boolean
}

export interface ServeResult {
  model: string
  uri: string
  url: string
  requests: number
  cutOff: number
  /** with --log-requests: the dataset of the requests, and the run that logged it */
  requestLog: {uri: string | null; run: string | null} | null
}

export async function serve(project: Project, ref: string, f: ServeFlags, io: {note(text: string): void; onListening?(url: string): void}): Promise<ServeResult> {
  if (f['log-requests']) project.store.assertWritable()
  const signals = catchSignals()
  const loaded = await loadModel(project.store, ref, {cwd: project.dir, workers: f.workers, python: f.python, name: f.name, note: (t) => io.note(`lode serve: ${t}`)}).catch((error: unknown) => {
    signals.dispose()
    throw error
  })
  const info = loaded.predictor.info
  const log = f['log-requests'] ? new RequestLog(info) : null
  let requests = 0
  let server: ModelServer
  try {
    server = await startServer(loaded.predictor, {host: f.host, port: f.port, onInfer: (r) => {
      requests++
      log?.add(r)
    }}).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new UserError(`Port ${f.port} on ${f.host} is in use.`, 'Choose another with --port (0 picks a free one).')
      if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') throw new UserError(`Cannot listen on ${f.host}: no such address here.`, 'Use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface).')
      if (error.code === 'EACCES') throw new UserError(`Not allowed to listen on port ${f.port}.`, 'Choose a port above 1023 with --port.')
      throw error
    })
  } catch (error) {
    await loaded.close()
    signals.dispose()
    throw error
  }
  const endpoint = `${server.url}/v2/models/${info.name}`
  io.note(`Serving ${info.name} (${loaded.version.key} v${loaded.version.version}, ${info.algorithm}, ${info.platform === 'sklearn' ? `${f.workers} Python worker${f.workers === 1 ? '' : 's'}` : 'in-process'}) at ${endpoint}`)
  io.note(`  POST ${endpoint}/infer   GET ${server.url}/v2/health/ready   Ctrl-C stops it`)
  io.onListening?.(server.url)
  const signal = await signals.serving()
  io.note(`lode serve: ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: answering the requests in flight, then stopping`)
  const {cutOff} = await server.stop(f['drain-timeout'] * 1000)
  if (cutOff) io.note(`lode serve: ${cutOff} request${cutOff === 1 ? '' : 's'} still in flight after ${f['drain-timeout']} s were cut off`)
  await loaded.close()
  let requestLog: ServeResult['requestLog'] = null
  if (log) {
    const stored = await log.store(project)
    requestLog = {uri: stored.uri, run: stored.run?.uid ?? null}
    if (stored.run && stored.run.state !== 'completed') io.note(`lode serve: the run logging the requests failed: ${stored.run.error?.message ?? stored.run.state} (lode runs logs ${stored.run.uid.slice(0, 8)})`)
    else io.note(stored.uri ? `lode serve: logged ${log.count} request${log.count === 1 ? '' : 's'} to ${stored.uri}` : 'lode serve: no requests to log')
  }
  return {model: info.name, uri: info.uri, url: server.url, requests, cutOff, requestLog}
}

/**
 * SIGINT, SIGTERM and SIGHUP from the start: while the model loads, one ends lode at once (exit 130; the workers are
 * ended as lode exits, and the model's copy removed). Once serving, the first one is the signal to drain, and a
 * second one ends lode at once.
 */
function catchSignals(): {serving(): Promise<string>; dispose(): void} {
  let first: ((sig: string) => void) | null = null
  let count = 0
  const handler = (sig: NodeJS.Signals) => {
    const said = sig === 'SIGINT' ? 'Ctrl-C' : sig
    if (!first || count++ > 0) {
      process.stderr.write(`lode serve: ${said}${first ? ' again' : ''}: stopping without waiting\n`)
      process.exit(130)
    }
    first(sig)
  }
  const names = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
  for (const s of names) process.on(s, handler)
  return {
    serving: () => new Promise((resolve) => (first = resolve)),
    dispose: () => names.forEach((s) => process.off(s, handler)),
  }
}
