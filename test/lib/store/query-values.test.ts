// `runs ls --where/--sort` over mixed data: the listing must be exactly the runs an in-memory reading of the same
// records gives (src/lib/query/evaluate.ts), in SQLite's order (nulls and missing keys last, numbers before text,
// a string "1" apart from the number 1, true/false as 1/0), however the store chooses to find them.
import {expect} from 'chai'
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {DatabaseSync} from 'node:sqlite'
import {evaluate, fieldValue} from '../../../src/lib/query/evaluate.ts'
import type {Field} from '../../../src/lib/query/fields.ts'
import {parseExpression, parseField} from '../../../src/lib/query/parse.ts'
import {MIGRATIONS} from '../../../src/lib/store/migrations.ts'
import {RunRecords, type RunQuery} from '../../../src/lib/store/runs.ts'
import {Db, type SqlValue} from '../../../src/lib/store/db.ts'
import {Store} from '../../../src/lib/store/store.ts'
import type {JsonValue, Run} from '../../../src/lib/types.ts'
import {plansOf} from '../../helpers/plans.ts'
import {tempDir} from '../../helpers/project.ts'

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648
    return s / 2_147_483_648
  }
}

const pick = <T>(r: () => number, xs: T[]): T => xs[Math.floor(r() * xs.length)]!
const MISSING = Symbol('missing')
const SCORES: (JsonValue | typeof MISSING)[] = [0, 1, 2, 3, 10, 11, 42, 1.5, -3.5, 2.25, '1', '10', '2', 'abc', 'Abc', '', true, false, null, MISSING, {a: 1}, [1, 2], 1e21, -0.001]

function mixedRecord(r: () => number, i: number): {params: Record<string, JsonValue>; results: Record<string, JsonValue>; created: number} {
  const params: Record<string, JsonValue> = {}
  const results: Record<string, JsonValue> = {}
  const score = pick(r, SCORES)
  if (score !== MISSING) results.score = score
  if (r() < 0.7) params.lr = pick(r, [0.1, 0.01, 0.001, 1, '0.1', 'fast', true, null])
  if (i % 97 === 0) results.loss = pick(r, [0.5, 0.25, 'x', null])
  if (r() < 0.5) params.model = pick(r, ['tree', 'linear', 'forest'])
  // many runs share a creation time: the uid breaks those ties
  return {params, results, created: 1_000_000 + Math.floor(i / 3) * 1000}
}

function uidOf(i: number): string {
  // not in creation order, as real uids are not
  return ((i * 2_654_435_761) % 4_294_967_296).toString(16).padStart(8, '0') + i.toString(16).padStart(8, '0') + 'c'.repeat(16)
}

function create(store: Store, i: number, rec: ReturnType<typeof mixedRecord>): string {
  const uid = uidOf(i)
  store.runs.create({
    uid, name: 'train', project: 'p', kind: 'node', function: 'train.ts', handler: null, state: 'running', labels: {}, params: rec.params,
    inputs: {}, declaredOutputs: [], outputs: {}, results: {}, error: null, exitCode: null, signal: null, pid: 1, host: 'h', codeHash: null,
    workflowId: null, step: null, created: rec.created, started: rec.created, ended: null,
  })
  return uid
}

/** SQLite's order of values: numbers (by value) before text (by bytes); null never reaches here. */
function sqliteOrder(a: number | string, b: number | string): number {
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1
  if (typeof a === 'number') return a < (b as number) ? -1 : a > (b as number) ? 1 : 0
  return Buffer.compare(Buffer.from(a), Buffer.from(b as string))
}

function sortValue(run: Run, field: Field): number | string | null {
  const v = fieldValue(run, field)
  if (v === undefined || v === null) return null
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'object') return JSON.stringify(v)
  return v
}

