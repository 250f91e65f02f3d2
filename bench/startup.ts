// lode's fixed cost per command and per run (issue 12), each against its baseline in the same invocation:
// `lode --version` and `lode runs ls` (1,000 runs) against `node -e 0`; `lode run --kind exec -- true` against
// `node -e 0`; `lode run noop.ts` / `noop.py` against the same file started by `node` / `python3` directly, the
// difference measured in units of `node -e 0`; `lode log artifact` from a shell step, and the same event written by
// the shell itself on the event pipe (fd 3), as the time they add to a shell step, in units of `node -e 0`.
// `lode artifacts get` of a few bytes against `node -e 0`, and against the same get read by oclif (`-oFILE`).
// Run: node bench/startup.ts [--only ls|exec|node|python|log|get]   (after npm run build)
import {execFileSync} from 'node:child_process'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../src/lib/project/project.ts'
import {BIN, report, timeInterleaved, tmp} from './lib.ts'

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined
const want = (part: string) => !only || only === part

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
writeFileSync(join(dir, 'noop.py'), 'def handler():\n    pass\n')
writeFileSync(join(dir, 'noop-direct.py'), 'def handler():\n    pass\n\nhandler()\n')

const node = process.execPath
const lode = (...args: string[]) => ({cmd: node, args: [BIN, ...args], cwd: dir})
const node0 = {cmd: node, args: ['-e', '0']}
console.log(`Node ${process.version}, medians of 15 interleaved runs`)

if (want('ls')) {
  const [n0, version, runsLs, runsLsJson] = timeInterleaved([node0, lode('--version'), lode('runs', 'ls'), lode('runs', 'ls', '--json', '--limit', '100')]) as [number, number, number, number]
  report('lode --version / node -e 0', version, n0, '<= 4x')
  report('lode runs ls (1,000 runs) / node -e 0', runsLs, n0, '<= 2.5x')
  report('lode runs ls --json --limit 100 / node -e 0', runsLsJson, n0, '<= 2.5x')
}

if (want('exec')) {
  const [n0, execTrue] = timeInterleaved([node0, lode('run', '--kind', 'exec', '--', 'true')]) as [number, number]
  report('lode run --kind exec -- true / node -e 0', execTrue, n0, '<= 2.5x')
}

/** `value` over `baseline` against a target of `factor` times `node -e 0`: a time added, in Node start-ups. */
function reportAdded(label: string, value: number, baseline: number, n0: number, factor: number): void {
  report(label, value, baseline, `<= +${(factor * n0).toFixed(0)} ms`)
  console.log(`  = +${(value - baseline).toFixed(0)} ms, ${((value - baseline) / n0).toFixed(2)}x node -e 0 (${n0.toFixed(1)} ms; target <= ${factor}x)`)
}

if (want('node')) {
  const [n0, nodeNoop, lodeNoop] = timeInterleaved([node0, {cmd: node, args: ['noop-direct.ts'], cwd: dir}, lode('run', 'noop.ts')]) as [number, number, number]
  reportAdded('lode run noop.ts - node noop.ts', lodeNoop, nodeNoop, n0, 1.5)
  // A handler edited before every run: no compiled code of it is cached, for Node as for lode.
  let edits = 0
  const edit = (file: string, direct: boolean) => () =>
    writeFileSync(join(dir, file), `// edit ${edits++}\nexport async function handler() {}\n${direct ? 'await handler()\n' : ''}`)
  const [n0e, nodeEdited, lodeEdited] = timeInterleaved([
    node0,
    {cmd: node, args: ['edited-direct.ts'], cwd: dir, before: edit('edited-direct.ts', true)},
    {cmd: node, args: [BIN, 'run', 'edited.ts'], cwd: dir, before: edit('edited.ts', false)},
  ]) as [number, number, number]
  reportAdded('lode run edited.ts - node edited.ts', lodeEdited, nodeEdited, n0e, 1.5)
}

if (want('python')) {
  // the interpreter itself, not a version manager's shim in front of it (pyenv's costs ~0.3 s per start)
  const python = process.env.LODE_PYTHON ?? execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {encoding: 'utf8'}).trim()
  const [n0, pyNoop, lodePy] = timeInterleaved([node0, {cmd: python, args: ['noop-direct.py'], cwd: dir}, lode('run', 'noop.py', '--python', python)]) as [number, number, number]
  reportAdded('lode run noop.py - python3 noop.py', lodePy, pyNoop, n0, 2)
}

if (want('get')) {
  writeFileSync(join(dir, 'report.ts'), "export async function handler(ctx) { await ctx.logArtifact('report', {body: 'a few bytes'}) }\n")
  execFileSync(node, [BIN, 'run', 'report.ts'], {cwd: dir, stdio: 'ignore'})
  const [n0, lean, full] = timeInterleaved([node0, lode('artifacts', 'get', 'report', '-o', 'got.txt'), lode('artifacts', 'get', 'report', '-ogot.txt')]) as [number, number, number]
  report('lode artifacts get (a few bytes) -o / node -e 0', lean, n0, 'informative')
  report('  the same through oclif (-oFILE) / node -e 0', full, n0, 'informative')
}

if (want('log')) {
  // A shell step that writes a file and logs it, against the same step writing the file only. Either way of
  // logging meets the target: `lode log artifact`, or the step writing the event line on fd 3 itself.
  const write = 'echo hi > "$LODE_OUTPUT_DIR/report.txt"'
  const line = '{"t":"artifact","key":"report","kind":"artifact","path":"%s/report.txt"}\\n'
  const step = (script: string) => lode('run', '--kind', 'exec', '--', 'sh', '-c', script)
  const [n0, plain, logCmd, logFd3] = timeInterleaved([
    node0,
    step(write),
    step(`${write} && lode log artifact report "$LODE_OUTPUT_DIR/report.txt"`),
    step(`${write} && printf '${line}' "$LODE_OUTPUT_DIR" >&3`),
  ]) as [number, number, number, number]
  console.log(`shell step writing a file, logged by neither: ${plain.toFixed(1)} ms`)
  const cmdOk = (logCmd - plain) <= 1.5 * n0
  const fd3Ok = (logFd3 - plain) <= 1.5 * n0
  console.log(`  lode log artifact:        +${(logCmd - plain).toFixed(0)} ms = ${((logCmd - plain) / n0).toFixed(2)}x node -e 0 (${n0.toFixed(1)} ms)`)
  console.log(`  printf ... >&3 (protocol): +${(logFd3 - plain).toFixed(0)} ms = ${((logFd3 - plain) / n0).toFixed(2)}x node -e 0`)
  console.log(`logging from a shell step (target <= 1.5x node -e 0, by either way)  ${cmdOk || fd3Ok ? 'PASS' : 'MISS'}${cmdOk ? '' : ' (lode log artifact alone misses)'}`)
  if (!cmdOk && !fd3Ok) process.exitCode = 1
}
rmSync(dir, {recursive: true, force: true})
