// Events and records shared by the view tests.

import type {ArtifactVersion, Run, RunEvent} from '../../../src/lib/types.ts'

export const UID = '1a2b3c4d5e6f7a8b9c0d'
/** 12:03:04 local time, so clock strings are predictable in any time zone */
export const T0 = new Date(2026, 0, 15, 12, 3, 4).getTime()

export function artifactVersion(overrides: Partial<ArtifactVersion> = {}): ArtifactVersion {
  return {
    id: 1, key: 'model', kind: 'model', version: 1, iter: 0, sha256: 'ab'.repeat(32), size: 1_234_567,
    format: 'json', producer: UID, created: T0 + 2000, labels: {}, tags: ['latest'],
    uri: `store://models/demo/model#0@${UID}`, ...overrides,
  }
}

export function runRecord(overrides: Partial<Run> = {}): Run {
  return {
    uid: UID, name: 'train', project: 'demo', kind: 'node', function: 'train.ts', handler: 'train',
    state: 'completed', labels: {}, params: {}, inputs: {}, declaredOutputs: [], outputs: {},
    results: {accuracy: 0.97}, error: null, exitCode: 0, signal: null, pid: 42, host: 'box',
    codeHash: null, workflowId: null, step: null, parent: null, iter: null, created: T0, started: T0, ended: T0 + 3200, warnings: [], ...overrides,
  }
}

/** A run that reports progress, a result, a staged and ingested model, and some logs, then completes. */
export function completedRunEvents(): RunEvent[] {
  return [
    {t: 'state', ts: T0, run: UID, state: 'running'},
    {t: 'log', ts: T0 + 100, run: UID, level: 'info', msg: 'loaded', fields: {rows: 100}},
    {t: 'progress', ts: T0 + 1000, run: UID, fraction: 0.5, message: 'training'},
    {t: 'output', ts: T0 + 1100, run: UID, stream: 'stdout', line: 'epoch 1 done'},
    {t: 'result', ts: T0 + 2000, run: UID, key: 'accuracy', value: 0.97},
    {t: 'artifact', ts: T0 + 2000, run: UID, key: 'model', kind: 'model', path: '/tmp/x/model'},
    {t: 'ingested', ts: T0 + 3000, run: UID, artifact: artifactVersion()},
    {t: 'state', ts: T0 + 3200, run: UID, state: 'completed'},
  ]
}

// eslint-disable-next-line no-control-regex
export const ESCAPE = /\u001B/

export function stripAnsi(text: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (text ?? '').replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '')
}
