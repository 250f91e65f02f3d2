import {expect} from 'chai'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {DatabaseSync} from 'node:sqlite'
import {Store} from '../../../src/lib/store/store.ts'
import {MIGRATIONS} from '../../../src/lib/store/migrations.ts'
import type {RunInput} from '../../../src/lib/types.ts'
import {newUid} from '../../../src/lib/util/hash.ts'
import {eachTempStore, tempDir} from '../../helpers/project.ts'

const T0 = Date.UTC(2026, 0, 1)

/**
 * Run `i` as `lode run` records it: created (labels team, stage; reading the version the run before logged), then
 * concluded with one artifact version.
 */
function record(store: Store, i: number, ownTransactions: boolean): string {
  const created = T0 + i * 250
  const uid = newUid(created)
  const sha = newUid() + newUid()
  const before = i > 0 ? store.artifacts.list({glob: `k${i - 1}`, limit: 1})[0] : undefined
  const inputs: Record<string, RunInput> = before
    ? {data: {key: 'data', url: before.key, path: '/x', sha256: before.sha256, size: 1, artifact: {id: before.id, key: before.key, kind: before.kind, uri: before.uri}}}
    : {}
  store.runs.create({
    uid, name: `train-${i % 7}`, project: 'p', kind: 'node', function: 'train.ts', handler: 'train', state: 'running', labels: {team: `t${i % 10}`, stage: 'x'},
    params: {epochs: i}, inputs, declaredOutputs: ['model'], outputs: {}, results: {}, error: null, exitCode: null, signal: null, pid: 1, host: 'h',
    codeHash: null, workflowId: null, step: null, secrets: [], created, started: created, ended: null,
  })
  const conclude = () => {
    const [v] = store.artifacts.insertMany([{key: `k${i}`, kind: 'artifact', iter: 0, sha256: sha, size: 1, format: 'txt', producer: uid, labels: {}, meta: null, objects: [sha]}], created + 5)
    store.runs.finish(uid, {state: 'completed', results: {}, outputs: {model: v!.uri}, labels: {team: `t${i % 10}`, stage: 'x'}, error: null, exitCode: 0, signal: null, ended: created + 5})
  }
  if (ownTransactions) store.db.tx(conclude)
  else conclude()
  return uid
}

/** Distinct pages of each b-tree in the WAL: what the next checkpoint writes into the database file. */
function walPagesByTree(store: Store): Map<string, number> {
  const wal = readFileSync(`${store.db.path}-wal`)
  const pageSize = wal.readUInt32BE(8)
  const pages = new Set<number>()
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) pages.add(wal.readUInt32BE(at))
  const owner = new Map((store.db.raw.prepare('SELECT name, pageno FROM dbstat').all() as {name: string; pageno: number}[]).map((r) => [Number(r.pageno), r.name]))
  const out = new Map<string, number>()
  for (const p of pages) {
    const tree = owner.get(p) ?? '(free)'
    out.set(tree, (out.get(tree) ?? 0) + 1)
  }
  return out
}

