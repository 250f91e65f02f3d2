// lode --version and lode runs ls (1,000 runs) against node -e 0; lode run noop.ts against node noop.ts.
// Run: node bench/startup.ts   (after npm run build)
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../src/lib/project/project.ts'
import {BIN, report, timeInterleaved, tmp} from './lib.ts'

const dir = tmp('lode-bench-startup-')
Project.init(dir, {name: 'bench'})
const project = await Project.open(dir)
const now = Date.now()
project.store.db.tx(() => {
  for (let i = 0; i < 1000; i++) {
    const uid = (i.toString(16).padStart(8, '0') + 'f'.repeat(24))
    project.store.runs.create({
      uid, name: `run-${i % 7}`, project: 'bench', kind: 'node', function: 'train.ts', handler: 'train', state: i % 10 ? 'completed' : 'error',
      labels: {i: String(i % 3)}, params: {lr: 0.1, epochs: i}, inputs: {}, declaredOutputs: [], outputs: {}, results: {accuracy: 0.9},
      error: null, exitCode: 0, signal: null, pid: 1, host: 'bench', codeHash: null, workflowId: null, step: null, created: now - i * 1000, started: now - i * 1000, ended: now - i * 1000 + 500,
    })
  }
})
project.close()
writeFileSync(join(dir, 'noop.ts'), 'export async function handler() {}\n')
// The baseline for a run: the same handler file started by Node directly (it only defines a function).
writeFileSync(join(dir, 'noop-direct.ts'), 'export async function handler() {}\nawait handler()\n')

const node = process.execPath
const [node0, version, runsLs, runsLsJson] = timeInterleaved([
  {cmd: node, args: ['-e', '0']},
  {cmd: node, args: [BIN, '--version']},
  {cmd: node, args: [BIN, 'runs', 'ls'], cwd: dir},
  {cmd: node, args: [BIN, 'runs', 'ls', '--json', '--limit', '100'], cwd: dir},
]) as [number, number, number, number]
console.log(`Node ${process.version}, medians of 15 interleaved runs`)
report('lode --version / node -e 0', version, node0, '<= 4x')
report('lode runs ls (1,000 runs) / node -e 0', runsLs, node0, '<= 4x')
report('lode runs ls --json --limit 100 / node -e 0', runsLsJson, node0, '<= 4x')
const [nodeNoop, lodeNoop] = timeInterleaved([
  {cmd: node, args: ['noop-direct.ts'], cwd: dir},
  {cmd: node, args: [BIN, 'run', 'noop.ts'], cwd: dir},
]) as [number, number]
report('lode run noop.ts / node noop.ts', lodeNoop, nodeNoop, '<= +150 ms')
// A handler edited before every run: no compiled code of it is cached, for Node as for lode.
let edits = 0
const edit = (file: string, direct: boolean) => () =>
  writeFileSync(join(dir, file), `// edit ${edits++}\nexport async function handler() {}\n${direct ? 'await handler()\n' : ''}`)
const [nodeEdited, lodeEdited] = timeInterleaved([
  {cmd: node, args: ['edited-direct.ts'], cwd: dir, before: edit('edited-direct.ts', true)},
  {cmd: node, args: [BIN, 'run', 'edited.ts'], cwd: dir, before: edit('edited.ts', false)},
]) as [number, number]
report('lode run edited.ts / node edited.ts', lodeEdited, nodeEdited, '<= +150 ms')
console.log(`lode run overhead: +${(lodeNoop - nodeNoop).toFixed(0)} ms; a handler edited before each run: +${(lodeEdited - nodeEdited).toFixed(0)} ms (target <= +150 ms)`)
rmSync(dir, {recursive: true, force: true})
