// 64 MB of handler output through `lode run`: what lode adds for the output, against `cat` reading the same bytes
// through a pipe, measured in the same run. Shapes: short lines, one line with no newline, many `\r` redraws.
// Usage: node bench/output.ts   (exits 1 when a target is missed)
import {spawnSync} from 'node:child_process'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, median, tmp} from './lib.ts'

const SIZE = 64 * 1024 * 1024
const TARGET = 2

function wall(cmd: string, args: string[], cwd: string, runs = 3): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const r = spawnSync(cmd, args, {cwd, env: {...process.env, CI: '1'}, stdio: ['ignore', 'ignore', 'ignore']})
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`)
    times.push(performance.now() - t0)
  }
  return median(times)
}

const dir = tmp('lode-bench-output-')
spawnSync(process.execPath, [BIN, 'init', '--name', 'bench'], {cwd: dir, stdio: 'ignore'})
const shapes: Record<string, () => string> = {
  'lines': () => 'a line of handler output, about sixty characters in all....\n',
  'no newline': () => 'x'.repeat(64),
  '\\r redraws': () => '\rprogress 42% [#####-----]  ',
}
let missed = false
try {
  const base = wall(process.execPath, [BIN, 'run', '--kind', 'exec', '--', 'true'], dir)
  for (const [name, unit] of Object.entries(shapes)) {
    const u = unit()
    const text = u.repeat(Math.ceil(SIZE / u.length)).slice(0, SIZE)
    const file = join(dir, 'out.txt')
    writeFileSync(file, text)
    const cat = wall('sh', ['-c', 'cat out.txt | cat > /dev/null'], dir)
    const lode = wall(process.execPath, [BIN, 'run', '--kind', 'exec', '--', 'cat', 'out.txt'], dir) - base
    const ratio = lode / cat
    const ok = ratio <= TARGET
    missed ||= !ok
    console.log(`${name.padEnd(11)} lode adds ${lode.toFixed(0)} ms for 64 MB; cat through a pipe ${cat.toFixed(0)} ms; ratio ${ratio.toFixed(2)} (target <= ${TARGET}) ${ok ? 'ok' : 'MISSED'}`)
  }
} finally {
  rmSync(dir, {recursive: true, force: true})
}
process.exitCode = missed ? 1 : 0