describe('store: creating records in a large store (issue 12)', () => {
  const t = eachTempStore()

  it('writes a few pages of each index keyed by run uid for 200 new records, not one page per record', function () {
    this.timeout(60_000)
    t.store.db.tx(() => {
      for (let i = 0; i < 4000; i++) record(t.store, i, false)
    })
    t.store.db.raw.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    t.store.db.raw.exec('PRAGMA wal_autocheckpoint = 0')
    for (let i = 4000; i < 4200; i++) record(t.store, i, true)
    const pages = walPagesByTree(t.store)
    // random uids: each of these b-trees (~50-100 pages at 4k runs) had most of its pages rewritten
    for (const tree of ['sqlite_autoindex_runs_1', 'run_labels', 'artifacts_producer']) {
      expect(pages.get(tree) ?? 0, tree).to.be.within(1, 12)
    }
    // nothing looks objects up by hash: that index is gone, and with it a page per version
    expect(pages.has('artifact_objects_sha')).to.equal(false)
    // inputs are looked up by hash only when they name no stored version: these did
    expect(pages.has('run_inputs_sha')).to.equal(false)
  })

  it('still finds the runs that read the bytes of a version as a plain file before it was logged', () => {
    const sha = 'ab'.repeat(32)
    const reader = newUid()
    t.store.runs.create({
      uid: reader, name: 'r', project: 'p', kind: 'exec', function: 'cat', handler: null, state: 'completed', labels: {}, params: {},
      inputs: {f: {key: 'f', url: 'f.txt', path: '/f.txt', sha256: sha, size: 1}}, declaredOutputs: [], outputs: {}, results: {}, error: null,
      exitCode: 0, signal: null, pid: 1, host: 'h', codeHash: null, workflowId: null, step: null, secrets: [], created: T0, started: T0, ended: T0,
    })
    const producer = record(t.store, 0, true)
    const id = t.store.db.tx(() => t.store.artifacts.insert({key: 'f', kind: 'artifact', iter: 0, sha256: sha, size: 1, format: '', producer, labels: {}, meta: null, objects: [sha]}))
    const second = record(t.store, 1, true) // reads k0 as a stored version
    expect(t.store.runs.consumersOf(id, sha).map((c) => c.uid)).to.deep.equal([reader])
    const k0 = t.store.artifacts.resolve({key: 'k0'})
    expect(t.store.runs.consumersOf(k0.id, k0.sha256).map((c) => c.uid)).to.deep.equal([second])
  })

  it('makes uids of 32 lowercase hex digits whose first 8 still tell runs made at the same moment apart', () => {
    const at = Date.now()
    const ids = Array.from({length: 1000}, () => newUid(at))
    for (const id of ids) expect(id).to.match(/^[0-9a-f]{32}$/)
    expect(new Set(ids).size).to.equal(1000)
    // 5 random digits in the short form: a handful of collisions among 1000 at most, as with fully random ids at 100k
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).to.be.above(990)
    // a second later the uid sorts after (the prefix cycles: 4096 s, aligned so that no wrap falls in between)
    const t = Math.floor(at / 4_096_000) * 4_096_000 + 1000
    expect(newUid(t) < newUid(t + 1000)).to.equal(true)
    expect(newUid(t + 4_096_000).slice(0, 3)).to.equal(newUid(t).slice(0, 3))
  })

  it('opens a store of schema 14 (random uids, objects indexed by hash) and keeps working with both kinds of uid', () => {
    t.store.close()
    rmSync(t.dir, {recursive: true, force: true})
    t.dir = tempDir()
    const raw = new DatabaseSync(join(t.dir, 'lode.db'))
    raw.exec('PRAGMA foreign_keys = ON')
    for (const sql of MIGRATIONS.slice(0, 14)) raw.exec(sql)
    raw.exec('PRAGMA user_version = 14')
    // what the older lode recorded: random uids, each run's version and the object it references
    const old = ['c0ffee00'.padEnd(32, '1'), '3f9a0c1e'.padEnd(32, '7')]
    old.forEach((uid, i) => {
      raw.prepare(`INSERT INTO runs (uid, name, project, kind, function, state, labels, host, created) VALUES (?, 'n', 'p', 'node', 'f.ts', 'completed', '{"team":"t1"}', 'h', ?)`).run(uid, T0 - 1000 + i)
      raw.prepare(`INSERT INTO run_labels (uid, key, value, created) VALUES (?, 'team', 't1', ?)`).run(uid, T0 - 1000 + i)
      const id = Number(raw.prepare(`INSERT INTO artifacts (key, kind, version, sha256, size, producer, created) VALUES ('model', 'artifact', ?, ?, 1, ?, 0)`).run(i + 1, `${i}`.repeat(64), uid).lastInsertRowid)
      raw.prepare('INSERT INTO artifact_objects (artifact_id, sha256) VALUES (?, ?)').run(id, `${i}`.repeat(64))
      raw.prepare(`INSERT OR REPLACE INTO tags (key, tag, artifact_id) VALUES ('model', 'latest', ?)`).run(id)
    })
    raw.exec(`INSERT INTO key_versions (key, last) VALUES ('model', 2)`)
    raw.prepare(`INSERT INTO run_inputs (run_uid, key, artifact_id, sha256, url) VALUES (?, 'f', NULL, ?, 'f.txt')`).run(old[1]!, '0'.repeat(64))
    expect(raw.prepare(`SELECT name FROM sqlite_master WHERE name = 'artifact_objects_sha'`).get()).to.not.equal(undefined)
    raw.close()

    t.store = Store.open(t.dir, 'p')
    expect(Number(t.store.db.get<{user_version: number}>('PRAGMA user_version')!.user_version)).to.equal(MIGRATIONS.length)
    expect(t.store.db.get(`SELECT name FROM sqlite_master WHERE name = 'artifact_objects_sha'`)).to.equal(undefined)
    const fresh = record(t.store, 3, true)
    expect(t.store.runs.resolve('3f9a0c').uid).to.equal(old[1])
    expect(t.store.runs.resolve(fresh.slice(0, 8)).uid).to.equal(fresh)
    expect(t.store.runs.list().map((r) => r.uid)).to.deep.equal([fresh, old[1], old[0]])
    expect(t.store.runs.list({labels: {team: 't1'}}).map((r) => r.uid)).to.deep.equal([old[1], old[0]])
    expect(t.store.artifacts.resolve({key: 'model'}).producer).to.equal(old[1])
    expect(t.store.runs.consumersOf(t.store.artifacts.resolve({key: 'model', tag: 'v1'}).id, '0'.repeat(64)).map((c) => c.uid)).to.deep.equal([old[1]])
    expect([...t.store.artifacts.referencedObjects()].sort()).to.deep.equal(['0'.repeat(64), '1'.repeat(64), t.store.artifacts.resolve({key: 'k3'}).sha256].sort())
    t.store.db.tx(() => t.store.artifacts.deleteVersions([t.store.artifacts.resolve({key: 'model'}).id]))
    expect(t.store.artifacts.referencedObjects().has('1'.repeat(64))).to.equal(false)
    expect(t.store.artifacts.resolve({key: 'model'}).producer).to.equal(old[0])
  })
})
