// Logging a 1,000,000 x 10 dataset against nodejs-polars writeParquet alone (target: at most 1.5x).
// Run: node bench/dataset.ts   (Node 24 strips the types; only erasable syntax here)
import {createHash} from 'node:crypto'
import {createReadStream, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import pl from 'nodejs-polars'
import {describeFrame, describeFrameAsync} from '../src/lib/artifacts/dataset.ts'

const ROWS = 1_000_000
const REPEATS = 5
const TARGET = 1.5

/** A small seeded generator (mulberry32), so every run builds the same frame. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function buildFrame(): pl.DataFrame {
  const random = seeded(42)
  const columns: Record<string, Float64Array | Int32Array | string[]> = {}
  for (let c = 0; c < 8; c++) {
    const values = new Float64Array(ROWS)
    for (let i = 0; i < ROWS; i++) values[i] = (random() - 0.5) * 100 * (c + 1) + c
    columns[`f${c}`] = values
  }
  const ints = new Int32Array(ROWS)
  for (let i = 0; i < ROWS; i++) ints[i] = Math.floor(random() * 10_000)
  columns.id = ints
  const labels = ['setosa', 'versicolor', 'virginica', 'unknown', 'other']
  columns.label = Array.from({length: ROWS}, () => labels[Math.floor(random() * labels.length)] ?? 'other')
  return pl.DataFrame(columns)
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, {highWaterMark: 1 << 20})) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

async function median(fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn() // warm-up
  const times: number[] = []
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] ?? Number.NaN
}

const dir = mkdtempSync(join(tmpdir(), 'lode-bench-dataset-'))
try {
  const df = buildFrame()
  const file = join(dir, 'data.parquet')
  const ms = (n: number) => `${n.toFixed(1)} ms`

  const write = await median(() => df.writeParquet(file))
  const describeOnly = await median(() => describeFrame(df))
  const hashOnly = await median(() => sha256File(file))
  // What lode does to log a frame: write it, then hash the file while polars computes the statistics.
  const logDataset = await median(async () => {
    df.writeParquet(file)
    await Promise.all([describeFrameAsync(df), sha256File(file)])
  })
  const sequential = await median(async () => {
    df.writeParquet(file)
    describeFrame(df)
    await sha256File(file)
  })

  console.log(`frame                      ${ROWS.toLocaleString('en')} x ${df.width} (8 float, 1 int, 1 string)`)
  console.log(`writeParquet alone         ${ms(write)}   (median of ${REPEATS})`)
  console.log(`describeFrame alone        ${ms(describeOnly)}   (${(describeOnly / write).toFixed(2)}x writeParquet)`)
  console.log(`sha256 of the file alone   ${ms(hashOnly)}   (${(hashOnly / write).toFixed(2)}x writeParquet)`)
  console.log(`log, one step after other  ${ms(sequential)}   (${(sequential / write).toFixed(2)}x writeParquet)`)
  console.log(`log, hash during describe  ${ms(logDataset)}`)
  const ratio = logDataset / write
  console.log(`logDataset/writeParquet = ${ratio.toFixed(2)}x (target <= ${TARGET}x)${ratio <= TARGET ? '' : '  MISSED'}`)
} finally {
  rmSync(dir, {recursive: true, force: true})
}