/** The expected listing, worked out in memory from every run's own record. */
function expected(all: Run[], q: {where?: string; sort?: string | undefined; limit: number}): string[] {
  const where = q.where ? parseExpression(q.where) : undefined
  const matches = all.filter((r) => !where || evaluate(where, r))
  const byTime = (a: Run, b: Run) => b.created - a.created || (a.uid < b.uid ? 1 : a.uid > b.uid ? -1 : 0)
  const sortField = q.sort ? parseField(q.sort.replace(/^-/, ''), '--sort') : undefined
  const desc = q.sort?.startsWith('-') ?? false
  const values = new Map(sortField ? matches.map((r) => [r.uid, sortValue(r, sortField)]) : [])
  matches.sort((a, b) => {
    if (!sortField) return byTime(a, b)
    const [x, y] = [values.get(a.uid)!, values.get(b.uid)!]
    if (x === null || y === null) return x === y ? byTime(a, b) : x === null ? 1 : -1
    const c = sqliteOrder(x, y)
    return (desc ? -c : c) || byTime(a, b)
  })
  return matches.slice(0, q.limit).map((r) => r.uid)
}

function listed(store: Store, q: {where?: string; sort?: string; limit: number}): string[] {
  const query: RunQuery = {limit: q.limit}
  if (q.where) query.where = parseExpression(q.where)
  if (q.sort) query.sort = {field: parseField(q.sort.replace(/^-/, ''), '--sort'), desc: q.sort.startsWith('-')}
  return store.runs.list(query).map((r) => r.uid)
}

const WHERES = [undefined, 'results.score > 10', 'results.score == "abc"', 'params.lr <= 0.1 and results.score > 0', 'results.score == -3.5',
  'not (results.score > 5)', 'results.score == null', 'results.score == true', 'params.lr == "0.1" or params.model == "tree"', 'results.score > 1e30',
  '10 <= results.score and params.model == "tree"', 'params.lr == 1 and not (params.model == "forest")', 'results.score == "{\\"a\\":1}"', '2 >= results.score']
const SORTS = [undefined, 'results.score', '-results.score', 'params.lr', '-params.lr', 'results.loss', '-results.loss', 'params.model', 'results.score.a']

/** Every --where with every --sort at each limit; `odd` runs are left out of the comparison. */
function checkAll(store: Store, limits: number[], odd: string[] = []): void {
  const all = store.runs.list({limit: 1_000_000}).filter((r) => !odd.includes(r.uid))
  for (const where of WHERES) for (const sort of SORTS) {
    const want = expected(all, {where, sort, limit: all.length})
    for (const limit of limits) {
      const got = listed(store, {where, sort, limit: limit + odd.length}).filter((u) => !odd.includes(u)).slice(0, limit)
      expect(got, `--where ${where} --sort ${sort} --limit ${limit}`).to.deep.equal(want.slice(0, limit))
    }
  }
}

