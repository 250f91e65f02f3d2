// Hyperparameter runs through the real `lode run`: (1) 32 iterations of a 0.5 s TypeScript handler two at a time
// against the ideal 8 s (issue 13: <= 1.15x), with 32 plain `node handler.ts` two at a time measured alongside;
// (2) lode's own cost per iteration: a sweep of 200 no-op iterations one at a time, per iteration, against `node -e 0`
// measured in the same run (target: <= node's start + 40 ms); (3) `runs compare --parent` over a sweep of 1,000
// iterations in a store of 100k runs against the same in a store of 1k (target: <= 2x).
// Run: node bench/hyper.ts [--only slow|noop|compare] [--count 100000]   (after npm run build)
import {spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../src/lib/project/project.ts'
import type {Store} from '../src/lib/store/store.ts'
import {BIN, median, report, timeInterleaved, tmp} from './lib.ts'

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined
const dir = tmp('lode-bench-hyper-')
Project.init(dir, {name: 'bench'})
writeFileSync(join(dir, 'slow.ts'), 'export async function handler() {\n  await new Promise((r) => setTimeout(r, 500))\n}\n')
writeFileSync(join(dir, 'sleep.ts'), 'await new Promise((r) => setTimeout(r, 500))\n')
writeFileSync(join(dir, 'noop.ts'), 'export function handler() {}\n')
const values = (n: number) => `i=[${Array.from({length: n}, (_, i) => i + 1).join(',')}]`

/** `n` commands, `parallel` at once: wall time in ms. */
async function pool(n: number, parallel: number, cmd: string, args: string[]): Promise<number> {
  const t0 = performance.now()
  let next = 0
  const worker = async () => {
    while (next < n) {
      next++
      await new Promise<void>((resolve, reject) => spawn(cmd, args, {cwd: dir, stdio: 'ignore'}).on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`)))))
    }
  }
  await Promise.all(Array.from({length: parallel}, worker))
  return performance.now() - t0
}

try {
  if (!only || only === 'slow') {
    const lode: number[] = []
    const plain: number[] = []
    for (let i = 0; i < 2; i++) {
      const [t] = timeInterleaved([{cmd: process.execPath, args: [BIN, 'run', 'slow.ts', '-x', values(32), '--parallel', '2'], cwd: dir}], {runs: 1, warmup: 0})
      lode.push(t!)
      plain.push(await pool(32, 2, process.execPath, ['sleep.ts']))
    }
    console.log(`32 plain node sleep.ts (0.5 s) two at a time: ${median(plain).toFixed(0)} ms (informative)`)
    report('32 x 0.5 s TS iterations, --parallel 2', median(lode), 8000, '<= 1.15x')
  }
  if (!only || only === 'noop') {
    const N = 200
    const [node, sweep] = timeInterleaved([
      {cmd: process.execPath, args: ['-e', '0']},
      {cmd: process.execPath, args: [BIN, 'run', 'noop.ts', '-x', values(N), '--parallel', '1'], cwd: dir},
    ], {runs: 2, warmup: 0})
    report(`lode's cost per no-op iteration (${N}, one at a time)`, sweep! / N, node!, '<= +40 ms')
  }
  if (!only || only === 'compare') {
    const arg = process.argv.includes('--count') ? process.argv[process.argv.indexOf('--count') + 1] : undefined
    const large = Number(arg ?? 100_000) || 100_000
    const [small, big] = [await sweepStore(1000), await sweepStore(large)]
    const args = (d: {dir: string; parent: string}) => ({cmd: process.execPath, args: [BIN, 'runs', 'compare', '--parent', d.parent, '--json'], cwd: d.dir})
    const [atSmall, atLarge] = timeInterleaved([args(small), args(big)], {runs: 5, warmup: 1})
    report(`runs compare --parent (1,000 iterations): ${large} / 1000 runs`, atLarge!, atSmall!, '<= 2x')
    for (const d of [small, big]) rmSync(d.dir, {recursive: true, force: true})
  }
} finally {
  rmSync(dir, {recursive: true, force: true})
}

/** A store of `count` runs, 1,000 of them the iterations of one sweep (records only, as a real sweep leaves them). */
async function sweepStore(count: number): Promise<{dir: string; parent: string}> {
  const d = tmp(`lode-bench-hyper-compare-${count}-`)
  Project.init(d, {name: 'bench'})
  const project = await Project.open(d)
  const parent = randomUUID().replaceAll('-', '')
  const add = (store: Store, j: number, iter: number | null) => {
    const created = Date.now() - 86_400_000 + j
    store.runs.create({
      uid: j === 0 ? parent : randomUUID().replaceAll('-', ''), name: 'train', project: 'bench', kind: 'node', function: 'train.ts', handler: 'train',
      state: 'completed', labels: {}, params: {lr: (j % 10) / 10, depth: j % 7}, inputs: {}, declaredOutputs: [], outputs: {}, results: {accuracy: (j % 1000) / 1000},
      error: null, exitCode: 0, signal: null, pid: 1, host: 'bench', codeHash: null, workflowId: null, step: null, parent: iter === null ? null : parent, iter,
      secrets: [], created, started: created, ended: created + 5,
    })
  }
  for (let i = 0; i < count; i += 10_000) project.store.db.tx(() => {
    for (let j = i; j < Math.min(count, i + 10_000); j++) add(project.store, j, j >= 1 && j <= 1000 ? j : null)
  })
  project.close()
  return {dir: d, parent}
}
