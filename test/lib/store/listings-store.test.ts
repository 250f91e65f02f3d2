import {expect} from 'chai'
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {DatabaseSync} from 'node:sqlite'
import {Store} from '../../../src/lib/store/store.ts'
import {MIGRATIONS} from '../../../src/lib/store/migrations.ts'
import {plansOf} from '../../helpers/plans.ts'
import {eachTempStore, tempDir} from '../../helpers/project.ts'

const MIGRATION_9 = MIGRATIONS.findIndex((sql) => /run_labels_9/.test(sql))

function newRun(store: Store, i: number, labels: Record<string, string>, state: 'running' | 'completed' = 'completed') {
  const uid = (0xa0000000 + i).toString(16) + 'f'.repeat(24)
  store.runs.create({
    uid, name: `r${i % 3}`, project: 'p', kind: 'node', function: 'f.ts', handler: null, state, labels, params: {}, inputs: {}, declaredOutputs: [],
    outputs: {}, results: {}, error: null, exitCode: 0, signal: null, pid: 1, host: 'h', codeHash: null, workflowId: null, step: null, created: 1_000_000 + i * 1000,
    started: null, ended: null,
  })
  return uid
}

function logVersion(store: Store, key: string, producer: string) {
  const sha = key.replace(/\W/g, '').padEnd(64, '0').slice(0, 64)
  return store.db.tx(() => store.artifacts.insert({key, kind: 'artifact', iter: 0, sha256: sha, size: 1, format: '', producer, labels: {}, meta: null, objects: [sha]}))
}

describe('store: listings at scale (issue 12)', () => {
  const t = eachTempStore()

  it('lists the latest version of each key from the tag index, newest first, without sorting every key', () => {
    t.store.db.tx(() => {
      for (let i = 0; i < 300; i++) logVersion(t.store, `k${i % 120}`, newRun(t.store, i, {}))
    })
    const plans = plansOf(t.store.db, () => t.store.artifacts.list({limit: 51}))
    expect(plans[0]!.join('\n')).to.contain('tags_tag').and.not.contain('TEMP B-TREE')
    const listed = t.store.artifacts.list({limit: 200})
    expect(listed).to.have.length(120)
    expect(listed.map((v) => v.id)).to.deep.equal([...listed.map((v) => v.id)].sort((a, b) => b - a))
    expect(listed.every((v) => v.tags.includes('latest'))).to.equal(true)
    expect(listed[0]).to.include({key: 'k59', version: 3})
  })

  it('lists runs with a label newest first from the label index, without sorting every match', () => {
    t.store.db.tx(() => {
      for (let i = 0; i < 200; i++) newRun(t.store, i, {team: `t${i % 4}`, stage: i % 2 ? 'odd' : 'even'}, i % 5 ? 'completed' : 'running')
    })
    const plans = plansOf(t.store.db, () => t.store.runs.list({labels: {team: 't1'}, limit: 21}))
    expect(plans[0]!.join('\n')).to.contain('run_labels_kv').and.not.contain('TEMP B-TREE')
    const t1 = t.store.runs.list({labels: {team: 't1'}, limit: 1000})
    expect(t1).to.have.length(50)
    expect(t1.map((r) => r.created)).to.deep.equal([...t1.map((r) => r.created)].sort((a, b) => b - a))
    expect(t1.every((r) => r.labels.team === 't1')).to.equal(true)
    // a second label and other filters narrow the same walk
    const both = t.store.runs.list({labels: {team: 't2', stage: 'even'}, state: 'running', limit: 1000})
    expect(both.map((r) => r.uid)).to.deep.equal(t.store.runs.list({limit: 1000}).filter((r) => r.labels.team === 't2' && r.labels.stage === 'even' && r.state === 'running').map((r) => r.uid))
    expect(both.length).to.be.greaterThan(0)
  })

  it('keeps a run listed under the labels it ended with, in its place by creation time', () => {
    const [a, b] = t.store.db.tx(() => [newRun(t.store, 1, {team: 'x'}, 'running'), newRun(t.store, 2, {team: 'x'}, 'running')])
    t.store.db.tx(() => t.store.runs.finish(a!, {state: 'completed', results: {}, outputs: {}, labels: {team: 'y', extra: '1'}, error: null, exitCode: 0, signal: null, ended: 5}))
    expect(t.store.runs.list({labels: {team: 'x'}}).map((r) => r.uid)).to.deep.equal([b])
    expect(t.store.runs.list({labels: {team: 'y', extra: '1'}}).map((r) => r.uid)).to.deep.equal([a])
    newRun(t.store, 0, {team: 'y'})
    expect(t.store.runs.list({labels: {team: 'y'}}).map((r) => r.created)).to.deep.equal([1_001_000, 1_000_000])
  })
})

