// Listings and record creation at 100k records: `lode artifacts ls`, `lode runs ls` and `lode runs ls --label K=V`
// (plain and --json) over a store of 100k runs and artifact keys, against the same commands over a store of 100, run
// interleaved; and the cost of creating 1k records (a run created, then concluded with one artifact version, each in
// its own transaction as the executor does) when the store is new against when it already holds 100k (medians of 5 rounds, interleaved);
// and 100k records made one by one from a new store against ten times the first 10k (the "linear").
// Run: node bench/listings.ts [--count 100000] [--only records]   (or LODE_BENCH_RECORDS; after npm run build)
import {randomUUID} from 'node:crypto'
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../src/lib/project/project.ts'
import type {NewVersion} from '../src/lib/store/artifacts.ts'
import type {Store} from '../src/lib/store/store.ts'
import {newUid} from '../src/lib/util/hash.ts'
import {BIN, median, report, timeInterleaved, tmp} from './lib.ts'

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined
const arg = process.argv.includes('--count') ? process.argv[process.argv.indexOf('--count') + 1] : undefined
const LARGE = Number(arg ?? process.env.LODE_BENCH_RECORDS ?? 100_000) || 100_000
const SMALL = 100
const BATCH = 1000
const T0 = Date.now() - 10 * 86_400_000

/** Record `i`: a run (labels team=t0..t9) that logged key k<i> and, every 10th, a new version of k<i - 5>. */
function record(store: Store, i: number, tx: boolean): void {
  const created = T0 + i * 10
  const uid = newUid(created) // as the executor makes it, at the record's (simulated) time
  const run = {
    uid, name: `train-${i % 7}`, project: 'bench', kind: 'node' as const, function: 'train.ts', handler: 'train', state: 'running' as const,
    labels: {team: `t${i % 10}`, stage: 'bench'}, params: {lr: 0.1, epochs: i}, inputs: {}, declaredOutputs: ['model'], outputs: {}, results: {},
    error: null, exitCode: null, signal: null, pid: 1, host: 'bench', codeHash: null, workflowId: null, step: null, secrets: [], created, started: created, ended: null,
  }
  const keys = i % 10 === 9 && i >= 5 ? [`k${i}`, `k${i - 5}`] : [`k${i}`]
  const versions: NewVersion[] = keys.map((key) => {
    const sha = randomUUID().replaceAll('-', '').repeat(2)
    return {key, kind: 'artifact', iter: 0, sha256: sha, size: 100, format: 'txt', producer: uid, labels: {}, meta: null, objects: [sha]}
  })
  const conclude = () => {
    const out = store.artifacts.insertMany(versions, created + 5, {moveLatest: true})
    store.runs.finish(uid, {state: 'completed', results: {accuracy: 0.9}, outputs: Object.fromEntries(out.map((v) => [v.key, v.uri])), labels: run.labels, error: null, exitCode: 0, signal: null, ended: created + 5})
  }
  if (tx) {
    store.runs.create(run) // its own transaction
    store.db.tx(conclude)
  } else {
    store.runs.create(run)
    conclude()
  }
}

/** Records from..to-1 in transactions of 10k (a fast build; the per-record work is the executor's). */
function bulk(store: Store, from: number, to: number): void {
  for (let i = from; i < to; i += 10_000) store.db.tx(() => {
    for (let j = i; j < Math.min(to, i + 10_000); j++) record(store, j, false)
  })
}

/** ms (wall, and CPU) for records from..from+BATCH-1, each run in its own transactions, as `lode run` makes them. */
function timedBatch(store: Store, from: number, what: string): number {
  const t = performance.now()
  const cpu = process.cpuUsage()
  for (let i = from; i < from + BATCH; i++) record(store, i, true)
  const ms = performance.now() - t
  const used = process.cpuUsage(cpu)
  console.log(`  1k records ${what}: ${ms.toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU`)
  return ms
}

async function newStore(prefix: string): Promise<{dir: string; project: Project}> {
  const dir = tmp(prefix)
  Project.init(dir, {name: 'bench'})
  return {dir, project: await Project.open(dir)}
}

