// A run's label rows are written when it is created and rewritten when it finishes only if its labels changed
// (record creation in a large store, issue 12): either way a label listing finds the run by the labels it ended with.
import {expect} from 'chai'
import {eachTempStore} from '../../helpers/project.ts'

describe('store/runs: label rows when a run finishes', () => {
  const t = eachTempStore()

  function run(uid: string, labels: Record<string, string>, created: number): void {
    t.store.runs.create({
      uid, name: 'r', project: 'p', kind: 'node', function: 'f.ts', handler: null, state: 'running', labels, params: {}, inputs: {}, declaredOutputs: [],
      outputs: {}, results: {}, error: null, exitCode: null, signal: null, pid: 1, host: 'h', codeHash: null, workflowId: null, step: null, created, started: created, ended: null,
    })
  }
  const finish = (uid: string, labels: Record<string, string>) =>
    t.store.db.tx(() => t.store.runs.finish(uid, {state: 'completed', results: {}, outputs: {}, labels, error: null, exitCode: 0, signal: null, ended: Date.now()}))
  const rows = (uid: string) => t.store.db.all<{key: string; value: string; created: number}>('SELECT key, value, created FROM run_labels WHERE uid = ? ORDER BY key', uid)
  const uids = (labels: Record<string, string>) => t.store.runs.list({labels}).map((r) => r.uid)

  it('keeps the rows of labels that did not change, and replaces those of labels that did', () => {
    run('a'.repeat(32), {team: 't1', stage: 'dev'}, 1_000)
    run('b'.repeat(32), {team: 't1', stage: 'dev'}, 2_000)
    finish('a'.repeat(32), {team: 't1', stage: 'dev'})
    finish('b'.repeat(32), {team: 't2', stage: 'dev', extra: 'yes'})
    expect(rows('a'.repeat(32))).to.deep.equal([{key: 'stage', value: 'dev', created: 1_000}, {key: 'team', value: 't1', created: 1_000}])
    expect(rows('b'.repeat(32))).to.deep.equal([{key: 'extra', value: 'yes', created: 2_000}, {key: 'stage', value: 'dev', created: 2_000}, {key: 'team', value: 't2', created: 2_000}])
    expect(uids({team: 't1'})).to.deep.equal(['a'.repeat(32)])
    expect(uids({team: 't2', extra: 'yes'})).to.deep.equal(['b'.repeat(32)])
    expect(uids({stage: 'dev'})).to.deep.equal(['b'.repeat(32), 'a'.repeat(32)])
  })

  it('rewrites the rows when a label was removed, or the same labels come in another order', () => {
    run('c'.repeat(32), {team: 't1', stage: 'dev'}, 3_000)
    finish('c'.repeat(32), {stage: 'prod'})
    expect(rows('c'.repeat(32))).to.deep.equal([{key: 'stage', value: 'prod', created: 3_000}])
    expect(uids({team: 't1'})).to.deep.equal([])
    run('d'.repeat(32), {team: 't1', stage: 'dev'}, 4_000)
    finish('d'.repeat(32), {stage: 'dev', team: 't1'})
    expect(rows('d'.repeat(32))).to.deep.equal([{key: 'stage', value: 'dev', created: 4_000}, {key: 'team', value: 't1', created: 4_000}])
    expect(t.store.runs.get('d'.repeat(32))!.labels).to.deep.equal({stage: 'dev', team: 't1'})
  })
})
