// Workflows of many tiny steps, lode against Snakemake on the same DAGs, 2 slots (`--parallel 2` / `-c2`):
//   a chain of 50 steps, first run                        target <= 1.0x Snakemake
//   200 independent steps + a join, first run             target <= 1.0x Snakemake
//   1,000 independent steps, no-op rerun (all cached)     target <= 0.3x Snakemake
// each with TypeScript steps and with shell steps. A step writes a few bytes: its inputs' contents and its name.
// lode's TS step is a handler (ctx.logArtifact); Snakemake's runs the same work as `node step.ts` (Node strips the
// types), so both pay one Node start per step. lode's shell step is a .sh file that logs its file with one line of
// the documented fd-3 protocol; Snakemake's is the same shell line. Snakemake gets one wildcard rule per DAG, what a
// user writes for hundreds of steps (and faster for it to parse than hundreds of rules).
// Runs are interleaved (lode, snakemake, lode, ...): a first run starts from an empty store / no outputs each time.
// Run: node bench/workflow-scale.ts [--only chain50,fan200,wide1000] [--kind ts,shell] [--runs N]
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {BIN, report, timeInterleaved, tmp, type CommandSpec} from './lib.ts'

const SNAKEMAKE = process.env.SNAKEMAKE ?? 'snakemake'

type Kind = 'ts' | 'shell'

interface Dag {
  name: string
  /** step i -> the steps it reads */
  deps: number[][]
}

const chain = (n: number): Dag => ({name: `chain${n}`, deps: Array.from({length: n}, (_, i) => (i === 0 ? [] : [i - 1]))})
const fanIn = (n: number): Dag => ({name: `fan${n}`, deps: [...Array.from({length: n}, () => []), Array.from({length: n}, (_, i) => i)]})
const wide = (n: number): Dag => ({name: `wide${n}`, deps: Array.from({length: n}, () => [])})

const STEP_TS = `// One bench step: write its inputs' contents and its name.
export async function step(ctx: any, args: Record<string, any>) {
  let text = ''
  for (const key of Object.keys(ctx.inputs).sort()) text += await ctx.inputs[key].getText()
  await ctx.logArtifact(args.name, {body: text + args.name + '\\n'})
}
`

const STEP_SH = `# One bench step: write its inputs' contents and its name, and log the file with one line on the event pipe.
out="$LODE_OUTPUT_DIR/$LODE_PARAM_NAME.txt"
for v in $(env | sed -n 's/^\\(LODE_INPUT_[A-Za-z0-9_]*\\)=.*/\\1/p' | sort); do eval cat "\\"\\$$v\\""; done > "$out"
echo "$LODE_PARAM_NAME" >> "$out"
printf '{"t":"artifact","key":"%s","kind":"artifact","path":"%s"}\\n' "$LODE_PARAM_NAME" "$out" >&3
`

// The Snakemake side of a TS step: the same work as a plain Node script.
const STEP_NODE = `import {appendFileSync, readFileSync, writeFileSync} from 'node:fs'
const [out, name, ...inputs] = process.argv.slice(2) as string[]
writeFileSync(out!, inputs.map((f) => readFileSync(f, 'utf8')).join(''))
appendFileSync(out!, name + '\\n')
`

const stepName = (i: number) => `s${i}`

function lodeProject(dag: Dag, kind: Kind): string {
  const dir = tmp(`bench-wfs-lode-${dag.name}-${kind}-`)
  writeFileSync(join(dir, 'lode.yaml'), `name: bench-${dag.name}\n`)
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n')
  writeFileSync(join(dir, 'step.ts'), STEP_TS)
  writeFileSync(join(dir, 'step.sh'), STEP_SH)
  const fn = kind === 'ts' ? 'step.ts#step' : 'step.sh'
  let yaml = `name: ${dag.name}\nsteps:\n`
  dag.deps.forEach((deps, i) => {
    const name = stepName(i)
    yaml += `  ${name}:\n    function: ${fn}\n    params: {name: ${name}}\n    outputs: [${name}]\n`
    if (deps.length) yaml += `    inputs: {${deps.map((d) => `${stepName(d)}: "{{ steps.${stepName(d)}.outputs.${stepName(d)} }}"`).join(', ')}}\n`
  })
  writeFileSync(join(dir, 'workflow.yaml'), yaml)
  return dir
}

