// logDataset of a 1,000,000 x 10 frame against nodejs-polars writeParquet alone (target: at most 1.5x).
// Run: node bench/dataset.ts   (after npm run build; Node 24 strips the types, only erasable syntax here)
//
// The ratio that counts is the path users take, inside a real run: a handler builds the frame, then times
// `df.writeParquet(file)` (a new file each time, as logDataset writes) and `await ctx.logDataset(key, df)`
// alternately, each log under its own key so that every one is stored (a key logged twice in a run keeps only the
// last). lode stores the logged files after the handler returns (hash, move into the store, commit): that time,
// from the handler's last line to the versions' `ingested` events, divided by the versions stored (counted in the
// store), is added to logDataset's median. The pieces are also measured in this process for context: the
// statistics alone and the sha256 of the file.
import {createHash} from 'node:crypto'
import {createReadStream, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import pl from 'nodejs-polars'
import {describeFrameAsync} from '../src/lib/artifacts/dataset.ts'
import {Project} from '../src/lib/project/project.ts'
import {report, timeAsync, tmp} from './lib.ts'

const ROWS = 1_000_000
const REPEATS = 7
const TARGET = 1.5

/** The frame: 8 float columns, 1 integer, 1 string, from a seeded generator (mulberry32). */
const FRAME_SOURCE = `
function seeded(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
export function buildFrame(pl, rows) {
  const random = seeded(42)
  const columns = {}
  for (let c = 0; c < 8; c++) {
    const values = new Float64Array(rows)
    for (let i = 0; i < rows; i++) values[i] = (random() - 0.5) * 100 * (c + 1) + c
    columns['f' + c] = values
  }
  const ints = new Int32Array(rows)
  for (let i = 0; i < rows; i++) ints[i] = Math.floor(random() * 10_000)
  columns.id = ints
  const labels = ['setosa', 'versicolor', 'virginica', 'unknown', 'other']
  columns.label = Array.from({length: rows}, () => labels[Math.floor(random() * labels.length)])
  return pl.DataFrame(columns)
}
`

const HANDLER = `
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import pl from 'nodejs-polars'
import {buildFrame} from './frame.js'

const mid = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]

export async function bench(ctx, {rows, repeats, scratch}) {
  const df = buildFrame(pl, rows)
  const file = join(scratch, 'alone.parquet')
  const write = []
  const log = []
  for (let i = 0; i <= repeats; i++) {
    let t0 = performance.now()
    df.writeParquet(file)
    const w = performance.now() - t0
    rmSync(file)
    t0 = performance.now()
    await ctx.logDataset('frame-' + i, df)
    const l = performance.now() - t0
    if (i > 0) { write.push(w); log.push(l) } else ctx.logResults({first_write_ms: w, first_log_ms: l})
  }
  ctx.logResults({write_ms: mid(write), log_ms: mid(log), handler_end: Date.now()})
}
`

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, {highWaterMark: 1 << 20})) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

const dir = tmp('lode-bench-dataset-')
try {
  Project.init(dir, {name: 'bench'})
  writeFileSync(join(dir, 'frame.js'), FRAME_SOURCE)
  writeFileSync(join(dir, 'bench.js'), HANDLER)
  const project = await Project.open(dir)
  const t0 = performance.now()
  let ingestedAt = 0
  const run = await project.run('bench.js', {handler: 'bench', params: {rows: ROWS, repeats: REPEATS, scratch: dir},
    onEvent: (e) => { if (e.t === 'ingested' && !ingestedAt) ingestedAt = e.ts }})
  const total = performance.now() - t0
  if (run.state !== 'completed') throw new Error(`the benchmark run failed: ${JSON.stringify(run.error)}`)
  const write = Number(run.results.write_ms)
  const log = Number(run.results.log_ms)
  const stored = project.store.artifacts.allIds().filter((a) => a.key.startsWith('frame-')).length
  if (stored !== REPEATS + 1) throw new Error(`expected ${REPEATS + 1} stored versions, the store has ${stored}`)
  if (!ingestedAt) throw new Error('the run stored its datasets without an ingested event')
  const storing = (ingestedAt - Number(run.results.handler_end)) / stored
  project.close()

  // the pieces, in this process
  const {buildFrame} = (await import(join(dir, 'frame.js'))) as {buildFrame: (p: typeof pl, rows: number) => pl.DataFrame}
  const df = buildFrame(pl, ROWS)
  const file = join(dir, 'piece.parquet')
  df.writeParquet(file)
  const writeHere = await timeAsync(() => df.writeParquet(file), REPEATS)
  const describe = await timeAsync(() => describeFrameAsync(df), REPEATS)
  const hash = await timeAsync(() => sha256File(file), REPEATS)

  const row = (label: string, ms: number, base: number, note = '') =>
    console.log(`${label.padEnd(50)}${ms.toFixed(1).padStart(8)} ms  ${(ms / base).toFixed(2).padStart(5)}x${note}`)
  console.log(`frame ${ROWS.toLocaleString('en')} x 10 (8 float, 1 int, 1 string); medians of ${REPEATS}`)
  console.log('in a real run (the handler, then lode storing what it logged):')
  row('  writeParquet alone', write, write)
  row('  ctx.logDataset (parquet, statistics)', log, write)
  row('  lode storing one version (hash, move, commit)', storing, write)
  // the first call of a run also loads lode's dataset code and starts polars' streaming engine
  row('  first call of each: writeParquet', Number(run.results.first_write_ms), Number(run.results.first_write_ms))
  row('  first call of each: ctx.logDataset', Number(run.results.first_log_ms), Number(run.results.first_write_ms))
  console.log('the pieces, in this process (ratios against writeParquet here):')
  row('  writeParquet alone', writeHere, writeHere)
  row('  statistics alone (describeFrameAsync)', describe, writeHere)
  row('  sha256 of the file', hash, writeHere)
  console.log(`whole run: ${(total / 1000).toFixed(1)} s (frame built, ${REPEATS + 1} writes and logs, ${stored} versions stored)`)
  report('logDataset + storing it / writeParquet', log + storing, write, `<= ${TARGET}x`)
} finally {
  rmSync(dir, {recursive: true, force: true})
}
