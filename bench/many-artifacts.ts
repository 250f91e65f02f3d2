// Many small artifacts in one run: the cost per artifact must not grow with their number (linear time), and the
// total is shown against a plain script that writes, hashes and fsyncs the same number of small files.
// Run: node bench/many-artifacts.ts [--count 20000]   (or LODE_BENCH_ARTIFACTS=100000; after npm run build)
import {createHash} from 'node:crypto'
import {closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../src/lib/project/project.ts'
import {median, report, tmp} from './lib.ts'

const arg = process.argv.includes('--count') ? process.argv[process.argv.indexOf('--count') + 1] : undefined
const count = Number(arg ?? process.env.LODE_BENCH_ARTIFACTS ?? 20_000) || 20_000
const small = Math.max(1, Math.round(count / 10))

/** The same work without lode: each small file written, hashed, fsynced, and its folder fsynced once at the end. */
function plainScript(n: number): number {
  const dir = tmp('lode-bench-plain-')
  const t0 = performance.now()
  for (let i = 0; i < n; i++) {
    const body = `artifact ${i}\n`
    createHash('sha256').update(body).digest('hex')
    const fd = openSync(join(dir, `a${i}.txt`), 'w')
    writeSync(fd, body)
    fsyncSync(fd)
    closeSync(fd)
  }
  const fd = openSync(dir, 'r')
  fsyncSync(fd)
  closeSync(fd)
  const ms = performance.now() - t0
  rmSync(dir, {recursive: true, force: true})
  return ms
}

/** One run that logs `n` small artifacts (each a body the SDK stages); wall time of the whole run. */
async function lodeRun(n: number): Promise<number> {
  const dir = tmp('lode-bench-many-')
  Project.init(dir, {name: 'bench'})
  const project = await Project.open(dir)
  writeFileSync(join(dir, 'many.ts'), `
    export async function handler(ctx, {n}) {
      for (let i = 0; i < n; i++) await ctx.logArtifact(\`a\${i}\`, {body: \`artifact \${i}\\n\`})
    }`)
  mkdirSync(join(dir, 'out'), {recursive: true})
  const t0 = performance.now()
  const run = await project.run('many.ts', {params: {n}})
  const ms = performance.now() - t0
  if (run.state !== 'completed') throw new Error(JSON.stringify(run.error))
  const stored = project.store.artifacts.list({glob: 'a*', limit: n + 1}).length
  if (n && stored !== n) throw new Error(`expected ${n} artifacts, found ${stored}`)
  project.close()
  rmSync(dir, {recursive: true, force: true})
  return ms
}

// a run that logs nothing: what every run costs, left out of the cost per artifact (the short runs: medians of 3)
const none = median([await lodeRun(0), await lodeRun(0), await lodeRun(0)])
const few = median([await lodeRun(small), await lodeRun(small), await lodeRun(small)])
const many = await lodeRun(count)
const plain = plainScript(count)
const each = (ms: number, n: number) => (ms - none) / n
console.log(`${count} small artifacts in one run: ${(many / 1000).toFixed(1)} s (${each(many, count).toFixed(3)} ms each); ${small}: ${(few / 1000).toFixed(1)} s (${each(few, small).toFixed(3)} ms each); a run logging nothing: ${none.toFixed(0)} ms`)
report(`per artifact at ${count} / at ${small}`, each(many, count), each(few, small), '<= 1.3x')
report(`${count} artifacts in one run / plain write+sha256+fsync`, many, plain, 'informative')
