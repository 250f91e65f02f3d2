// The view model of one run, built from its events by a reducer. Both the live view and the plain lines read it.
// Each event costs O(1) amortized, whatever the run logged before (100,000 artifacts): the reducer returns a new
// model object but appends to and updates the arrays of the state it is given in place, so keep only the newest state.

import type {ArtifactKind, ArtifactVersion, JsonValue, LogLevel, Run, RunError, RunEvent, RunJob, RunState} from '../types.ts'

export interface RunProgress {
  fraction: number
  message: string | null
}

export interface RunResultEntry {
  key: string
  value: JsonValue
}

export interface RunArtifactEntry {
  key: string
  kind: ArtifactKind
  /** staged by the handler but not yet ingested into the store */
  pending: boolean
  size: number | null
  uri: string | null
  iter: number
}

export interface RunLogLine {
  ts: number
  /** `stdout`/`stderr` for the handler's output, a log level for its logger */
  source: LogLevel | 'stdout' | 'stderr'
  text: string
}

export interface RunViewModel {
  uid: string
  name: string | null
  function: string | null
  handler: string | null
  state: RunState
  started: number | null
  ended: number | null
  progress: RunProgress | null
  /** in the order first logged; logging a key again updates its value in place */
  results: RunResultEntry[]
  artifacts: RunArtifactEntry[]
  labels: Record<string, string>
  /** the last `logLimit` lines of log and output events */
  logs: RunLogLine[]
  logLimit: number
  /** how many log and output lines arrived in all */
  logCount: number
  error: RunError | null
  /** what asked the run to stop ('Ctrl-C', 'SIGTERM', ...), while it is being aborted and after */
  abortedBy: string | null
  /** warnings lode recorded on the run (refused events, keys, results) */
  warningCount: number
  /** a cluster job's id and, while it is queued, why it waits */
  job?: RunJob
}

export const DEFAULT_LOG_LIMIT = 5

export interface RunModelSeed {
  uid?: string
  name?: string | null
  function?: string | null
  handler?: string | null
  logLimit?: number
}

export function initialRunModel(seed: RunModelSeed = {}): RunViewModel {
  return {
    uid: seed.uid ?? '',
    name: seed.name ?? null,
    function: seed.function ?? null,
    handler: seed.handler ?? null,
    state: 'created',
    started: null,
    ended: null,
    progress: null,
    results: [],
    artifacts: [],
    labels: {},
    logs: [],
    logLimit: seed.logLimit ?? DEFAULT_LOG_LIMIT,
    logCount: 0,
    error: null,
    abortedBy: null,
    warningCount: 0,
  }
}

export function reduceRun(state: RunViewModel, event: RunEvent): RunViewModel {
  const model = state.uid || !event.run ? state : {...state, uid: event.run}
  switch (event.t) {
    case 'state':
      return withState(event.job ? {...model, job: event.job} : model, event.state, event.ts, event.error)
    case 'progress':
      return {
        ...withStarted(model, event.ts),
        progress: {fraction: event.fraction, message: event.message ?? model.progress?.message ?? null},
      }
    case 'result':
      return {...model, results: upsertResult(model.results, event.key, event.value)}
    case 'label':
      return {...model, labels: setOwn(model.labels, event.key, event.value)}
    case 'log':
      return appendLog(model, {ts: event.ts, source: event.level, text: logText(event.msg, event.fields)})
    case 'output':
      return appendLog(model, {ts: event.ts, source: event.stream, text: event.line})
    case 'artifact':
      return {...model, artifacts: addPending(model.artifacts, {key: event.key, kind: event.kind, pending: true, size: null, uri: null, iter: event.iter ?? 0})}
    case 'ingested':
      return {...model, artifacts: settleArtifact(model.artifacts, event.artifact)}
    case 'error':
      return {...model, error: {...model.error, message: event.message, ...(event.stack ? {stack: event.stack} : {})}}
    case 'warning':
      return {...model, warningCount: model.warningCount + 1}
    default:
      // an event this view does not know (a newer lode's): nothing to show
      return model
  }
}

/** Marks the run as being aborted, so the view can say so while the process tree is ended. */
export function markAborting(model: RunViewModel, by: string): RunViewModel {
  return {...model, abortedBy: by}
}

export {abortCause} from '../util/words.ts'

/** "aborted (Ctrl-C)", "aborted (SIGTERM)", or "aborted" when the view did not see the signal. */
export function abortedText(by: string | null): string {
  return by ? `aborted (${by})` : 'aborted'
}

/**
 * Completes a model with the final run record (state, times, results, error) where the events left gaps,
 * e.g. when the summary is printed for a run whose events were not all seen.
 */
export function applyRunRecord(model: RunViewModel, run: Run): RunViewModel {
  const shown = new Set(model.results.map((entry) => entry.key))
  const results = [...model.results, ...Object.entries(run.results).filter(([key]) => !shown.has(key)).map(([key, value]) => ({key, value}))]
  return {
    ...model,
    uid: run.uid,
    name: run.name,
    function: run.function,
    handler: run.handler,
    state: run.state,
    started: run.started ?? model.started,
    ended: run.ended ?? model.ended,
    results,
    labels: {...run.labels, ...model.labels},
    error: run.error ?? model.error,
    warningCount: Math.max(model.warningCount, run.warnings?.length ?? 0),
  }
}

