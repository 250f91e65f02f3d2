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

interface Timing {
  /** median wall time, ms */
  wall: number
  /** median CPU time of this process (all polars threads included), ms */
  cpu: number
}

async function median(fn: () => Promise<unknown> | unknown): Promise<Timing> {
  await fn() // warm-up
  const walls: number[] = []
  const cpus: number[] = []
  for (let i = 0; i < REPEATS; i++) {
    const cpu = process.cpuUsage()
    const start = performance.now()
    await fn()
    walls.push(performance.now() - start)
    const used = process.cpuUsage(cpu)
    cpus.push((used.user + used.system) / 1000)
  }
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
  return {wall: mid(walls), cpu: mid(cpus)}
}

const dir = mkdtempSync(join(tmpdir(), 'lode-bench-dataset-'))
try {
  const df = buildFrame()
  const file = join(dir, 'data.parquet')
  const show = (label: string, t: Timing, note = '') =>
    console.log(`${label.padEnd(27)}${t.wall.toFixed(1).padStart(8)} ms  ${(t.wall / write.wall).toFixed(2).padStart(5)}x   cpu ${t.cpu.toFixed(1).padStart(7)} ms  ${(t.cpu / write.cpu).toFixed(2).padStart(5)}x${note}`)

  const write = await median(() => df.writeParquet(file))
  const describeOnly = await median(() => describeFrame(df))
  const hashOnly = await median(() => sha256File(file))
  // What logging a frame does: write it, describe it, hash the written file.
  const sequential = await median(async () => {
    df.writeParquet(file)
    describeFrame(df)
    await sha256File(file)
  })
  // The same with the statistics on polars' thread pool while the frame is written and hashed.
  const overlapped = await median(async () => {
    const describing = describeFrameAsync(df)
    df.writeParquet(file)
    await Promise.all([describing, sha256File(file)])
  })

  console.log(`frame ${ROWS.toLocaleString('en')} x ${df.width} (8 float, 1 int, 1 string); medians of ${REPEATS}; ratios against writeParquet`)
  show('writeParquet alone', write)
  show('describeFrame alone', describeOnly, '   (target <= 0.5x)')
  show('sha256 of the file alone', hashOnly)
  show('log: write, describe, hash', sequential)
  show('log: overlapped', overlapped, '   (describe on the polars pool)')
  const ratio = sequential.wall / write.wall
  console.log(`logDataset/writeParquet = ${ratio.toFixed(2)}x (target <= ${TARGET}x)${ratio <= TARGET ? '' : '  MISSED'}`)
} finally {
  rmSync(dir, {recursive: true, force: true})
}
