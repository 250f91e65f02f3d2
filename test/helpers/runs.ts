import {createHash} from 'node:crypto'
// Run records written straight into a real store, for tests of finding, comparing and deleting runs.
import type {Store} from '../../src/lib/store/store.ts'
import type {JsonValue, Run, RunState} from '../../src/lib/types.ts'

let seq = 0

export function addRun(store: Store, r: {name?: string; state?: RunState; params?: Record<string, JsonValue>; results?: Record<string, JsonValue>;
  labels?: Record<string, string>; created?: number; inputs?: Run['inputs']; outputs?: Record<string, JsonValue>; pid?: number | null; parent?: string; iter?: number}): string {
  seq++
  const uid = (0xb0000000 + seq).toString(16) + Math.random().toString(16).slice(2, 10).padEnd(8, '0') + 'e'.repeat(16)
  const created = r.created ?? Date.now() - 1000 + seq
  store.runs.create({
    uid, name: r.name ?? 'train', project: 'p', kind: 'node', function: 'train.ts', handler: null, state: r.state ?? 'completed', labels: r.labels ?? {},
    params: r.params ?? {}, inputs: r.inputs ?? {}, declaredOutputs: [], outputs: r.outputs ?? {}, results: r.results ?? {}, error: null, exitCode: 0,
    signal: null, pid: r.pid === undefined ? 1 : r.pid, host: 'h', codeHash: null, workflowId: null, step: null, parent: r.parent ?? null, iter: r.iter ?? null, created, started: created, ended: created + 500,
  })
  return uid
}

/** A version of `key` logged by run `producer`, its bytes named by `content` (records only; objects are not written). */
export function addVersion(store: Store, key: string, producer: string, content: string): number {
  const sha = createHash('sha256').update(content).digest('hex')
  return store.db.tx(() => store.artifacts.insert({key, kind: 'artifact', iter: 0, sha256: sha, size: content.length, format: '', producer, labels: {}, meta: null, objects: [sha]}, Date.now(), {moveLatest: true}))
}