const small = await newStore('lode-bench-listings-small-')
bulk(small.project.store, 0, SMALL)
small.project.close()

// The batches are timed in rounds (a new store, one of MID, one of LARGE, and again), medians compared, so that a
// loaded machine slows each alike; the large store holds LARGE records once its batches are in.
const ROUNDS = 5
const MID = Math.min(10_000, LARGE / 10)
const large = await newStore('lode-bench-listings-large-')
const mid = await newStore('lode-bench-listings-mid-')
let t = performance.now()
bulk(large.project.store, 0, LARGE - ROUNDS * BATCH)
bulk(mid.project.store, 0, MID)
const built = performance.now() - t
const times: [number[], number[], number[]] = [[], [], []]
for (let r = 0; r < ROUNDS; r++) {
  const fresh = await newStore('lode-bench-listings-new-')
  times[0].push(timedBatch(fresh.project.store, 0, 'at 0'))
  fresh.project.close()
  rmSync(fresh.dir, {recursive: true, force: true})
  times[1].push(timedBatch(mid.project.store, MID + r * BATCH, `at ${MID + r * BATCH}`))
  times[2].push(timedBatch(large.project.store, LARGE - (ROUNDS - r) * BATCH, `at ${LARGE - (ROUNDS - r) * BATCH}`))
}
large.project.close()
mid.project.close()
rmSync(mid.dir, {recursive: true, force: true})
const [first, atMid, last] = times.map(median) as [number, number, number]
console.log(`Node ${process.version}; ${LARGE - ROUNDS * BATCH} + ${MID} records built in transactions of 10k in ${(built / 1000).toFixed(1)} s; medians of ${ROUNDS} rounds:`)
report(`1k records at ${LARGE} / 1k records at 0`, last, first, '<= 1.2x')
report(`1k records at ${LARGE} / 1k records at ${MID}`, last, atMid, 'informative')

// The issue's own measure: all of the records made one by one, as `lode run` makes them, from a new store (10k took
// 4.6 s and 100k 92 s, 20x); linear is 10x, and the row compares 100k against ten times 10k.
{
  const store = await newStore('lode-bench-listings-linear-')
  const t0 = performance.now()
  let tenth = 0
  for (let i = 0; i < LARGE; i++) {
    record(store.project.store, i, true)
    if (i + 1 === LARGE / 10) tenth = performance.now() - t0
  }
  const all = performance.now() - t0
  store.project.close()
  rmSync(store.dir, {recursive: true, force: true})
  report(`${LARGE} records one by one / 10 x ${LARGE / 10}`, all, 10 * tenth, '<= 1.2x')
}

if (only !== 'records') {
  const node = process.execPath
  const commands: [string, string[]][] = [
    ['artifacts ls', ['artifacts', 'ls']],
    ['runs ls', ['runs', 'ls']],
    ['runs ls --label team=t3', ['runs', 'ls', '--label', 'team=t3']],
    ['runs ls --label team=t3 --json', ['runs', 'ls', '--label', 'team=t3', '--json']],
  ]
  const specs = [{cmd: node, args: ['-e', '0']}, ...commands.flatMap(([, args]) => [
    {cmd: node, args: [BIN, ...args], cwd: small.dir},
    {cmd: node, args: [BIN, ...args], cwd: large.dir},
  ])]
  t = performance.now()
  const medians = timeInterleaved(specs, {runs: 11})
  const [node0] = medians as [number]
  console.log(`medians of 11 interleaved runs (${((performance.now() - t) / 1000).toFixed(0)} s); node -e 0: ${node0.toFixed(1)} ms`)
  commands.forEach(([label], j) => {
    const [atSmall, atLarge] = [medians[1 + 2 * j]!, medians[2 + 2 * j]!]
    report(`${label}: ${LARGE} / ${SMALL}`, atLarge, atSmall, '<= 1.2x')
    report(`${label} at ${LARGE} / node -e 0`, atLarge, node0, 'informative')
  })
}
if (!process.env.LODE_BENCH_KEEP) for (const d of [small.dir, large.dir]) rmSync(d, {recursive: true, force: true})
else console.log(`kept: ${small.dir} ${large.dir}`)