describe('store: runs found and sorted by params and results on mixed data (query)', function () {
  this.timeout(120_000)
  let dir: string
  let store: Store

  before(() => {
    dir = tempDir()
    store = Store.open(dir, 'p')
    const r = random(13)
    store.db.tx(() => {
      for (let i = 0; i < 2000; i++) {
        const rec = mixedRecord(r, i)
        const uid = create(store, i, rec)
        // results arrive when a run ends, as the executor writes them; some runs end twice (a stale run marked, then
        // concluded), some with the same results again
        store.runs.finish(uid, {state: 'completed', results: i % 11 === 0 ? {stale: 1} : rec.results, outputs: {}, labels: {}, error: null, exitCode: 0, signal: null, ended: rec.created + 5})
        if (i % 11 === 0 || i % 13 === 0) store.runs.finish(uid, {state: 'completed', results: rec.results, outputs: {}, labels: {}, error: null, exitCode: 0, signal: null, ended: rec.created + 6})
      }
      // removed runs leave nothing behind to be found
      store.runs.delete([uidOf(5), uidOf(6), uidOf(700)])
    })
  })
  after(() => {
    store.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('lists exactly the runs and the order the records give, at every limit', () => {
    checkAll(store, [1, 21, 3000])
  })

  it('sorts by a result from its value index, and filters on a rare value from it, rather than reading every run', () => {
    const plans = plansOf(store.db, () => listed(store, {where: 'params.lr <= 0.1 and results.score > 0', sort: 'results.score', limit: 21}))
    expect(plans[0]!.join('\n')).to.match(/run_values\b/).and.not.match(/SCAN r\b/)
    const rare = plansOf(store.db, () => listed(store, {where: 'results.score == -3.5 and params.lr != null', limit: 21}))
    expect(rare[0]!.join('\n')).to.match(/run_values\b/).and.not.match(/SCAN r\b/)
    const desc = plansOf(store.db, () => listed(store, {sort: '-params.lr', limit: 21}))
    expect(desc[0]!.join('\n')).to.match(/run_values\b/).and.not.match(/SCAN r\b/)
  })

  it('holds the values of the runs there are, as they are now: none of a removed run, none of results replaced', () => {
    const rows = store.db.all<{map: string; key: string; value: SqlValue; uid: string}>('SELECT map, key, value, uid FROM run_values')
    const want: string[] = []
    for (const run of store.runs.list({limit: 1_000_000})) {
      for (const map of ['params', 'results'] as const) {
        for (const [key, value] of Object.entries(run[map])) if (value !== null) want.push(JSON.stringify([map, key, typeof value === 'object' ? JSON.stringify(value) : value === true ? 1 : value === false ? 0 : value, run.uid]))
      }
    }
    expect(rows.map((r) => JSON.stringify([r.map, r.key, r.value, r.uid])).sort()).to.deep.equal(want.sort())
    expect(rows.some((r) => r.uid === uidOf(5) || r.key === 'stale')).to.equal(false)
  })

  it('keeps a string "1" apart from the number 1 and true apart from "true"', () => {
    const all = store.runs.list({limit: 1_000_000})
    const one = listed(store, {where: 'results.score == 1', limit: 5000})
    expect(one.length).to.be.greaterThan(0)
    expect(one.every((u) => [1, true].includes(all.find((r) => r.uid === u)!.results.score as number | boolean))).to.equal(true)
    expect(listed(store, {where: 'results.score == "1"', limit: 5000}).every((u) => all.find((r) => r.uid === u)!.results.score === '1')).to.equal(true)
  })
})

describe('store: migration 14 (params and results as indexed values)', () => {
  it('fills the values of every run a store of the schema before it holds, and lists them as before', () => {
    const dir = tempDir()
    const raw = new DatabaseSync(join(dir, 'lode.db'))
    raw.exec('PRAGMA foreign_keys = ON')
    for (const sql of MIGRATIONS.slice(0, 13)) raw.exec(sql)
    raw.exec('PRAGMA user_version = 13')
    const insert = raw.prepare(`INSERT INTO runs (uid, name, project, kind, function, state, params, results, host, created) VALUES (?, 'n', 'p', 'node', 'f.ts', 'completed', ?, ?, 'h', ?)`)
    const r = random(7)
    raw.exec('BEGIN')
    for (let i = 0; i < 1200; i++) {
      const rec = mixedRecord(r, i)
      insert.run(uidOf(i), JSON.stringify(rec.params), JSON.stringify(rec.results), rec.created)
    }
    // a record not written by lode's own JSON.stringify: a key given twice (the first counts, as json_extract reads
    // it; JSON.parse would keep the last, so it is checked on its own) and params that are not an object
    insert.run('f'.repeat(32), '[1, 2]', '{"score": 5, "score": 7}', 5)
    raw.exec('COMMIT')
    raw.close()

    // read-only (another user's store) it is not migrated: the listing is the same, from the runs themselves
    const readOnly = new Db(join(dir, 'lode.db'), {readOnly: true})
    const before = new RunRecords(readOnly).list({where: parseExpression('results.score > 10'), sort: {field: parseField('results.score', '--sort'), desc: false}, limit: 50})
    readOnly.close()

    const store = Store.open(dir, 'p')
    try {
      expect(before.map((r) => r.uid)).to.deep.equal(listed(store, {where: 'results.score > 10', sort: 'results.score', limit: 50}))
      expect(Number(store.db.get<{user_version: number}>('PRAGMA user_version')!.user_version)).to.equal(MIGRATIONS.length)
      checkAll(store, [2000], ['f'.repeat(32)])
      expect(listed(store, {where: 'results.score == 5', sort: 'results.score', limit: 2000})).to.include('f'.repeat(32))
      expect(listed(store, {where: 'results.score == 7', limit: 2000})).to.not.include('f'.repeat(32))
    } finally {
      store.close()
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