/** A model straight from stored data: a run record and the artifact versions it produced. */
export function runModelFromRecord(run: Run, artifacts: ArtifactVersion[] = []): RunViewModel {
  const model = applyRunRecord(initialRunModel(), run)
  for (const artifact of artifacts) settleArtifact(model.artifacts, artifact)
  return model
}

export function runDurationMs(model: Pick<RunViewModel, 'started' | 'ended'>, now: number): number | null {
  if (model.started === null) return null
  return (model.ended ?? now) - model.started
}

function withStarted(model: RunViewModel, ts: number): RunViewModel {
  return model.started === null ? {...model, started: ts} : model
}

function withState(model: RunViewModel, state: RunState, ts: number, error: RunError | undefined): RunViewModel {
  const next: RunViewModel = {...model, state}
  if (state === 'running' && next.started === null) next.started = ts
  if (state === 'completed' || state === 'error' || state === 'aborted') {
    next.ended = ts
    if (next.started === null) next.started = ts
    if (state === 'completed' && next.progress) next.progress = {...next.progress, fraction: 1}
  }
  if (error) next.error = error
  return next
}

/** Where each key is in a results array, and where each pending artifact (by key#iter) is in an artifacts array. */
const resultIndex = new WeakMap<RunResultEntry[], Map<string, number>>()
const pendingIndex = new WeakMap<RunArtifactEntry[], Map<string, number[]>>()

function upsertResult(results: RunResultEntry[], key: string, value: JsonValue): RunResultEntry[] {
  let index = resultIndex.get(results)
  if (!index) resultIndex.set(results, (index = new Map(results.map((entry, i) => [entry.key, i]))))
  const at = index.get(key)
  if (at === undefined) {
    index.set(key, results.length)
    results.push({key, value})
  } else {
    results[at] = {key, value}
  }
  return results
}

function pendingOf(artifacts: RunArtifactEntry[]): Map<string, number[]> {
  let index = pendingIndex.get(artifacts)
  if (!index) {
    index = new Map()
    for (const [i, entry] of artifacts.entries()) if (entry.pending) index.set(`${entry.key}#${entry.iter}`, [...(index.get(`${entry.key}#${entry.iter}`) ?? []), i])
    pendingIndex.set(artifacts, index)
  }
  return index
}

function addPending(artifacts: RunArtifactEntry[], entry: RunArtifactEntry): RunArtifactEntry[] {
  const index = pendingOf(artifacts)
  const id = `${entry.key}#${entry.iter}`
  const queue = index.get(id)
  if (queue) queue.push(artifacts.length)
  else index.set(id, [artifacts.length])
  artifacts.push(entry)
  return artifacts
}

function settleArtifact(artifacts: RunArtifactEntry[], version: ArtifactVersion): RunArtifactEntry[] {
  const settled: RunArtifactEntry = {
    key: version.key, kind: version.kind, pending: false, size: version.size, uri: version.uri, iter: version.iter,
  }
  const queue = pendingOf(artifacts).get(`${version.key}#${version.iter}`)
  const at = queue?.shift()
  if (at === undefined) artifacts.push(settled)
  else artifacts[at] = settled
  return artifacts
}

/** Sets a key given by the handler: `__proto__` too is an ordinary key here. */
function setOwn(labels: Record<string, string>, key: string, value: string): Record<string, string> {
  Object.defineProperty(labels, key, {value, enumerable: true, writable: true, configurable: true})
  return labels
}

function appendLog(model: RunViewModel, line: RunLogLine): RunViewModel {
  const logs = [...model.logs, line]
  return {...model, logs: logs.slice(Math.max(0, logs.length - model.logLimit)), logCount: model.logCount + 1}
}

/**
 * Output lines that arrived together (joined by `\n`): only the last `logLimit` are kept, so only those are cut
 * out of the text; the rest are counted.
 */
export function appendOutput(model: RunViewModel, stream: 'stdout' | 'stderr', ts: number, text: string): RunViewModel {
  const tail: RunLogLine[] = []
  let end = text.length
  while (tail.length < model.logLimit) {
    const nl = end > 0 ? text.lastIndexOf('\n', end - 1) : -1
    tail.push({ts, source: stream, text: text.slice(nl + 1, end)})
    if (nl < 0) break
    end = nl
  }
  let count = 1
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) count++
  const logs = [...model.logs, ...tail.reverse()]
  return {...model, logs: logs.slice(Math.max(0, logs.length - model.logLimit)), logCount: model.logCount + count}
}

/** A log message with its fields as key=value pairs. */
export function logText(msg: string, fields: Record<string, JsonValue> | undefined): string {
  if (!fields) return msg
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
  return pairs.length > 0 ? `${msg} ${pairs.join(' ')}` : msg
}
