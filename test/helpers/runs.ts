// Run records written straight into a real store, for tests of finding, comparing and deleting runs.
import type {Store} from '../../src/lib/store/store.ts'
import type {JsonValue, Run, RunState} from '../../src/lib/types.ts'

let seq = 0

export function addRun(store: Store, r: {name?: string; state?: RunState; params?: Record<string, JsonValue>; results?: Record<string, JsonValue>;
  labels?: Record<string, string>; created?: number; inputs?: Run['inputs']; outputs?: Record<string, JsonValue>; pid?: number | null}): string {
  seq++
  const uid = (0xb0000000 + seq).toString(16) + Math.random().toString(16).slice(2, 10).padEnd(8, '0') + 'e'.repeat(16)
  const created = r.created ?? Date.now() - 1000 + seq
  store.runs.create({
    uid, name: r.name ?? 'train', project: 'p', kind: 'node', function: 'train.ts', handler: null, state: r.state ?? 'completed', labels: r.labels ?? {},
    params: r.params ?? {}, inputs: r.inputs ?? {}, declaredOutputs: [], outputs: r.outputs ?? {}, results: r.results ?? {}, error: null, exitCode: 0,
    signal: null, pid: r.pid === undefined ? 1 : r.pid, host: 'h', codeHash: null, workflowId: null, step: null, created, started: created, ended: created + 500,
  })
  return uid
}