describe('store: migration 9 (label rows with their run time, tables without rowids)', () => {
  it('carries a store of the schema before it over with every label, tag, object reference and version number', () => {
    const dir = tempDir()
    const path = join(dir, 'lode.db')
    const raw = new DatabaseSync(path)
    raw.exec('PRAGMA foreign_keys = ON')
    for (const sql of MIGRATIONS.slice(0, MIGRATION_9)) raw.exec(sql)
    raw.exec(`PRAGMA user_version = ${MIGRATION_9}`)
    const run = raw.prepare(`INSERT INTO runs (uid, name, project, kind, function, state, labels, host, created) VALUES (?, 'n', 'p', 'node', 'f.ts', 'completed', ?, 'h', ?)`)
    const label = raw.prepare('INSERT INTO run_labels (uid, key, value) VALUES (?, ?, ?)')
    const version = raw.prepare(`INSERT INTO artifacts (key, kind, version, sha256, size, producer, created) VALUES (?, 'artifact', ?, ?, 1, ?, 0)`)
    for (let i = 0; i < 6; i++) {
      const uid = `${i}`.repeat(32)
      run.run(uid, JSON.stringify({team: `t${i % 2}`}), 1000 * i)
      label.run(uid, 'team', `t${i % 2}`)
      const id = Number(version.run('model', i + 1, `${i}`.repeat(64), uid).lastInsertRowid)
      raw.prepare('INSERT INTO artifact_objects (artifact_id, sha256) VALUES (?, ?)').run(id, `${i}`.repeat(64))
      raw.prepare(`INSERT OR REPLACE INTO tags (key, tag, artifact_id) VALUES ('model', 'latest', ?)`).run(id)
      if (i === 2) raw.prepare(`INSERT INTO tags (key, tag, artifact_id) VALUES ('model', 'prod', ?)`).run(id)
    }
    raw.exec(`INSERT INTO key_versions (key, last) VALUES ('model', 6)`)
    raw.close()

    const store = Store.open(dir, 'p')
    try {
      expect(Number(store.db.get<{user_version: number}>('PRAGMA user_version')!.user_version)).to.equal(MIGRATIONS.length)
      expect(store.runs.list({labels: {team: 't1'}}).map((r) => r.created)).to.deep.equal([5000, 3000, 1000])
      expect(store.artifacts.resolve({key: 'model'}).version).to.equal(6)
      expect(store.artifacts.resolve({key: 'model', tag: 'prod'}).version).to.equal(3)
      expect(store.artifacts.objectsOf(store.artifacts.resolve({key: 'model', tag: 'v4'}).id)).to.deep.equal(['3'.repeat(64)])
      expect(store.artifacts.referencedObjects().size).to.equal(6)
      expect(store.db.tx(() => store.artifacts.insert({key: 'model', kind: 'artifact', iter: 0, sha256: 'f'.repeat(64), size: 1, format: '', producer: null, labels: {}, meta: null, objects: ['f'.repeat(64)]}))).to.be.a('number')
      expect(store.artifacts.resolve({key: 'model'}).version).to.equal(7)
      // removing a version still removes its tags and object references with it
      store.db.tx(() => store.artifacts.deleteVersions([store.artifacts.resolve({key: 'model', tag: 'prod'}).id]))
      expect(store.artifacts.referencedObjects().has('2'.repeat(64))).to.equal(false)
      expect(store.artifacts.userTaggedIds().size).to.equal(0)
    } finally {
      store.close()
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
