// lode workflows against Snakemake, side by side, on the same DAGs (each step sleeps 1 s and writes a small file):
//   the diamond a -> (b, c) -> d -> e with 2 slots: first run (target <= 1.0x Snakemake), no-op rerun (<= 0.5x);
//   four independent steps with 2 slots (target: close to 2 s).
// Run: node bench/workflow.ts   (needs a built dist/ and snakemake on PATH; Node 24 strips the types)
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const LODE = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const SNAKEMAKE = process.env.SNAKEMAKE ?? 'snakemake'
const NOOP_REPEATS = 7

interface Dag {
  name: string
  /** step -> the steps it reads */
  steps: Record<string, string[]>
}

const DIAMOND: Dag = {name: 'diamond', steps: {a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: ['d']}}
const FOUR: Dag = {name: 'four', steps: {p: [], q: [], r: [], s: []}}

const STEP_TS = `// One bench step: sleep 1 s, then write a small file (its inputs' contents plus its own name).
export async function step(ctx: any, args: Record<string, any>) {
  await new Promise((resolve) => setTimeout(resolve, 1000))
  let text = ''
  for (const key of Object.keys(ctx.inputs).sort()) text += await ctx.inputs[key].getText()
  await ctx.logArtifact(args.name, {body: text + args.name + '\\n'})
}
`

function lodeProject(dag: Dag): string {
  const dir = mkdtempSync(join(tmpdir(), `bench-wf-lode-${dag.name}-`))
  writeFileSync(join(dir, 'lode.yaml'), `name: bench-${dag.name}\n`)
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n')
  writeFileSync(join(dir, 'step.ts'), STEP_TS)
  let yaml = `name: ${dag.name}\nsteps:\n`
  for (const [name, deps] of Object.entries(dag.steps)) {
    yaml += `  ${name}:\n    function: step.ts#step\n    params: {name: ${name}}\n    outputs: [${name}]\n`
    if (deps.length) yaml += `    inputs: {${deps.map((d) => `${d}: "{{ steps.${d}.outputs.${d} }}"`).join(', ')}}\n`
  }
  writeFileSync(join(dir, 'workflow.yaml'), yaml)
  return dir
}

function snakemakeProject(dag: Dag): string {
  const dir = mkdtempSync(join(tmpdir(), `bench-wf-smk-${dag.name}-`))
  const names = Object.keys(dag.steps)
  const sinks = names.filter((n) => !Object.values(dag.steps).some((deps) => deps.includes(n)))
  let text = `rule all:\n    input: [${sinks.map((s) => `"${s}.txt"`).join(', ')}]\n\n`
  for (const [name, deps] of Object.entries(dag.steps)) {
    text += `rule ${name}:\n`
    if (deps.length) text += `    input: [${deps.map((d) => `"${d}.txt"`).join(', ')}]\n`
    text += `    output: "${name}.txt"\n`
    text += `    shell: "sleep 1; ${deps.length ? 'cat {input} > {output}; ' : ''}echo ${name} >> {output}"\n\n`
  }
  writeFileSync(join(dir, 'Snakefile'), text)
  return dir
}

function timed(command: string, args: string[], cwd: string): number {
  const start = process.hrtime.bigint()
  const r = spawnSync(command, args, {cwd, encoding: 'utf8', env: {...process.env, CI: '1', NO_COLOR: '1'}})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`)
  return ms
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const runLode = (dir: string) => timed(process.execPath, [LODE, 'workflow', 'run', 'workflow.yaml', '--parallel', '2'], dir)
const runSnakemake = (dir: string) => timed(SNAKEMAKE, ['-c2', '--quiet'], dir)

function measure(dag: Dag): {lodeFirst: number; smkFirst: number; lodeNoop: number; smkNoop: number} {
  const lodeDir = lodeProject(dag)
  const smkDir = snakemakeProject(dag)
  try {
    const smkFirst = runSnakemake(smkDir)
    const lodeFirst = runLode(lodeDir)
    const smkNoop: number[] = []
    const lodeNoop: number[] = []
    for (let i = 0; i < NOOP_REPEATS; i++) {
      smkNoop.push(runSnakemake(smkDir))
      lodeNoop.push(runLode(lodeDir))
    }
    return {lodeFirst, smkFirst, lodeNoop: median(lodeNoop), smkNoop: median(smkNoop)}
  } finally {
    rmSync(lodeDir, {recursive: true, force: true})
    rmSync(smkDir, {recursive: true, force: true})
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const verdict = (ok: boolean) => {
  if (!ok) process.exitCode = 1
  return ok ? 'PASS' : 'MISS'
}

// The baseline is Snakemake: without it there is nothing to compare with, which is not a missed target.
if (spawnSync(SNAKEMAKE, ['--version']).status !== 0) {
  console.log(`SKIP: no ${SNAKEMAKE} on PATH, the baseline of this bench (apt-get install snakemake)`)
  process.exit(0)
}
const version = execFileSync(SNAKEMAKE, ['--version'], {encoding: 'utf8'}).trim()
console.log(`lode workflow vs Snakemake ${version}, 2 slots (-c2 / --parallel 2), every step sleeps 1 s; no-op: median of ${NOOP_REPEATS}`)
const diamond = measure(DIAMOND)
const four = measure(FOUR)
const rows: [string, number, number, number, boolean][] = [
  ['diamond, first run', diamond.lodeFirst, diamond.smkFirst, 1.0, diamond.lodeFirst <= diamond.smkFirst],
  ['diamond, no-op rerun', diamond.lodeNoop, diamond.smkNoop, 0.5, diamond.lodeNoop <= diamond.smkNoop * 0.5],
  ['four independent steps, first run', four.lodeFirst, four.smkFirst, NaN, four.lodeFirst <= 3000],
]
console.log(`${'case'.padEnd(36)}${'lode'.padStart(9)}${'snakemake'.padStart(11)}${'ratio'.padStart(8)}  target`)
for (const [name, lode, smk, target, ok] of rows) {
  const goal = Number.isNaN(target) ? 'close to 2 s, not 4' : `<= ${target.toFixed(1)}x`
  console.log(`${name.padEnd(36)}${s(lode).padStart(9)}${s(smk).padStart(11)}${`${(lode / smk).toFixed(2)}x`.padStart(8)}  ${goal} ${verdict(ok)}`)
}
