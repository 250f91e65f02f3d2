// lode --version and lode runs ls (1,000 runs) against node -e 0; lode run noop.ts against node noop.ts.
// Run: node bench/startup.ts   (after npm run build)
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {hostname} from 'node:os'
import {Project} from '../src/lib/project/project.ts'
import {BIN, report, timeCommand, tmp} from './lib.ts'

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
      error: null, exitCode: 0, signal: null, pid: 1, codeHash: null, workflowId: null, step: null, created: now - i * 1000, started: now - i * 1000, ended: now - i * 1000 + 500,
    } as never)
  }
})
project.close()
void hostname
writeFileSync(join(dir, 'noop.ts'), 'export async function handler() {}\n')
// The baseline for a run: the same handler file started by Node directly (it only defines a function).
writeFileSync(join(dir, 'noop-direct.ts'), 'export async function handler() {}\nawait handler()\n')

const node0 = timeCommand(process.execPath, ['-e', '0'])
const version = timeCommand(process.execPath, [BIN, '--version'])
const runsLs = timeCommand(process.execPath, [BIN, 'runs', 'ls'], {cwd: dir})
const runsLsJson = timeCommand(process.execPath, [BIN, 'runs', 'ls', '--json', '--limit', '100'], {cwd: dir})
console.log(`Node ${process.version}, medians of 15 runs`)
report('lode --version / node -e 0', version, node0, '<= 4x')
report('lode runs ls (1,000 runs) / node -e 0', runsLs, node0, '<= 4x')
report('lode runs ls --json --limit 100 / node -e 0', runsLsJson, node0, '<= 4x')
const nodeNoop = timeCommand(process.execPath, ['noop-direct.ts'], {cwd: dir})
const lodeNoop = timeCommand(process.execPath, [BIN, 'run', 'noop.ts'], {cwd: dir, runs: 10})
report('lode run noop.ts / node noop.ts', lodeNoop, nodeNoop, '<= +150 ms')
console.log(`lode run overhead: +${(lodeNoop - nodeNoop).toFixed(0)} ms (target <= +150 ms)`)
