// The end of a run: ingest what was logged, then commit versions, outputs, results, warnings and state together.
import {rm} from 'node:fs/promises'
import {ingestArtifact, latestPerKey} from '../artifacts/ingest.ts'
import type {NewVersion} from '../store/artifacts.ts'
import type {Store} from '../store/store.ts'
import type {ArtifactVersion, JsonValue, Run, RunError, RunState} from '../types.ts'
import type {Received} from './receive.ts'

export interface Outcome {
  state: RunState
  error: RunError | null
}

/**
 * Ingest whatever was logged, whatever the outcome (nothing logged before a failure is lost), then commit. Only a
 * completed run moves `latest`: a failed or aborted run's versions stay addressable by version and by run.
 */
export async function concludeRun(store: Store, run: Run, exitCode: number | null, signal: string | null, outcome: Outcome, received: Received, o: {stagingDir: string; declaredOutputs: string[]}): Promise<{versions: ArtifactVersion[]} & Outcome> {
  let {state, error} = outcome
  if (received.unreadable > 0) {
    const lost = `${received.unreadable} event line${received.unreadable > 1 ? 's were' : ' was'} not JSON (torn by writers that interleaved, or not an event): what ${received.unreadable > 1 ? 'they' : 'it'} carried is lost`
    if (state === 'completed') {
      state = 'error'
      error = {message: lost, exitCode, signal: null}
    } else {
      received.warn(lost)
    }
  }
  const versions: NewVersion[] = []
  const ingestErrors: string[] = []
  for (const e of latestPerKey(received.artifacts)) {
    try {
      versions.push(await ingestArtifact(store, e, run.uid, o.stagingDir))
    } catch (err) {
      ingestErrors.push(`${e.key}: ${(err as Error).message}`)
    }
  }
  if (ingestErrors.length && state === 'completed') {
    state = 'error'
    error = {message: `could not store artifact(s): ${ingestErrors.join('; ')}`, exitCode, signal: null}
  }
  const logged = new Set([...Object.keys(received.results), ...versions.map((v) => v.key)])
  const missing = o.declaredOutputs.filter((k) => !logged.has(k))
  if (missing.length && state === 'completed') {
    state = 'error'
    error = {message: `declared output${missing.length > 1 ? 's' : ''} not logged: ${missing.join(', ')} (logged: ${[...logged].join(', ') || 'nothing'})`, exitCode, signal: null}
  }
  const ended = Date.now()
  const outputs: Record<string, JsonValue> = Object.assign(Object.create(null) as Record<string, JsonValue>, received.results)
  const stored = store.db.tx(() => {
    for (const v of versions) store.objects.restoreMissing(v.objects, v.spares ?? {})
    const out = versions.map((v) => store.artifacts.get(store.artifacts.insert(v, ended, {moveLatest: state === 'completed'}))!)
    for (const v of out) outputs[v.key] = v.uri
    store.runs.finish(run.uid, {state, results: received.results, outputs, labels: received.labels, error, exitCode, signal, ended, warnings: received.warnings})
    return out
  })
  // spares outside the staging area (copies of user files) are not needed once the versions are committed
  await Promise.all(versions.flatMap((v) => Object.values(v.spares ?? {})).map((p) => rm(p, {force: true})))
  return {versions: stored, state, error}
}