function snakemakeProject(dag: Dag, kind: Kind): string {
  const dir = tmp(`bench-wfs-smk-${dag.name}-${kind}-`)
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n')
  writeFileSync(join(dir, 'step.ts'), STEP_NODE)
  const deps = JSON.stringify(dag.deps)
  const sinks = dag.deps.map((_, i) => i).filter((i) => !dag.deps.some((d) => d.includes(i)))
  const work = kind === 'ts'
    ? 'node step.ts {output} {wildcards.i} {input}'
    : 'cat {input} /dev/null > {output}; echo {wildcards.i} >> {output}'
  writeFileSync(join(dir, 'Snakefile'), `DEPS = ${deps}
rule all:
    input: [${sinks.map((i) => `"out/${stepName(i)}.txt"`).join(', ')}]

rule step:
    input: lambda w: [f"out/s{d}.txt" for d in DEPS[int(w.i[1:])]]
    output: "out/{i}.txt"
    wildcard_constraints: i = "s[0-9]+"
    shell: "${work}"
`)
  return dir
}

/** Back to a project that never ran: lode's store gone, or Snakemake's outputs and its .snakemake folder. */
function clean(dir: string): void {
  for (const name of readdirSync(dir)) if (name === '.lode' || name === '.snakemake' || name === 'out') rmSync(join(dir, name), {recursive: true, force: true})
  mkdirSync(join(dir, 'out'), {recursive: true})
}

const lodeRun = (dir: string, before?: () => void): CommandSpec => ({cmd: process.execPath, args: [BIN, 'workflow', 'run', 'workflow.yaml', '--parallel', '2'], cwd: dir, before})
const smkRun = (dir: string, before?: () => void): CommandSpec => ({cmd: SNAKEMAKE, args: ['-c2', '--quiet'], cwd: dir, before})

function firstRun(dag: Dag, kind: Kind, runs: number, target: string): void {
  const lode = lodeProject(dag, kind)
  const smk = snakemakeProject(dag, kind)
  try {
    const [l, s] = timeInterleaved([lodeRun(lode, () => clean(lode)), smkRun(smk, () => clean(smk))], {runs, warmup: 0})
    report(`${dag.name} ${kind}, first run`, l!, s!, target)
  } finally {
    rmSync(lode, {recursive: true, force: true})
    rmSync(smk, {recursive: true, force: true})
  }
}

function noopRerun(dag: Dag, kind: Kind, runs: number, target: string): void {
  const lode = lodeProject(dag, kind)
  const smk = snakemakeProject(dag, kind)
  try {
    // the unmeasured first (warm-up) run of each is the real first run; every later one finds everything done
    const [l, s] = timeInterleaved([lodeRun(lode), smkRun(smk)], {runs, warmup: 1})
    report(`${dag.name} ${kind}, no-op rerun`, l!, s!, target)
  } finally {
    rmSync(lode, {recursive: true, force: true})
    rmSync(smk, {recursive: true, force: true})
  }
}

const {values} = parseArgs({options: {only: {type: 'string'}, kind: {type: 'string'}, runs: {type: 'string'}}})
const only = new Set((values.only ?? 'chain50,fan200,wide1000').split(','))
const kinds = (values.kind ?? 'ts,shell').split(',') as Kind[]
const runs = Number(values.runs ?? 3)

// The baseline is Snakemake: without it there is nothing to compare with, which is not a missed target.
if (spawnSync(SNAKEMAKE, ['--version']).status !== 0) {
  console.log(`SKIP: no ${SNAKEMAKE} on PATH, the baseline of this bench (apt-get install snakemake)`)
  process.exit(0)
}
console.log(`lode workflow vs Snakemake ${execFileSync(SNAKEMAKE, ['--version'], {encoding: 'utf8'}).trim()}, 2 slots, tiny steps; median of ${runs}`)
for (const kind of kinds) {
  if (only.has('chain50')) firstRun(chain(50), kind, runs, '<= 1.0x')
  if (only.has('fan200')) firstRun(fanIn(200), kind, runs, '<= 1.0x')
  if (only.has('wide1000')) noopRerun(wide(1000), kind, runs, '<= 0.3x')
}
