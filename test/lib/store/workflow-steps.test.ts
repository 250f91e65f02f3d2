// A workflow's steps are rows: recording one step writes the same few pages whether the workflow has 5 steps or
// 2,000 (it used to rewrite one JSON document of all of them), and a store made before that keeps every step.
import {expect} from 'chai'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {DatabaseSync} from 'node:sqlite'
import {Store} from '../../../src/lib/store/store.ts'
import {MIGRATIONS} from '../../../src/lib/store/migrations.ts'
import type {StepRecord} from '../../../src/lib/store/workflows.ts'
import {lode, tempDir} from '../../helpers/project.ts'

const step = (i: number, state: StepRecord['state'] = 'done'): StepRecord => ({
  state, run: `run${String(i).padStart(28, '0')}`, function: `/project/steps/step-${i}.ts#handler`, memoKey: `key-${i}`.padEnd(64, '0'),
  memo: {kind: 'node', codeHash: 'c'.repeat(64), handler: 'handler', params: {name: `s${i}`, n: i}, inputs: {x: 'a'.repeat(64)}, outputs: [`s${i}`]},
  outputs: {[`s${i}`]: `store://artifacts/p/s${i}@run${i}`}, error: null, started: 1_700_000_000_000 + i, ended: 1_700_000_000_100 + i,
})

const stepsOf = (n: number) => Object.fromEntries(Array.from({length: n}, (_, i) => [`s${i}`, step(i, 'waiting')]))

/** Pages the next transaction writes to the WAL, seen as the frames the log holds after an emptied one. */
function framesWritten(store: Store, write: () => void): number {
  store.db.raw.exec('PRAGMA wal_checkpoint(TRUNCATE)')
  write()
  const r = store.db.raw.prepare('PRAGMA wal_checkpoint(PASSIVE)').get() as {log: number}
  return Number(r.log)
}

describe('store: workflow steps as rows', () => {
  let dir: string
  let store: Store
  beforeEach(() => {
    dir = tempDir()
    store = Store.open(join(dir, '.lode'), 'p')
  })
  afterEach(() => {
    store.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('recording one step of a 2,000-step workflow writes no more pages than one of a 5-step workflow', () => {
    const small = store.workflows.create({id: 'a'.repeat(32), name: 'small', file: null, state: 'running', params: {}, steps: stepsOf(5), created: 1})
    const large = store.workflows.create({id: 'b'.repeat(32), name: 'large', file: null, state: 'running', params: {}, steps: stepsOf(2000), created: 2})
    const smallFrames = framesWritten(store, () => store.workflows.setStep(small.id, 's3', step(3)))
    const largeFrames = framesWritten(store, () => store.workflows.setStep(large.id, 's1500', step(1500)))
    expect(smallFrames).to.be.greaterThan(0)
    // the whole steps document of 2,000 steps is hundreds of pages; one row is a page or two, at any size
    expect(largeFrames).to.be.at.most(smallFrames + 2)
    const got = store.workflows.get(large.id)!
    expect(Object.keys(got.steps)).to.have.length(2000)
    expect(Object.keys(got.steps).slice(0, 3)).to.deep.equal(['s0', 's1', 's2'])
    expect(got.steps.s1500).to.deep.equal(step(1500))
    expect(got.steps.s1499).to.deep.equal(step(1499, 'waiting'))
  })

  it('keeps steps in the order first recorded; a step added later (a TypeScript workflow) comes last', () => {
    const w = store.workflows.create({id: 'c'.repeat(32), name: 'mod', file: null, state: 'running', params: {}, steps: {}, created: 1})
    for (const name of ['zeta', 'alpha', 'mid']) store.workflows.setStep(w.id, name, step(1, 'running'))
    store.workflows.setStep(w.id, 'alpha', step(2))
    expect(Object.keys(store.workflows.get(w.id)!.steps)).to.deep.equal(['zeta', 'alpha', 'mid'])
    expect(store.workflows.get(w.id)!.steps.alpha).to.deep.equal(step(2))
    // a workflow that is not recorded gets no orphan step
    store.workflows.setStep('d'.repeat(32), 'x', step(1))
    expect(store.db.get('SELECT COUNT(*) AS n FROM workflow_steps WHERE workflow_id = ?', 'd'.repeat(32))).to.deep.equal({n: 0})
  })

  it('moves the steps of a store made before steps were rows into rows, the same records in the same order', () => {
    store.close()
    const old = join(dir, 'old', '.lode')
    mkdirSync(old, {recursive: true})
    const db = new DatabaseSync(join(old, 'lode.db'))
    for (const sql of MIGRATIONS.slice(0, 7)) db.exec(sql)
    db.exec('PRAGMA user_version = 7')
    const steps = {train: step(1), ingest: step(0, 'cached'), report: {...step(2, 'failed'), memo: null, run: null, outputs: {}, error: 'boom'}}
    const insert = db.prepare('INSERT INTO workflows (id, name, file, state, params, steps, host, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    insert.run('e'.repeat(32), 'old', '/p/workflow.yaml', 'error', '{"n": 3}', JSON.stringify(steps), 'host', 10)
    insert.run('f'.repeat(32), 'old', '/p/workflow.yaml', 'completed', '{}', '{}', 'host', 5)
    db.close()

    store = Store.open(old, 'p')
    const w = store.workflows.get('e'.repeat(32))!
    expect(w.steps).to.deep.equal(steps)
    expect(Object.keys(w.steps)).to.deep.equal(['train', 'ingest', 'report'])
    expect(w.params).to.deep.equal({n: 3})
    expect(store.workflows.get('f'.repeat(32))!.steps).to.deep.equal({})
    expect(store.workflows.lastMemoOf('old', 'train')).to.deep.equal({workflow: 'e'.repeat(32), record: step(1)})
    expect(store.workflows.lastMemoOf('old', 'report')).to.equal(undefined)
    expect((store.db.all("SELECT name FROM pragma_table_info('workflows')") as {name: string}[]).map((c) => c.name)).to.not.include('steps')
  })

  it('`lode workflow get` and `ls` show a migrated workflow', function () {
    this.timeout(30_000)
    store.close()
    const project = join(dir, 'proj')
    mkdirSync(join(project, '.lode'), {recursive: true})
    const db = new DatabaseSync(join(project, '.lode', 'lode.db'))
    for (const sql of MIGRATIONS.slice(0, 7)) db.exec(sql)
    db.exec('PRAGMA user_version = 7')
    db.prepare('INSERT INTO workflows (id, name, file, state, params, steps, host, created, ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run('1'.repeat(32), 'legacy', null, 'completed', '{}', JSON.stringify({a: step(0), b: step(1, 'cached')}), 'host', Date.now() - 1000, Date.now())
    db.close()
    writeFileSync(join(project, 'lode.yaml'), 'name: p\n')
    const get = lode(['workflow', 'get', '1111', '--json'], {cwd: project})
    expect(get.code, get.stderr).to.equal(0)
    expect(JSON.parse(get.stdout).data.steps.map((s: {name: string; state: string}) => `${s.name}:${s.state}`)).to.deep.equal(['a:done', 'b:cached'])
    const ls = lode(['workflow', 'ls'], {cwd: project})
    expect(ls.stdout).to.contain('2 (1 done, 1 cached)')
    store = Store.open(join(dir, '.lode'), 'p')
  })
})
