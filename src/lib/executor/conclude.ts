// The end of a run: ingest what was logged, then commit versions, outputs, results, warnings and state together.
import {rm} from '../util/fs.ts'
import {resolve} from 'node:path'
import {ingestArtifact, latestPerKey, sharedPaths, type EarlyWork} from '../artifacts/ingest.ts'
import type {NewVersion} from '../store/artifacts.ts'
import type {Store} from '../store/store.ts'
import type {PendingFolders} from '../store/objects.ts'
import type {ArtifactEvent, ArtifactVersion, JsonValue, Run, RunError, RunState} from '../types.ts'
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
  received.early?.stop()
  await received.early?.settle()
  // a file `lode log artifact` could not copy was refused to the command, which said so: it is not logged (and the
  // run says why, for an event written by hand that no command waited on)
  const logged = received.artifacts.filter((e) => {
    const taken = e.ack === undefined ? undefined : received.early?.taken(e.ack)
    if (taken instanceof Error) received.warn(`${taken.message} It was not logged.`)
    return !(taken instanceof Error)
  })
  // a hyperparameter iteration's artifacts carry its number (KEY#3)
  const events = run.iter === null ? logged : logged.map((e) => ({...e, iter: e.iter ?? run.iter!}))
  const {versions, ingestErrors} = await ingestAll(store, latestPerKey(events), run.uid, o.stagingDir, received.early)
  if (ingestErrors.length && state === 'completed') {
    state = 'error'
    error = {message: received.mask(`could not store artifact(s): ${ingestErrors.join('; ')}`), exitCode, signal: null}
  }
  const loggedKeys = new Set([...Object.keys(received.results), ...versions.map((v) => v.key)])
  const missing = o.declaredOutputs.filter((k) => !loggedKeys.has(k))
  if (missing.length && state === 'completed') {
    state = 'error'
    error = {message: `declared output${missing.length > 1 ? 's' : ''} not logged: ${missing.join(', ')} (logged: ${[...loggedKeys].join(', ') || 'nothing'})`, exitCode, signal: null}
  }
  const ended = Date.now()
  const outputs: Record<string, JsonValue> = Object.assign(Object.create(null) as Record<string, JsonValue>, received.results)
  const stored = store.db.tx(() => {
    for (const v of versions) store.objects.restoreMissing(v.objects, v.spares ?? {})
    const out = store.artifacts.insertMany(versions, ended, {moveLatest: state === 'completed'})
    for (const v of out) outputs[v.key] = v.uri
    store.runs.finish(run.uid, {state, results: received.results, outputs, labels: received.labels, error, exitCode, signal, ended, warnings: received.warnings})
    return out
  })
  // spares outside the staging area (copies of user files) are not needed once the versions are committed
  await Promise.all(versions.flatMap((v) => Object.values(v.spares ?? {})).map((p) => rm(p, {force: true})))
  return {versions: stored, state, error}
}

/** How many artifacts are stored at once: their hashing, fsyncs and renames overlap. */
const INGEST_CONCURRENCY = 8

/**
 * Store every logged artifact, a few at a time, keeping the order they were logged in; then fsync each folder that
 * gained objects once, so the commit that follows references only bytes and names already on disk.
 */
async function ingestAll(store: Store, events: ArtifactEvent[], producer: string, stagingDir: string, early?: EarlyWork): Promise<{versions: NewVersion[]; ingestErrors: string[]}> {
  const pending: PendingFolders = new Set()
  const done: ({version: NewVersion} | {error: string})[] = new Array(events.length)
  const shared = sharedPaths(events)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < events.length; i = next++) {
      const e = events[i]!
      try {
        done[i] = {version: await ingestArtifact(store, e, producer, stagingDir, pending, early, {copy: shared.has(resolve(e.path))})}
      } catch (err) {
        done[i] = {error: `${e.key}: ${(err as Error).message}`}
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(INGEST_CONCURRENCY, events.length)}, worker))
  await store.objects.syncFolders(pending)
  return {versions: done.flatMap((d) => ('version' in d ? [d.version] : [])), ingestErrors: done.flatMap((d) => ('error' in d ? [d.error] : []))}
}
