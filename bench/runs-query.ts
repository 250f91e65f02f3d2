// Finding runs at 100k: `lode runs ls --where ... --sort ...` over a store of 100k runs against the same command over
// a store of 1k, run interleaved (issue 13 asks for <= 2x). The sorts are on top-level params and results, which the
// store walks in order from its run_values index, checking the filter as it goes, until it has --limit runs.
// Run: node bench/runs-query.ts [--count 100000]   (after npm run build)
import {randomUUID} from 'node:crypto'
import {rmSync} from 'node:fs'
import {Project} from '../src/lib/project/project.ts'
import type {Store} from '../src/lib/store/store.ts'
import {BIN, report, timeInterleaved, tmp} from './lib.ts'

const arg = process.argv.includes('--count') ? process.argv[process.argv.indexOf('--count') + 1] : undefined
const LARGE = Number(arg ?? 100_000) || 100_000
const SMALL = 1000
const T0 = Date.now() - 10 * 86_400_000
const MODELS = ['tree', 'linear', 'forest', 'svm']

function bulk(store: Store, count: number): void {
  for (let i = 0; i < count; i += 10_000) store.db.tx(() => {
    for (let j = i; j < Math.min(count, i + 10_000); j++) {
      const created = T0 + j * 10
      store.runs.create({
        uid: randomUUID().replaceAll('-', ''), name: `train-${j % 7}`, project: 'bench', kind: 'node', function: 'train.ts', handler: 'train',
        state: j % 20 === 0 ? 'error' : 'completed', labels: {team: `t${j % 10}`}, params: {model_class: MODELS[j % 4]!, lr: 10 ** -(j % 4), epochs: j % 50},
        inputs: {}, declaredOutputs: ['model'], outputs: {model: `store://bench/m${j}`}, results: {accuracy: (j * 7919 % 10_000) / 10_000, loss: (j % 997) / 997},
        error: null, exitCode: 0, signal: null, pid: 1, host: 'bench', codeHash: null, workflowId: null, step: null, secrets: [], created, started: created, ended: created + 5,
      })
    }
  })
}

async function store(count: number): Promise<string> {
  const dir = tmp(`lode-bench-runsquery-${count}-`)
  Project.init(dir, {name: 'bench'})
  const project = await Project.open(dir)
  bulk(project.store, count)
  project.close()
  return dir
}

let t = performance.now()
const [small, large] = [await store(SMALL), await store(LARGE)]
console.log(`Node ${process.version}; stores of ${SMALL} and ${LARGE} runs built in ${((performance.now() - t) / 1000).toFixed(1)} s`)

const node = process.execPath
const commands: [string, string[]][] = [
  ['runs ls --where --sort', ['runs', 'ls', '--where', 'results.accuracy > 0.9 and params.model_class == "tree"', '--sort=-results.accuracy']],
  ['runs ls --where --sort --columns --json', ['runs', 'ls', '--where', 'results.accuracy > 0.5 and params.lr <= 0.1', '--sort=results.loss', '--columns', 'params.lr,results.accuracy', '--json']],
  ['runs ls --where state (indexed column)', ['runs', 'ls', '--where', 'state == "error"']],
]
const specs = [{cmd: node, args: ['-e', '0']}, ...commands.flatMap(([, args]) => [
  {cmd: node, args: [BIN, ...args], cwd: small},
  {cmd: node, args: [BIN, ...args], cwd: large},
])]
t = performance.now()
const times = timeInterleaved(specs, {runs: 7})
console.log(`medians of 7 interleaved runs (${((performance.now() - t) / 1000).toFixed(0)} s); node -e 0: ${times[0]!.toFixed(1)} ms`)
commands.forEach(([label], j) => {
  const [atSmall, atLarge] = [times[1 + 2 * j]!, times[2 + 2 * j]!]
  report(`${label}: ${LARGE} / ${SMALL}`, atLarge, atSmall, '<= 2x')
})
for (const d of [small, large]) rmSync(d, {recursive: true, force: true})
