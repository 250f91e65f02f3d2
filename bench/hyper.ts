// Hyperparameter runs through the real `lode run`: (1) 32 iterations of a 0.5 s TypeScript handler two at a time
// against the ideal 8 s (issue 13: <= 1.15x), with 32 plain `node handler.ts` two at a time measured alongside;
// (2) lode's own cost per iteration: a sweep of 200 no-op iterations one at a time, per iteration, against `node -e 0`
// measured in the same run (target: <= node's start + 40 ms).
// Run: node bench/hyper.ts [--only slow|noop]   (after npm run build)
import {spawn} from 'node:child_process'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../src/lib/project/project.ts'
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
} finally {
  rmSync(dir, {recursive: true, force: true})
}
